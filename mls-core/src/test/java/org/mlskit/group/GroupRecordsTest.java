package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.schedule.RatchetKey;
import org.mlskit.schedule.SecretTree;

/** A group saved as records that change at different rates: what a message rewrites, what a commit does, restoring. */
class GroupRecordsTest {
    private static final GroupConfig CONFIG = GroupConfig.DEFAULT.withRetainedEpochs(2);

    /** A store of one member's records, and what the last save wrote. */
    private static final class Store implements GroupRecords.Sink {
        GroupRecords records;
        final TreeMap<String, byte[]> saved = new TreeMap<>();
        final List<String> written = new ArrayList<>();
        byte[] head;

        Store(Group g) {
            records = new GroupRecords(g);
            save();
        }

        void save() {
            written.clear();
            records.changes(this);
            head = records.head();
        }

        @Override
        public void write(String name, byte[] value) {
            written.add(name);
            if (value == null) {
                saved.remove(name);
            } else {
                saved.put(name, value);
            }
        }

        @Override
        public void dropEpoch(long epoch) {
            saved.keySet().removeIf(k -> k.equals("e/" + epoch) || k.startsWith("e/" + epoch + "/"));
        }

        Group restore() {
            records = GroupRecords.restore(head, saved, CONFIG, RANDOM, new HashSet<>());
            return records.group();
        }

        int bytes() {
            int n = 0;
            for (byte[] v : saved.values()) {
                n += v.length;
            }
            return n;
        }
    }

    @Test
    void aMessageRewritesOnlyTheSendersLeafAndItsKeyIsNotKept() {
        CipherSuite cs = CipherSuite.of(1);
        List<Group> all = GroupFixture.group(cs, 8, CONFIG);
        Group a = all.get(0);
        Group b = all.get(1);
        Store store = new Store(b);
        byte[] encryptionSecret = b.state().secrets.encryptionSecret();
        assertTrue(SecretsForTests.anyHolds(store.saved, encryptionSecret), "the epoch's encryption secret is saved until expanded");

        byte[] first = a.encrypt(utf8("one"), null);
        b.process(first);
        store.save();
        assertFalse(SecretsForTests.anyHolds(store.saved, encryptionSecret), "expanded: the encryption secret is deleted");
        assertTrue(store.written.contains("e/1/l/0"), store.written.toString());

        byte[] second = a.encrypt(utf8("two"), null);
        b.process(second);
        store.save();
        assertEquals(List.of("e/1/l/0"), store.written, "a second message from the same sender rewrites its leaf only");

        // Neither used key nor the chain secrets before them remain in any record (RFC 9420 §9.2).
        SecretTree reference = new SecretTree(cs, encryptionSecret, b.state().secretTree.leafCount());
        for (int gen = 0; gen < 2; gen++) {
            RatchetKey k = reference.applicationRatchet(0).forGeneration(gen);
            assertFalse(SecretsForTests.anyHolds(store.saved, k.key()), "the key of generation " + gen + " is gone");
            assertFalse(SecretsForTests.anyHolds(store.saved, k.nonce()), "the nonce of generation " + gen + " is gone");
        }

        // A skipped generation's key stays until used, then goes.
        byte[] skipped = a.encrypt(utf8("three"), null);
        byte[] fourth = a.encrypt(utf8("four"), null);
        b.process(fourth);
        store.save();
        RatchetKey third = reference.applicationRatchet(0).forGeneration(2);
        assertTrue(SecretsForTests.anyHolds(store.saved, third.key()), "kept for the message still to come");
        b.process(skipped);
        store.save();
        assertFalse(SecretsForTests.anyHolds(store.saved, third.key()), "used, then deleted");

        Group restored = store.restore();
        assertEquals("five", new String(restored.process(a.encrypt(utf8("five"), null)).applicationData(),
                StandardCharsets.UTF_8));
    }

    @Test
    void commitsWriteANewBaseAndDropEpochsOutOfRetention() {
        List<Group> all = new ArrayList<>(GroupFixture.group(CipherSuite.of(1), 3, CONFIG));
        Group a = all.get(0);
        Store store = new Store(all.get(2));
        byte[] late = a.encrypt(utf8("late, from epoch 1"), null);
        for (int i = 0; i < 4; i++) {
            deliver(a, a.update(), all);
            store.save();
            assertTrue(store.written.contains("e/" + all.get(2).epoch()), "the new epoch's base: " + store.written);
        }
        assertEquals(5, all.get(2).epoch());
        for (String k : store.saved.keySet()) {
            assertTrue(k.startsWith("e/5") || k.startsWith("e/4") || k.startsWith("e/3"), "kept: current and 2 past: " + k);
        }
        Group restored = store.restore();
        assertArrayEquals(all.get(2).epochAuthenticator(), restored.epochAuthenticator());
        all.set(2, restored);
        assertAllTalk(all);
        assertTrue(store.bytes() > 0);
        assertEquals(2, restored.past.size());
        org.mlskit.MlsException tooOld = org.junit.jupiter.api.Assertions.assertThrows(org.mlskit.MlsException.class,
                () -> restored.process(late));
        assertEquals(org.mlskit.ErrorCode.WRONG_EPOCH, tooOld.code());
    }

    @Test
    void recordsOfAnotherEpochWithTheSameNumberAreIgnored() {
        List<Group> all = new ArrayList<>(GroupFixture.group(CipherSuite.of(1), 3, CONFIG));
        Group a = all.get(0);
        Group c = all.get(2);
        Store store = new Store(c);
        // An epoch 2 that will not be the group's, where a message was read.
        Group aFork = GroupFixture.copy(a);
        Group fork = GroupFixture.copy(c);
        StagedCommit lost = aFork.update();
        GroupFixture.receiveCommit(fork, lost.message());
        aFork.merge(lost);
        fork.process(aFork.encrypt(utf8("in the lost epoch"), null));
        Store forked = new Store(fork);
        assertTrue(forked.saved.containsKey("e/2/l/0"));
        deliver(a, a.update(), all);
        store.save();
        // Mix in the other epoch 2's records (as a torn save of a replaced group could leave them).
        for (Map.Entry<String, byte[]> e : forked.saved.entrySet()) {
            if (e.getKey().startsWith("e/2/")) {
                store.saved.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        assertTrue(store.saved.containsKey("e/2/l/0"), "mixed in");
        Group restored = store.restore();
        assertArrayEquals(c.epochAuthenticator(), restored.epochAuthenticator());
        all.set(2, restored);
        assertAllTalk(all);
    }
    /**
     * RFC 9420 §9.2: joiner_secret and welcome_secret go once the epoch is in use, init_secret once
     * the next epoch is derived from it; from memory, from the records and from a saved group.
     */
    @Test
    void consumedEpochSecretsAreErasedFromMemoryRecordsAndSavedState() {
        List<Group> all = new ArrayList<>(GroupFixture.group(CipherSuite.of(1), 3, CONFIG));
        Group a = all.get(0);
        Group c = all.get(2);
        Store store = new Store(c);
        for (Group g : all) {
            assertFalse(g.state().secrets.holdsJoining(), "joined or created: no Welcome into this epoch is made any more");
        }
        long e = c.epoch();
        byte[] init = c.state().secrets.initSecret();
        assertTrue(store.saved.containsKey("e/" + e + "/i/0"), "the current epoch's init_secret is saved apart");
        assertArrayEquals(init, c.state().secrets.initSecret());

        deliver(a, a.update(), all);
        store.save();
        for (Group g : all) {
            EpochState past = g.past.peekFirst();
            assertEquals(e, past.epoch());
            assertFalse(past.secrets.holdsInit(), "the next epoch was derived from it");
            org.mlskit.MlsException gone = org.junit.jupiter.api.Assertions.assertThrows(org.mlskit.MlsException.class,
                    past.secrets::initSecret);
            assertEquals(org.mlskit.ErrorCode.INVALID_STATE, gone.code());
            assertFalse(g.state().secrets.holdsJoining(), "the commit's Welcome was sealed before the merge");
            assertTrue(g.state().secrets.holdsInit());
        }
        assertTrue(store.written.contains("e/" + e + "/i/0"), "deleted: " + store.written);
        assertFalse(store.saved.containsKey("e/" + e + "/i/0"));
        assertFalse(SecretsForTests.anyHolds(store.saved, init), "no record holds the past epoch's init_secret");
        assertTrue(store.saved.containsKey("e/" + c.epoch() + "/i/0"));
        assertFalse(SecretsForTests.anyHolds(Map.of("saved", c.toBytes()), init), "nor does the saved group");

        // Both forms restore to a group that still commits (its init_secret came back) and reads the past epoch.
        byte[] late = a.encrypt(utf8("late"), null);
        deliver(a, a.update(), all);
        store.save();
        Group restored = store.restore();
        Group reloaded = Group.fromBytes(c.toBytes(), CONFIG, RANDOM);
        assertEquals("late", new String(restored.process(late).applicationData(), StandardCharsets.UTF_8));
        assertEquals("late", new String(reloaded.process(late).applicationData(), StandardCharsets.UTF_8));
        all.set(2, restored);
        deliver(restored, restored.update(), all);
        assertAllTalk(all);
    }
}
