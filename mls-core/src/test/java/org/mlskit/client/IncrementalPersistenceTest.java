package org.mlskit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.SecretsForTests;
import org.mlskit.schedule.RatchetKey;
import org.mlskit.schedule.SecretTree;

/**
 * Saving after an application message writes what changed, not the whole group (issue 15): a
 * bound on the bytes at 1,000 members, no used key left in any record, and a save torn at any
 * point restores either the step before or the step itself.
 */
class IncrementalPersistenceTest {
    /** Most bytes (keys and values) one application message's saves may write at 1,000 members. */
    static final int BOUND = 2_000;
    private static PersistBench big;

    @BeforeAll
    static void thousandMembers() {
        big = PersistBench.build(1000, new SecureRandomSource());
    }

    @Test
    void anApplicationMessageWritesAFewHundredBytesAtAThousandMembers() {
        int whole = big.aliceGroup.toBytes().length;
        assertTrue(whole > 500_000, "the whole group is big: " + whole);
        int most = 0;
        for (int i = 0; i < 40; i++) {
            int sent = big.send();
            int received = big.receive(big.next());
            most = Math.max(most, Math.max(sent, received));
        }
        assertTrue(most < BOUND, "one message wrote " + most + " bytes; the bound is " + BOUND + " (whole group: " + whole + ")");
        // What the message steps wrote: no epoch base and no head.
        Output out = big.receiveStep(big.next());
        for (String k : out.persist.keySet()) {
            String name = k.contains("@") ? k.substring(0, k.lastIndexOf('@')) : k;
            assertFalse(name.matches("group/[0-9a-f]+(/e/[0-9]+)?"), "a message step rewrote " + k);
        }
        PersistBench.apply(out, big.bobStore);
        // Both devices restart from what they wrote and carry on.
        ClientEngine bob = ClientEngine.restore(new HashMap<>(big.bobStore), ClientConfig.DEFAULT, new SecureRandomSource());
        Group g = bob.group(big.groupId());
        assertNotNull(g);
        assertArrayEquals(big.bob.group(big.groupId()).epochAuthenticator(), g.epochAuthenticator());
        byte[] m = big.next();
        Output read = bob.entries(System.currentTimeMillis(), List.of(new Entry(big.nextSeq(), m)));
        assertEquals(ClientEvent.Kind.MESSAGE, read.events.get(0).kind, read.events.toString());
        big.receive(m); // the bob that goes on reads it too
        ClientEngine alice = ClientEngine.restore(new HashMap<>(big.aliceStore), ClientConfig.DEFAULT, new SecureRandomSource());
        assertArrayEquals(big.alice.group(big.groupId()).epochAuthenticator(), alice.group(big.groupId()).epochAuthenticator());
    }

    @Test
    void noUsedKeyRemainsInAnyRecord() {
        for (int i = 0; i < 3; i++) {
            big.receive(big.next());
        }
        Group bobGroup = big.bob.group(big.groupId());
        byte[] encryptionSecret = SecretsForTests.encryptionSecret(bobGroup);
        assertFalse(SecretsForTests.anyHolds(big.bobStore, encryptionSecret), "the epoch's encryption secret (tree root) is gone");
        // Every message bob read came from carol (leaf 2): all her generations so far are used.
        SecretTree reference = new SecretTree(CipherSuite.of(1), encryptionSecret, SecretsForTests.leafCount(bobGroup));
        int used = big.carolMessages();
        assertTrue(used >= 3);
        for (int gen = 0; gen < used; gen++) {
            RatchetKey k = reference.applicationRatchet(2).forGeneration(gen);
            assertFalse(SecretsForTests.anyHolds(big.bobStore, k.key()), "the key of generation " + gen + " is gone");
            assertFalse(SecretsForTests.anyHolds(big.bobStore, k.nonce()), "the nonce of generation " + gen + " is gone");
        }
        // Nor is the next one's key stored (only the chain secret it comes from), yet bob reads it.
        RatchetKey next = reference.applicationRatchet(2).forGeneration(used);
        assertFalse(SecretsForTests.anyHolds(big.bobStore, next.key()));
        assertTrue(big.receive(big.next()) > 0);
    }

    @Test
    void aSaveTornAnywhereRestoresTheStepBeforeOrTheStepItself() {
        PersistBench small = PersistBench.build(8, new SecureRandomSource());
        small.receive(small.next());
        Map<String, byte[]> before = new HashMap<>(small.bobStore);
        byte[] message = small.next();
        Output step = small.bob.entries(System.currentTimeMillis(), List.of(new Entry(500, message)));
        List<String> keys = new ArrayList<>(step.persist.keySet());
        int commit = keys.indexOf(ClientEngine.DEVICE_KEY);
        assertTrue(commit > 0, "the commit record comes after the new records: " + keys);
        assertTrue(commit < keys.size() - 1, "and before the deletions: " + keys);
        for (int count = 0; count <= keys.size(); count++) {
            Map<String, byte[]> torn = new HashMap<>(before);
            for (String k : keys.subList(0, count)) {
                if (step.persist.get(k) == null) {
                    torn.remove(k);
                } else {
                    torn.put(k, step.persist.get(k));
                }
            }
            ClientEngine restored = ClientEngine.restore(torn, ClientConfig.DEFAULT, new SecureRandomSource());
            Output again = restored.entries(System.currentTimeMillis(), List.of(new Entry(500, message)));
            if (count <= commit) {
                assertEquals(1, again.events.size(), "torn before the commit record (" + count + "): the message is read again");
                assertEquals(ClientEvent.Kind.MESSAGE, again.events.get(0).kind);
            } else {
                assertTrue(again.events.isEmpty(), "torn after the commit record (" + count + "): the step happened");
            }
            // Leftovers are deleted by the next save, after which the store holds one version per record.
            Map<String, byte[]> cleaned = new HashMap<>(torn);
            PersistBench.apply(again, cleaned);
            Output next = restored.entries(System.currentTimeMillis(), List.of(new Entry(501, small.next())));
            PersistBench.apply(next, cleaned);
            Map<String, Integer> versions = new HashMap<>();
            for (String k : cleaned.keySet()) {
                if (k.contains("@")) {
                    versions.merge(k.substring(0, k.lastIndexOf('@')), 1, Integer::sum);
                }
            }
            for (Map.Entry<String, Integer> v : versions.entrySet()) {
                assertEquals(1, v.getValue(), v.getKey() + " after a save torn at " + count);
            }
        }
    }
}
