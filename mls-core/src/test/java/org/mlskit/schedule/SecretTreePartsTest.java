package org.mlskit.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.tree.TreeMath;

/** The secret tree saved as one record per node secret and per used leaf, and put together again. */
class SecretTreePartsTest {
    private static final CipherSuite CS = CipherSuite.of(1);
    private static final int LEAVES = 16;

    /** A saved tree: node secrets and leaf records; {@code log} lists this save's writes in order. */
    private static final class Store {
        final Map<Integer, byte[]> nodes = new HashMap<>();
        final Map<Integer, byte[]> leaves = new HashMap<>();
        final List<Object[]> log = new ArrayList<>(); // {"n"|"l", index, bytes or null}

        void save(SecretTree t) {
            log.clear();
            t.drainChanges(new SecretTree.Changes() {
                @Override
                public void node(int node, byte[] secret) {
                    log.add(new Object[] {"n", node, secret});
                }

                @Override
                public void leaf(int leaf) {
                    TlsWriter w = new TlsWriter();
                    t.encodeLeaf(leaf, w);
                    log.add(new Object[] {"l", leaf, w.toByteArray()});
                }
            });
            apply(log.size(), true);
        }

        /** Applies the first {@code count} writes of the last save; {@code deletes}: whether deletions land. */
        void apply(int count, boolean deletes) {
            for (Object[] w : log.subList(0, count)) {
                Map<Integer, byte[]> m = w[0].equals("n") ? nodes : leaves;
                if (w[2] == null) {
                    if (deletes) {
                        m.remove((Integer) w[1]);
                    }
                } else {
                    m.put((Integer) w[1], (byte[]) w[2]);
                }
            }
        }

        SecretTree load() {
            Map<Integer, TlsReader> readers = new HashMap<>();
            for (Map.Entry<Integer, byte[]> e : leaves.entrySet()) {
                readers.put(e.getKey(), new TlsReader(e.getValue()));
            }
            return SecretTree.assemble(CS, LEAVES, RatchetPolicy.DEFAULT, nodes, readers);
        }

        Store copy() {
            Store s = new Store();
            s.nodes.putAll(nodes);
            s.leaves.putAll(leaves);
            s.log.addAll(log);
            return s;
        }
    }

    private static byte[] secret() {
        return new SecureRandomSource().bytes(32);
    }

    @Test
    void onlyWhatMovedIsWrittenAndTheRootGoesOnceExpanded() {
        byte[] root = secret();
        SecretTree t = new SecretTree(CS, root, LEAVES, RatchetPolicy.DEFAULT);
        Store s = new Store();
        s.save(t);
        assertEquals(1, s.nodes.size());
        assertArrayEquals(root, s.nodes.get(TreeMath.root(LEAVES)));

        t.applicationRatchet(5).next();
        s.save(t);
        assertFalse(s.nodes.containsKey(TreeMath.root(LEAVES)), "the encryption secret is not kept once expanded");
        assertEquals(4, s.nodes.size(), "one sibling per level of a 16-leaf tree: " + s.nodes.keySet());
        assertEquals(List.of(5), new ArrayList<>(s.leaves.keySet()));

        t.applicationRatchet(5).next();
        s.save(t);
        assertEquals(1, s.log.size(), "a second message rewrites its leaf only");
        assertEquals("l", s.log.get(0)[0]);

        SecretTree loaded = s.load();
        assertArrayEquals(t.applicationRatchet(5).next().key(), loaded.applicationRatchet(5).next().key());
        SecretTree reference = new SecretTree(CS, root, LEAVES, RatchetPolicy.DEFAULT);
        for (int leaf = 0; leaf < LEAVES; leaf++) {
            if (leaf != 5) {
                assertArrayEquals(reference.applicationRatchet(leaf).forGeneration(0).key(),
                        loaded.applicationRatchet(leaf).forGeneration(0).key(), "leaf " + leaf);
            }
        }
    }

    @Test
    void aSaveTornAnywhereLoadsAndIsCleanedUp() {
        byte[] root = secret();
        SecretTree t = new SecretTree(CS, root, LEAVES, RatchetPolicy.DEFAULT);
        Store before = new Store();
        before.save(t);
        t.applicationRatchet(2).forGeneration(0);
        t.applicationRatchet(11).forGeneration(0);
        Store full = before.copy();
        full.save(t);
        int writes = full.log.size();
        for (int count = 0; count <= writes; count++) {
            for (boolean deletes : new boolean[] {false, true}) {
                Store torn = before.copy();
                torn.log.clear();
                torn.log.addAll(full.log);
                torn.apply(count, deletes);
                SecretTree loaded = torn.load();
                Store after = torn.copy();
                after.save(loaded); // the clean-up the loaded tree asks for
                SecretTree reference = new SecretTree(CS, root, LEAVES, RatchetPolicy.DEFAULT);
                for (int leaf = 0; leaf < LEAVES; leaf++) {
                    boolean used = torn.leaves.containsKey(leaf);
                    if (used) {
                        int l = leaf;
                        MlsException e = assertThrows(MlsException.class, () -> loaded.applicationRatchet(l).forGeneration(0));
                        assertEquals(ErrorCode.DUPLICATE_MESSAGE, e.code());
                        reference.applicationRatchet(leaf).forGeneration(0);
                    }
                    assertArrayEquals(reference.applicationRatchet(leaf).forGeneration(1).key(),
                            loaded.applicationRatchet(leaf).forGeneration(1).key(), "leaf " + leaf + " after " + count);
                }
                // After the clean-up no stored secret lies above another or above a used leaf.
                for (int n : after.nodes.keySet()) {
                    for (int m : after.nodes.keySet()) {
                        assertFalse(m != n && TreeMath.level(n) > TreeMath.level(m) && isAbove(n, m), n + " above " + m);
                    }
                    for (int leaf : after.leaves.keySet()) {
                        assertFalse(n == TreeMath.nodeIndex(leaf) || (TreeMath.level(n) > 0 && TreeMath.isLeafUnder(leaf, n)),
                                "node " + n + " can derive used leaf " + leaf);
                    }
                }
            }
        }
    }

    private static boolean isAbove(int n, int m) {
        for (int p : TreeMath.directPath(m, LEAVES)) {
            if (p == n) {
                return true;
            }
        }
        return false;
    }

    @Test
    void partsOfAnotherSizeOfTreeAreRefused() {
        Map<Integer, byte[]> nodes = new HashMap<>();
        nodes.put(2 * LEAVES + 5, secret());
        MlsException e = assertThrows(MlsException.class,
                () -> SecretTree.assemble(CS, LEAVES, RatchetPolicy.DEFAULT, nodes, new HashMap<>()));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("outside"));
    }
}
