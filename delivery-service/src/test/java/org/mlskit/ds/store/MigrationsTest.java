package org.mlskit.ds.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.ds.api.Engines;

/** The schema is created once, reopening keeps it, and a database from a newer server is refused. */
class MigrationsTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migratesOnceAndRefusesANewerSchema(String engine) throws Exception {
        String spec = Engines.freshDb(engine);
        try (Database db = Database.open(spec)) {
            db.writeNow(tx -> tx.update("INSERT INTO users (user_id, created) VALUES ('m', 1)"));
        }
        try (Database db = Database.open(spec)) {
            assertEquals(1L, (long) db.read(s -> s.queryLong(0, "SELECT count(*) FROM users")), "reopened, data kept");
            assertEquals((long) Database.SCHEMA_VERSION, (long) db.read(s -> s.queryLong(0, "SELECT max(version) FROM schema_version")));
            db.writeNow(tx -> tx.update("INSERT INTO schema_version (version) VALUES (99)"));
        }
        SQLException e = assertThrows(SQLException.class, () -> Database.open(spec));
        assertTrue(e.getMessage().contains("newer than this server"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aFailedWriteLeavesTheOthersOfItsBatch() throws Exception {
        Path dir = Files.createTempDirectory("ds-batch");
        try (Database db = Database.open("sqlite:" + dir.resolve("x.sqlite"))) {
            var ok1 = db.write(tx -> tx.update("INSERT INTO users (user_id, created) VALUES ('a', 1)"));
            var bad = db.write(tx -> {
                tx.update("INSERT INTO users (user_id, created) VALUES ('b', 1)");
                return tx.update("INSERT INTO users (user_id, created) VALUES ('a', 2)"); // duplicate key, after a write
            });
            var ok2 = db.write(tx -> tx.update("INSERT INTO users (user_id, created) VALUES ('c', 1)"));
            assertEquals(1, ok1.get());
            assertEquals(1, ok2.get());
            assertThrows(Exception.class, bad::get);
            assertEquals(2L, (long) db.read(s -> s.queryLong(0, "SELECT count(*) FROM users")), "a and c; b was undone with its op");
            assertEquals(0L, (long) db.read(s -> s.queryLong(0, "SELECT count(*) FROM users WHERE user_id = 'b'")));
        }
    }
}
