package org.mlskit.ds.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The shared test cluster: JDBC round trip, its settings, per-class databases, LISTEN/NOTIFY. */
class PostgresClusterTest {
    static PostgresCluster pg;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.shared();
    }

    @Test
    void sharedIsOneClusterPerJvm() {
        assertTrue(PostgresCluster.shared() == pg);
        assertTrue(pg.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/mlskit?"));
        assertTrue(pg.directory().getFileName().toString().startsWith("pg-cluster-"));
        assertTrue(Files.isDirectory(pg.directory()));
    }

    @Test
    void createInsertReadBack() throws SQLException {
        String url = pg.newDatabase("roundtrip");
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TABLE log (seq bigint PRIMARY KEY, body bytea NOT NULL)");
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO log VALUES (?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ins.setLong(1, i);
                    ins.setBytes(2, new byte[] {(byte) i, 0, (byte) 0xff});
                    ins.addBatch();
                }
                assertEquals(3, ins.executeBatch().length);
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT seq, body FROM log ORDER BY seq")) {
                for (int i = 1; i <= 3; i++) {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getLong(1));
                    assertArrayEquals(new byte[] {(byte) i, 0, (byte) 0xff}, rs.getBytes(2));
                }
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void durableSettings() throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            assertEquals("on", show(c, "fsync"));
            assertEquals("on", show(c, "synchronous_commit"));
            assertEquals("on", show(c, "full_page_writes"));
            assertEquals("100", show(c, "max_connections"));
            assertEquals("127.0.0.1", show(c, "listen_addresses"));
            assertEquals("mlskit", one(c, "SELECT current_user"));
            assertEquals("f", one(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        }
    }

    @Test
    void listensOnLoopbackOnly() throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            assertEquals("127.0.0.1", one(c, "SELECT host(inet_server_addr())"));
        }
        // The kernel's own table of listening sockets: exactly one on our port, bound to 127.0.0.1.
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && "0A".equals(f[3]) && f[1].endsWith(String.format(":%04X", pg.port()))) {
                    listening.add(f[1]);
                }
            }
        }
        assertEquals(List.of(String.format("0100007F:%04X", pg.port())), listening);
        // And nothing answers on this machine's other addresses (IPv6 loopback included).
        List<InetAddress> others = new ArrayList<>(List.of(InetAddress.getByName("::1")));
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            ni.inetAddresses().filter(a -> !a.isLoopbackAddress()
                    && !(a instanceof Inet6Address && a.isLinkLocalAddress())).forEach(others::add);
        }
        for (InetAddress a : others) {
            assertThrows(IOException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, pg.port()), 1_000);
                }
            }, "the server answered on " + a);
        }
    }

    @Test
    void newDatabasesAreIsolated() throws SQLException {
        String a = pg.newDatabase("Isolated");
        String b = pg.newDatabase("Isolated");
        assertNotEquals(a, b);
        try (Connection ca = DriverManager.getConnection(a); Connection cb = DriverManager.getConnection(b)) {
            assertNotEquals(one(ca, "SELECT current_database()"), one(cb, "SELECT current_database()"));
            assertTrue(one(ca, "SELECT current_database()").startsWith("isolated_"));
            exec(ca, "CREATE TABLE t (x int)");
            exec(cb, "CREATE TABLE t (x int)");
            exec(ca, "INSERT INTO t VALUES (1), (2)");
            exec(ca, "CREATE TABLE only_in_a (x int)");
            assertEquals("2", one(ca, "SELECT count(*) FROM t"));
            assertEquals("0", one(cb, "SELECT count(*) FROM t"));
            assertNull(one(cb, "SELECT to_regclass('only_in_a')"));
        }
    }

    @Test
    void databaseNamesAreChecked() {
        for (String bad : new String[] {"", "1abc", "x; DROP DATABASE mlskit", "a-b", "\"q\"", "x".repeat(42)}) {
            assertThrows(IllegalArgumentException.class, () -> pg.newDatabase(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> pg.newDatabase(null));
    }

    /**
     * Cross-instance fan-out will ride on LISTEN/NOTIFY. Seen on the 2-core dev machine (PostgreSQL
     * 15, pgjdbc 42.7.14), from sending pg_notify (autocommit) to getNotifications(timeout)
     * returning it: 1.4-1.6 ms median, 3-9 ms max over 50; of that ~0.3 ms is the sender's
     * statement and a steady ~1.2 ms is spent inside getNotifications (also with timeout 0), which
     * looks like the driver's polling rather than the server. A notification is delivered only
     * when its transaction commits.
     */
    @Test
    void listenNotifyAcrossConnections() throws SQLException {
        String url = pg.newDatabase("notify");
        try (Connection listener = DriverManager.getConnection(url);
                Connection sender = DriverManager.getConnection(url)) {
            PGConnection pgl = listener.unwrap(PGConnection.class);
            exec(listener, "LISTEN fanout");
            int senderPid = Integer.parseInt(one(sender, "SELECT pg_backend_pid()"));
            int rounds = 50;
            long[] micros = new long[rounds];
            try (PreparedStatement notify = sender.prepareStatement("SELECT pg_notify('fanout', ?)")) {
                for (int i = 0; i < rounds; i++) {
                    notify.setString(1, "group-7:" + i);
                    long t0 = System.nanoTime();
                    notify.executeQuery().close();
                    PGNotification[] got = pgl.getNotifications(5_000);
                    micros[i] = (System.nanoTime() - t0) / 1_000;
                    assertNotNull(got, "no notification within 5 s");
                    assertEquals(1, got.length);
                    assertEquals("fanout", got[0].getName());
                    assertEquals("group-7:" + i, got[0].getParameter());
                    assertEquals(senderPid, got[0].getPID());
                }
            }
            Arrays.sort(micros);
            System.err.printf("LISTEN/NOTIFY round trip over %d notifications: median %d us, max %d us%n",
                    rounds, micros[rounds / 2], micros[rounds - 1]);

            // Transactional: a rolled-back NOTIFY is never delivered, a committed one only at commit.
            sender.setAutoCommit(false);
            exec(sender, "NOTIFY fanout, 'rolled-back'");
            sender.rollback();
            exec(sender, "NOTIFY fanout, 'committed'");
            assertEquals(0, count(pgl.getNotifications(300)));
            sender.commit();
            PGNotification[] got = pgl.getNotifications(5_000);
            assertEquals(1, count(got));
            assertEquals("committed", got[0].getParameter());
        }
    }

    private static int count(PGNotification[] n) {
        return n == null ? 0 : n.length;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        return one(c, "SHOW " + setting);
    }
}
