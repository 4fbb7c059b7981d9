package org.mlskit.tree;

import java.util.HashSet;
import java.util.Set;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.keys.LeafNode;

/**
 * The checks a member makes on a ratchet tree it did not build (RFC 9420 §12.4.3.1, joining):
 * unmerged leaves consistent, parent hashes chaining every parent to a leaf, HPKE and signature
 * keys unique, every leaf's signature valid. Each failure is a typed error naming the node.
 */
public final class TreeValidation {
    private TreeValidation() {
    }

    /** Everything, including every leaf's signature over its LeafNodeTBS with {@code groupId}. */
    public static void validate(RatchetTree tree, byte[] groupId) {
        checkLocal(tree);
        verifyLeafSignatures(tree, groupId);
        ParentHashes.verify(tree);
    }

    /** All but the leaf signatures: unmerged leaves, key uniqueness and parent hashes. */
    public static void validateStructure(RatchetTree tree) {
        checkLocal(tree);
        ParentHashes.verify(tree);
    }

    /** The checks that look at nodes one by one, before the chain-wide parent-hash check. */
    private static void checkLocal(RatchetTree tree) {
        if (tree.leaf(0) == null && tree.leafCount() == 1) {
            throw new MlsException(ErrorCode.INVALID_TREE, "a tree without members");
        }
        checkUnmergedLeaves(tree);
        checkUniqueKeys(tree);
    }

    /** The tree must hash to what the GroupContext says (a joiner's first check). */
    public static void checkTreeHash(RatchetTree tree, byte[] expected) {
        if (!java.util.Arrays.equals(tree.treeHash(), expected)) {
            throw new MlsException(ErrorCode.INVALID_TREE, "the tree hash differs from the GroupContext's tree_hash");
        }
    }

    public static void verifyLeafSignatures(RatchetTree tree, byte[] groupId) {
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode l = tree.leaf(i);
            if (l != null && !l.verify(tree.suite(), groupId, i)) {
                throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the signature of leaf " + i + " does not verify");
            }
        }
    }

    /**
     * Each unmerged leaf of a parent P is a non-blank leaf under P, and is also unmerged at every
     * non-blank node between it and P.
     */
    private static void checkUnmergedLeaves(RatchetTree tree) {
        int leaves = tree.leafCount();
        for (int p = 1; p < tree.nodeCount(); p += 2) {
            ParentNode pn = tree.parent(p);
            if (pn == null) {
                continue;
            }
            int prev = -1;
            for (int leaf : pn.unmergedLeaves) {
                if (leaf <= prev) {
                    throw new MlsException(ErrorCode.INVALID_TREE, "unmerged leaves of node " + p + " are not in ascending order");
                }
                prev = leaf;
                if (leaf >= leaves || !TreeMath.isLeafUnder(leaf, p) || tree.leaf(leaf) == null) {
                    throw new MlsException(ErrorCode.INVALID_TREE, "node " + p + " lists leaf " + Integer.toUnsignedString(leaf)
                            + " as unmerged, but it is not a member leaf under it");
                }
                for (int x = TreeMath.parent(TreeMath.nodeIndex(leaf), leaves); x != p; x = TreeMath.parent(x, leaves)) {
                    ParentNode between = tree.parent(x);
                    if (between != null && !RatchetTree.contains(between.unmergedLeaves, leaf)) {
                        throw new MlsException(ErrorCode.INVALID_TREE, "leaf " + leaf + " is unmerged at node " + p
                                + " but not at node " + x + " below it");
                    }
                }
            }
        }
    }

    private static void checkUniqueKeys(RatchetTree tree) {
        Set<Bytes> encryption = new HashSet<>();
        Set<Bytes> signature = new HashSet<>();
        for (int i = 0; i < tree.nodeCount(); i++) {
            Node n = tree.node(i);
            if (n == null) {
                continue;
            }
            if (!encryption.add(new Bytes(n.encryptionKey()))) {
                throw new MlsException(ErrorCode.INVALID_TREE, "node " + i + " repeats an encryption key used elsewhere in the tree");
            }
            if (n.isLeaf() && !signature.add(new Bytes(tree.suite().signatureScheme().canonicalPublicKey(n.leaf.signatureKey)))) {
                throw new MlsException(ErrorCode.INVALID_TREE, "leaf " + i / 2 + " repeats another leaf's signature key");
            }
        }
    }
}
