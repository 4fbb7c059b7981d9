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
    void factsLastUntilAWriteThatMayChangeThem() throws Exception {
        Path dir = Files.createTempDirectory("facts");
        try (Database db = Database.open("sqlite:" + dir.resolve("ds.sqlite"))) {
            java.nio.ByteBuffer roomA = java.nio.ByteBuffer.wrap(new byte[] {'a'});
            Statements.RoomFact ofA = () -> roomA;
            Statements.RoomFact ofB = () -> java.nio.ByteBuffer.wrap(new byte[] {'b'});
            db.writeNow(tx -> {
                tx.remember("k", 1L);
                tx.insertMessage(null, 0, 0, null, new byte[] {1}, 0);
                assertEquals(1L, tx.fact("k"), "a new message changes no fact");
                tx.update("INSERT INTO users (user_id, created) VALUES ('u', 0)");
                assertEquals(1L, tx.fact("k"), "nor does a write to a table facts are not read from");
                tx.update("DELETE FROM memberships WHERE until_id IS NOT NULL AND until_id < 0");
                assertEquals(1L, tx.fact("k"), "nor does a write to memberships that changed no row");
                tx.update("INSERT INTO rooms (group_id, suite, epoch, epoch_from, group_info, created) VALUES (X'7a', 1, 0, 0, X'00', 0)");
                assertNull(tx.fact("k"), "a write to rooms (or memberships) naming no room forgets every fact");
                tx.remember(ofA, 1L);
                tx.remember(ofB, 2L);
                tx.updateRoom(new byte[] {'a'}, "UPDATE rooms SET epoch = epoch WHERE group_id = ?", (Object) new byte[] {'a'});
                assertNull(tx.fact(ofA), "a write to a room forgets that room's facts");
                assertEquals(2L, tx.fact(ofB), "and only those");
                tx.remember("k", 3L);
                return null;
            });
            assertEquals((Object) 3L, db.<Object>writeNow(tx -> tx.fact("k")), "read after our own change, nothing changed since: kept");

            // Another writer (another instance) changes room a and records it: a's facts go (and facts of no room), b's stay.
            db.writeNow(tx -> {
                tx.remember(ofA, 1L);
                tx.remember(ofB, 2L);
                return null;
            });
            otherWriter(dir, "UPDATE write_generation SET n = n + 1 WHERE id = 1",
                    "INSERT INTO fact_changes (generation, group_id) SELECT n, X'61' FROM write_generation WHERE id = 1");
            db.writeNow(tx -> {
                assertNull(tx.fact(ofA), "another writer changed room a");
                assertNull(tx.fact("k"), "a fact of no one room goes with any change");
                assertEquals(2L, tx.fact(ofB), "room b was not changed");
                tx.remember("k", 3L);
                return null;
            });
            // A change that names no room, and one not on record: every fact goes.
            otherWriter(dir, "UPDATE write_generation SET n = n + 1 WHERE id = 1",
                    "INSERT INTO fact_changes (generation, group_id) SELECT n, NULL FROM write_generation WHERE id = 1");
            assertNull(db.writeNow(tx -> tx.fact(ofB)), "a change of no one room");
            db.writeNow(tx -> {
                tx.remember(ofB, 2L);
                return null;
            });
            otherWriter(dir, "UPDATE write_generation SET n = n + 1 WHERE id = 1");
            assertNull(db.writeNow(tx -> tx.fact(ofB)), "a change not on record");

            // A batch that fails after writing is rolled back, and so is what it read after its writes.
            db.writeNow(tx -> {
                tx.remember("k", 4L);
                return null;
            });
            assertThrows(RuntimeException.class, () -> db.writeNow(tx -> {
                tx.update("DELETE FROM rooms WHERE group_id IS NULL");
                tx.remember("k", 5L);
                throw new IllegalStateException("fails after writing");
            }));
            assertNull(db.writeNow(tx -> tx.fact("k")), "a rolled-back batch leaves no facts");
        }
    }

    private static void otherWriter(Path dir, String... sql) throws java.sql.SQLException {
        try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ds.sqlite"));
                var st = other.createStatement()) {
            for (String q : sql) {
                st.executeUpdate(q);
            }
        }
    }
}
