package org.mlskit.ds.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.ds.testing.PostgresClusterTest.exec;
import static org.mlskit.ds.testing.PostgresClusterTest.one;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlskit.ds.testing.PostgresCluster.ScriptRun;

/** scripts/pg-cluster.sh beyond the happy path the shared cluster takes. */
class PgClusterScriptTest {
    @TempDir
    Path tmp;

    private static final Path SCRIPT = PostgresCluster.findScript();

    private static ScriptRun script(String... args) {
        return PostgresCluster.runScript(SCRIPT, Map.of(), 120, List.of(args));
    }

    /**
     * A cluster of its own, under a directory only its creator may enter (as a checkout under
     * /root is on CI): it starts, is idempotent, keeps its rows across stop --keep and a restart
     * on the same port, and close() removes everything, including a cluster moved to /tmp.
     */
    @Test
    void privateClusterRestartsWithItsDataThenIsRemoved() throws IOException, SQLException {
        Path closed = Files.createDirectory(tmp.resolve("closed"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path dir = closed.resolve("pg");
        PostgresCluster own = PostgresCluster.start(dir);
        Path real;
        try {
            real = dir.resolve("cluster").toRealPath();
            try (Connection c = DriverManager.getConnection(own.jdbcUrl())) {
                exec(c, "CREATE TABLE kept (x int)");
                exec(c, "INSERT INTO kept VALUES (42)");
            }
            ScriptRun again = script("start", dir.toString());
            assertEquals(0, again.exit(), again.output());
            assertTrue(again.output().contains("already running"), again.output());
            assertTrue(again.output().contains("PG_JDBC_URL=" + own.jdbcUrl()), again.output());

            ScriptRun stop = script("stop", dir.toString(), "--keep");
            assertEquals(0, stop.exit(), stop.output());
            assertEquals(3, script("status", dir.toString()).exit());
            ScriptRun restart = script("start", dir.toString());
            assertEquals(0, restart.exit(), restart.output());
            assertTrue(restart.output().contains("PG_JDBC_URL=" + own.jdbcUrl()), restart.output());
            ScriptRun status = script("status", dir.toString());
            assertEquals(0, status.exit(), status.output());
            try (Connection c = DriverManager.getConnection(own.jdbcUrl())) {
                assertEquals("42", one(c, "SELECT x FROM kept"));
            }
        } finally {
            own.close();
        }
        assertTrue(own.isClosed());
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(real), real + " left behind");
        assertThrows(IllegalStateException.class, () -> own.newDatabase("late"));
        assertEquals(4, script("status", dir.toString()).exit());
        assertEquals(0, script("stop", dir.toString()).exit());
    }

    /** Without PostgreSQL and without a way to install it, the fixture fails with the script's words. */
    @Test
    void missingPostgresFailsWithTheScriptsOutput() throws IOException {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path apt = bin.resolve("apt-get");
        Files.writeString(apt, "#!/bin/sh\necho \"simulated apt-get $*: no network\" >&2\nexit 100\n");
        assertTrue(apt.toFile().setExecutable(true));
        Map<String, String> env = Map.of(
                "PATH", bin + ":/usr/bin:/bin:/usr/sbin:/sbin",
                "MLSKIT_PG_LIBDIR", tmp.resolve("no-postgresql").toString());
        Path dir = tmp.resolve("never");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PostgresCluster.start(SCRIPT, dir, env));
        assertTrue(e.getMessage().contains("--- script output ---"), e.getMessage());
        assertTrue(e.getMessage().contains("PostgreSQL not found"), e.getMessage());
        // As root the script tried apt-get (twice: before and after apt-get update); otherwise it said why not.
        assertTrue(e.getMessage().contains("simulated apt-get install -y --no-install-recommends postgresql")
                || e.getMessage().contains("not root"), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void stopRefusesADirectoryItDidNotMake() throws IOException {
        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        ScriptRun stop = script("stop", foreign.toString());
        assertEquals(1, stop.exit(), stop.output());
        assertTrue(stop.output().contains("not made by pg-cluster.sh"), stop.output());
        ScriptRun start = script("start", foreign.toString());
        assertEquals(1, start.exit(), start.output());
        assertEquals(List.of(foreign.resolve("precious.txt")), Files.list(foreign).toList());
        assertEquals(1, script("stop", "/").exit());
    }

    @Test
    void badArgumentsAreRefused() {
        ScriptRun port = script("start", tmp.resolve("p").toString(), "--port", "80");
        assertEquals(1, port.exit(), port.output());
        assertTrue(port.output().contains("--port must be"), port.output());
        assertEquals(1, script("start", tmp.resolve("p").toString(), "--bogus").exit());
        assertEquals(2, script("start").exit());
        assertEquals(2, script("restart", tmp.toString()).exit());
        assertFalse(Files.exists(tmp.resolve("p")));
    }
}
