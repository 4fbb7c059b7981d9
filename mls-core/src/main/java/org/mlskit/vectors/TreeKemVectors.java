package org.mlskit.vectors;

import java.util.Collections;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.GroupContext;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.UpdatePath;

import static org.mlskit.vectors.TestVectors.*;

/**
 * treekem.json: each UpdatePath merges into the tree with valid parent hashes and decrypts for
 * every other member to the expected path and commit secrets; a fresh UpdatePath created by the
 * same sender gives every other member the sender's commit secret.
 */
final class TreeKemVectors {
    private TreeKemVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        int suiteId = (int) num(v, "cipher_suite");
        CipherSuite cs = CipherSuite.of(suiteId);
        byte[] groupId = hex(v, "group_id");
        long epoch = num(v, "epoch");
        byte[] cth = hex(v, "confirmed_transcript_hash");
        RatchetTree tree = Codec.decodeAll(hex(v, "ratchet_tree"), in -> RatchetTree.decode(cs, in));

        JsonValue leaves = field(v, "leaves_private");
        PrivateTree[] privs = new PrivateTree[tree.leafCount()];
        byte[][] sigKeys = new byte[tree.leafCount()][];
        for (int k = 0; k < leaves.length(); k++) {
            JsonValue l = leaves.at(k);
            int index = (int) num(l, "index");
            PrivateTree p = new PrivateTree(index, hex(l, "encryption_priv"));
            JsonValue ps = field(l, "path_secrets");
            for (int j = 0; j < ps.length(); j++) {
                p.put((int) num(ps.at(j), "node"), TreeKem.nodeKeyPair(cs, hex(ps.at(j), "path_secret")).privateKey());
            }
            expect("private state of leaf " + index + " matches the tree", p.consistentWith(tree));
            privs[index] = p;
            sigKeys[index] = hex(l, "signature_priv");
        }

        JsonValue paths = field(v, "update_paths");
        for (int u = 0; u < paths.length(); u++) {
            JsonValue e = paths.at(u);
            int sender = (int) num(e, "sender");
            String at = "update_paths[" + u + "] from leaf " + sender + ": ";
            UpdatePath path = Codec.decodeAll(hex(e, "update_path"), UpdatePath::decode);
            RatchetTree merged = tree.copy();
            TreeKem.mergePath(merged, sender, path);
            expectEqual(at + "tree_hash_after", hex(e, "tree_hash_after"), merged.treeHash());
            byte[] ctx = context(suiteId, groupId, epoch, merged, cth);
            JsonValue expectedSecrets = field(e, "path_secrets");
            for (int j = 0; j < tree.leafCount(); j++) {
                if (j == sender || tree.leaf(j) == null) {
                    continue;
                }
                TreeKem.Decrypted d = TreeKem.decryptPath(merged, sender, path, privs[j].copy(), ctx, new int[0]);
                expectEqual(at + "path secret decrypted by leaf " + j,
                        org.bouncycastle.util.encoders.Hex.decode(expectedSecrets.at(j).asString()), d.pathSecret);
                expectEqual(at + "commit secret at leaf " + j, hex(e, "commit_secret"), d.commitSecret);
            }

            // A fresh path from the same sender: everyone else derives the sender's commit secret.
            RatchetTree fresh = tree.copy();
            LeafNode old = tree.leaf(sender);
            TreeKem.PendingPath pending = TreeKem.createPath(fresh, sender, old, sigKeys[sender], groupId, random);
            byte[] freshCtx = context(suiteId, groupId, epoch, fresh, cth);
            UpdatePath created = pending.encrypt(freshCtx, new int[0], random);
            expect(at + "the fresh leaf is signed", pending.leafNode().verify(cs, groupId, sender));
            for (int j = 0; j < tree.leafCount(); j++) {
                if (j == sender || tree.leaf(j) == null) {
                    continue;
                }
                RatchetTree theirs = tree.copy();
                TreeKem.mergePath(theirs, sender, created);
                expectEqual(at + "fresh path: tree hash at leaf " + j, fresh.treeHash(), theirs.treeHash());
                TreeKem.Decrypted d = TreeKem.decryptPath(theirs, sender, created, privs[j].copy(), freshCtx, new int[0]);
                expectEqual(at + "fresh path: commit secret at leaf " + j, pending.commitSecret(), d.commitSecret);
            }
        }
    }

    private static byte[] context(int suite, byte[] groupId, long epoch, RatchetTree tree, byte[] cth) {
        return new GroupContext(suite, groupId, epoch, tree.treeHash(), cth, Collections.emptyList()).toBytes();
    }
}
