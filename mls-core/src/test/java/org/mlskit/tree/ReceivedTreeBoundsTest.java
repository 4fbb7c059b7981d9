package org.mlskit.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.LeafNode;

/**
 * A ratchet tree from outside (a Welcome, a GroupInfo, out of band) is mostly what its sender
 * chose, blank nodes included: decoding and hashing it must cost in proportion to its bytes, and
 * trees wider than {@link RatchetTree#MAX_RECEIVED_LEAVES} are refused before any hashing.
 */
class ReceivedTreeBoundsTest {
    /** A tree of {@code blanks} blank nodes between two copies of one official leaf (decoding does not check uniqueness). */
    private static byte[] mostlyBlank(LeafNode leaf, int blanks) {
        TlsWriter w = new TlsWriter(blanks + 4096);
        int mark = w.beginVector();
        w.optional(Node.leaf(leaf));
        for (int i = 0; i < blanks; i++) {
            w.u8(0);
        }
        w.optional(Node.leaf(leaf));
        w.endVector(mark);
        return w.toByteArray();
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aMebibyteOfBlankNodesCostsInProportionToItsBytes() {
        CipherSuite cs = OfficialTrees.suite(0);
        LeafNode leaf = firstLeaf(OfficialTrees.tree(0));
        // 2^20 - 1 blank nodes: the last leaf lands at node 2^20, so the tree spans 2^20 leaves.
        byte[] bytes = mostlyBlank(leaf, (1 << 20) - 1);
        RatchetTree warm = Codec.decodeAll(mostlyBlank(leaf, 1023), in -> RatchetTree.decode(cs, in));
        assertNotNull(warm.treeHash());
        long before = allocatedByThisThread();
        RatchetTree t = Codec.decodeAll(bytes, in -> RatchetTree.decode(cs, in));
        byte[] hash = t.treeHash();
        long perByte = (allocatedByThisThread() - before) / bytes.length;
        System.out.println("received-tree bound: " + bytes.length + " bytes, " + perByte + " bytes allocated per byte");
        assertEquals(cs.hash().length(), hash.length);
        assertEquals(1 << 20, t.leafCount());
        // Session 6 before the fix: about 1,500 bytes allocated per input byte.
        assertTrue(perByte < 200, "decoding and hashing allocated " + perByte + " bytes per input byte");
    }

    @Test
    void aTreeWiderThanTheBoundIsRefusedBeforeHashing() {
        CipherSuite cs = OfficialTrees.suite(0);
        LeafNode leaf = firstLeaf(OfficialTrees.tree(0));
        // The last leaf at node 2^21: 2^20 + 1 leaves, one more than the bound allows.
        byte[] bytes = mostlyBlank(leaf, (1 << 21) - 1);
        MlsException e = assertThrows(MlsException.class, () -> Codec.decodeAll(bytes, in -> RatchetTree.decode(cs, in)));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("leaves"), e.getMessage());
    }

    private static LeafNode firstLeaf(RatchetTree t) {
        for (int i = 0; i < t.leafCount(); i++) {
            if (t.leaf(i) != null) {
                return t.leaf(i);
            }
        }
        throw new AssertionError("no leaf");
    }
}
