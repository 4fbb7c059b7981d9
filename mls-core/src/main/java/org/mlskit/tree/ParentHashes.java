package org.mlskit.tree;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.LeafNode;

/** Parent hashes (RFC 9420 §7.9): computing them, and checking that every parent node of a tree is parent-hash valid. */
public final class ParentHashes {
    private ParentHashes() {
    }

    /**
     * The parent hash of parent node {@code p} with copath child {@code sibling}:
     * Hash(ParentHashInput{encryption_key, parent_hash, original_sibling_tree_hash}).
     */
    public static byte[] of(RatchetTree tree, int p, int sibling) {
        ParentNode pn = tree.parent(p);
        TlsWriter w = new TlsWriter(256);
        w.opaque(pn.encryptionKey).opaque(pn.parentHash).opaque(tree.treeHashWithout(sibling, pn.unmergedLeaves));
        return tree.suite().hash(w.toByteArray());
    }

    /** The parent_hash field of a node: a parent's, or a commit-sourced leaf's; null when it has none. */
    static byte[] parentHashField(Node n) {
        if (n.isLeaf()) {
            LeafNode l = n.leaf;
            return l.source == LeafNode.SOURCE_COMMIT ? l.parentHash : null;
        }
        return n.parent.parentHash;
    }

    /**
     * Verifies that every non-blank parent node has exactly one descendant whose parent hash is
     * valid with respect to it ("top down", §7.9.2), so every parent chains back to a leaf.
     */
    public static void verify(RatchetTree tree) {
        int leaves = tree.leafCount();
        for (int p = 1; p < tree.nodeCount(); p += 2) {
            ParentNode pn = tree.parent(p);
            if (pn == null) {
                continue;
            }
            int valid = validChildren(tree, p, TreeMath.left(p), TreeMath.right(p))
                    + validChildren(tree, p, TreeMath.right(p), TreeMath.left(p));
            if (valid != 1) {
                throw new MlsException(ErrorCode.INVALID_PARENT_HASH, "parent node " + p + " of a " + leaves + "-leaf tree has "
                        + valid + " descendants with a valid parent hash; exactly one is required");
            }
        }
    }

    /** How many nodes D under child {@code c} of {@code p} have a parent hash valid with respect to p. */
    private static int validChildren(RatchetTree tree, int p, int c, int s) {
        byte[] expected = null;
        int[] res = tree.resolution(c);
        int[] unmergedUnderC = unmergedUnder(tree.parent(p).unmergedLeaves, c);
        int count = 0;
        for (int d : res) {
            byte[] field = parentHashField(tree.node(d));
            if (field == null) {
                continue;
            }
            if (expected == null) {
                expected = of(tree, p, s);
            }
            if (Arrays.equals(field, expected) && sameSet(res, d, unmergedUnderC)) {
                count++;
            }
        }
        return count;
    }

    /** Node indices of the unmerged leaves that lie under node {@code c}. */
    private static int[] unmergedUnder(int[] unmerged, int c) {
        int[] out = new int[unmerged.length];
        int n = 0;
        for (int leaf : unmerged) {
            if (TreeMath.isLeafUnder(leaf, c)) {
                out[n++] = TreeMath.nodeIndex(leaf);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Whether {@code res} without {@code d} holds exactly the nodes of {@code expected}. */
    private static boolean sameSet(int[] res, int d, int[] expected) {
        if (res.length - 1 != expected.length) {
            return false;
        }
        for (int x : res) {
            if (x != d && !RatchetTree.contains(expected, x)) {
                return false;
            }
        }
        return true;
    }
}
