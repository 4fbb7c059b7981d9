package org.mlskit.ds.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Facts remembered within a write batch (a room's epoch, a leaf's holder) must never outlive a
 * write that may change them, nor the batch: otherwise a message could pass a check against a
 * stale epoch or membership.
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
            assertNull(db.writeNow(tx -> tx.fact("k")), "a new batch starts with no facts");
        }
    }
}
