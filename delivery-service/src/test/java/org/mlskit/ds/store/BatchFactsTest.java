package org.mlskit.ds.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Facts a writer remembers (a room's epoch, a leaf's holder) must never outlive a write that may
 * change them, whether by this writer, by a rolled-back batch or by another writer on the same
 * database: otherwise a message could pass a check against a stale epoch or membership.
 */
class BatchFactsTest {
    @Test
    void aMessageInsertKeepsFactsAnyOtherWriteForgetsThem() throws Exception {
        Path dir = Files.createTempDirectory("facts");
        try (Database db = Database.open("sqlite:" + dir.resolve("ds.sqlite"))) {
            db.writeNow(tx -> {
                tx.remember("k", 1L);
                tx.insertReturningId("INSERT INTO messages (group_id, kind, epoch, sender, bytes, created)"
                        + " VALUES (NULL, 0, 0, NULL, ?, 0) RETURNING id", new byte[] {1});
                assertEquals(1L, tx.fact("k"), "a new message changes no fact");
                tx.update("INSERT INTO users (user_id, created) VALUES ('u', 0)");
                assertNull(tx.fact("k"), "any other write may change a fact");
                tx.remember("k", 2L);
                tx.insertReturningId("INSERT INTO devices (user_id, device_id, suite, signature_key, key_canonical, credential,"
                        + " created) VALUES ('u', 'd', 1, ?, ?, ?, 0) RETURNING dev", new byte[] {1}, new byte[] {2}, new byte[] {3});
                assertNull(tx.fact("k"), "an insert of anything but a message forgets too");
                tx.remember("k", 3L);
                return null;
            });
            assertEquals((Object) 3L, db.<Object>writeNow(tx -> tx.fact("k")), "read after our own change, nothing changed since: kept");

            // Another writer (another instance) changes something: the write generation moves, the facts go.
            try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ds.sqlite"));
                    var st = other.createStatement()) {
                st.executeUpdate("UPDATE write_generation SET n = n + 1 WHERE id = 1");
            }
            assertNull(db.writeNow(tx -> tx.fact("k")), "another writer changed the database");

            // A batch that fails after writing is rolled back, and so is what it read after its writes.
            db.writeNow(tx -> {
                tx.remember("k", 4L);
                return null;
            });
            assertThrows(RuntimeException.class, () -> db.writeNow(tx -> {
                tx.update("INSERT INTO users (user_id, created) VALUES ('v', 0)");
                tx.remember("k", 5L);
                throw new IllegalStateException("fails after writing");
            }));
            assertNull(db.writeNow(tx -> tx.fact("k")), "a rolled-back batch leaves no facts");
        }
    }
}
