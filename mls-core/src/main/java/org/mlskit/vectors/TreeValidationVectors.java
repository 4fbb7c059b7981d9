package org.mlskit.vectors;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeValidation;

import static org.mlskit.vectors.TestVectors.*;

/** tree-validation.json: resolution and tree hash of every node, parent hashes, leaf signatures. */
final class TreeValidationVectors {
    private TreeValidationVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        RatchetTree tree = Codec.decodeAll(hex(v, "tree"), in -> RatchetTree.decode(cs, in));
        JsonValue resolutions = field(v, "resolutions");
        JsonValue hashes = field(v, "tree_hashes");
        expectEqual("node count", resolutions.length(), tree.nodeCount());
        for (int i = 0; i < tree.nodeCount(); i++) {
            JsonValue want = resolutions.at(i);
            int[] got = tree.resolution(i);
            expectEqual("resolution of node " + i + " size", want.length(), got.length);
            for (int j = 0; j < got.length; j++) {
                expectEqual("resolution of node " + i + "[" + j + "]", want.at(j).asLong(), got[j]);
            }
            expectEqual("tree hash of node " + i, org.bouncycastle.util.encoders.Hex.decode(hashes.at(i).asString()),
                    tree.treeHash(i));
        }
        TreeValidation.validate(tree, hex(v, "group_id"));
    }
}
