package org.mlskit.vectors;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Proposal;
import org.mlskit.tree.RatchetTree;

import static org.mlskit.vectors.TestVectors.*;

/** tree-operations.json: an Add, Update or Remove applied to a tree gives the expected tree and hash. */
final class TreeOperationsVectors {
    private TreeOperationsVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        RatchetTree tree = Codec.decodeAll(hex(v, "tree_before"), in -> RatchetTree.decode(cs, in));
        expectEqual("tree_hash_before", hex(v, "tree_hash_before"), tree.treeHash());
        Proposal p = Codec.decodeAll(hex(v, "proposal"), Proposal::decode);
        int sender = (int) num(v, "proposal_sender");
        if (p instanceof Proposal.Add) {
            tree.addLeaf(((Proposal.Add) p).keyPackage.leafNode);
        } else if (p instanceof Proposal.Update) {
            tree.updateLeaf(sender, ((Proposal.Update) p).leafNode);
        } else if (p instanceof Proposal.Remove) {
            tree.removeLeaf(((Proposal.Remove) p).removed);
        } else {
            throw new VectorMismatch("unexpected proposal type " + p.type());
        }
        expectEqual("tree_after", hex(v, "tree_after"), tree.toBytes());
        expectEqual("tree_hash_after", hex(v, "tree_hash_after"), tree.treeHash());
    }
}
