package org.mlskit.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.tree.OfficialTrees.groupId;
import static org.mlskit.tree.OfficialTrees.tree;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.keys.LeafNode;

/** Inconsistent trees, made by changing one thing in valid official trees, are rejected with typed errors. */
class TreeValidationTest {
    private static void rejected(ErrorCode code, Runnable r) {
        MlsException e = assertThrows(MlsException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    /** An entry whose tree has a parent node with unmerged leaves (the RFC's Figure 20 tree, last in the file). */
    private static int withUnmerged() {
        for (int i = OfficialTrees.count() - 1; i >= 0; i--) {
            RatchetTree t = tree(i);
            for (int p = 1; p < t.nodeCount(); p += 2) {
                if (t.parent(p) != null && t.parent(p).unmergedLeaves.length > 0) {
                    return i;
                }
            }
        }
        throw new AssertionError("no tree with unmerged leaves");
    }

    @Test
    void everyOfficialTreeIsValid() {
        for (int i = 0; i < OfficialTrees.count(); i++) {
            TreeValidation.validate(tree(i), groupId(i));
        }
    }

    @Test
    void aChangedParentHashBreaksTheChain() {
        for (int i = 0; i < OfficialTrees.count(); i++) {
            RatchetTree t = tree(i);
            int p = TreeMath.root(t.leafCount());
            ParentNode pn = t.parent(p);
            if (pn == null) {
                continue;
            }
            byte[] ph = pn.encryptionKey.clone();
            ph[0] ^= 1;
            t.set(p, Node.parent(new ParentNode(ph, pn.parentHash, pn.unmergedLeaves)));
            rejected(ErrorCode.INVALID_PARENT_HASH, () -> TreeValidation.validateStructure(t));
            return;
        }
        throw new AssertionError("no tree with a non-blank root");
    }

    @Test
    void aForgedLeafSignatureIsRejected() {
        RatchetTree t = tree(0);
        LeafNode l = t.leaf(1);
        byte[] sig = l.signature.clone();
        sig[sig.length / 2] ^= 0x40;
        t.setLeaf(1, l.withSignature(sig));
        rejected(ErrorCode.INVALID_SIGNATURE, () -> TreeValidation.validate(t, groupId(0)));
    }

    @Test
    void unmergedLeavesThatDoNotMatchAreRejected() {
        int i = withUnmerged();
        RatchetTree t = tree(i);
        for (int p = 1; p < t.nodeCount(); p += 2) {
            ParentNode pn = t.parent(p);
            if (pn != null && pn.unmergedLeaves.length > 0) {
                // Drop the unmerged leaf: the parent-hash relation no longer holds.
                RatchetTree dropped = t.copy();
                dropped.set(p, Node.parent(pn.withUnmergedLeaves(new int[0])));
                rejected(ErrorCode.INVALID_PARENT_HASH, () -> TreeValidation.validateStructure(dropped));
                // Name a leaf that is not under the node.
                RatchetTree foreign = t.copy();
                int outside = TreeMath.isLeafUnder(0, p) ? t.leafCount() - 1 : 0;
                foreign.set(p, Node.parent(pn.withUnmergedLeaves(new int[] {outside})));
                rejected(ErrorCode.INVALID_TREE, () -> TreeValidation.validateStructure(foreign));
                return;
            }
        }
    }

    @Test
    void aWrongTreeHashIsRejected() {
        RatchetTree t = tree(0);
        byte[] h = t.treeHash();
        TreeValidation.checkTreeHash(t, h);
        byte[] wrong = h.clone();
        wrong[3] ^= 1;
        rejected(ErrorCode.INVALID_TREE, () -> TreeValidation.checkTreeHash(t, wrong));
    }

    @Test
    void duplicateKeysAreRejected() {
        RatchetTree t = tree(0);
        LeafNode a = t.leaf(0);
        LeafNode b = t.leaf(1);
        t.setLeaf(1, new LeafNode(a.encryptionKey, b.signatureKey, b.credential, b.capabilities, b.source, b.lifetime,
                b.parentHash, b.extensions, b.signature));
        rejected(ErrorCode.INVALID_TREE, () -> TreeValidation.validateStructure(t));
    }

    @Test
    void treeHashCacheFollowsChanges() {
        RatchetTree t = tree(OfficialTrees.count() - 1);
        byte[] before = t.treeHash();
        LeafNode l = t.leaf(0);
        t.setLeaf(0, l.withSignature(new byte[] {1}));
        byte[] changed = t.treeHash();
        t.setLeaf(0, l);
        assertArrayEquals(before, t.treeHash());
        assertEquals(false, java.util.Arrays.equals(before, changed));
    }
}
