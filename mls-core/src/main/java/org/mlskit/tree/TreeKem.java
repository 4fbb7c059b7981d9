package org.mlskit.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.LeafNode;

/**
 * TreeKEM (RFC 9420 §7.4–7.6): creating an UpdatePath for one's own leaf, merging a received
 * one into the tree and decrypting the path secret it carries for us.
 *
 * <p>Both directions run in two steps because the HPKE context is the provisional GroupContext,
 * whose tree hash is only known once the path is in the tree: first the path is applied to the
 * tree, then the caller builds the GroupContext and encrypts or decrypts.
 */
public final class TreeKem {
    private static final String LABEL = "UpdatePathNode";

    private TreeKem() {
    }

    /** A path applied by its sender but not yet encrypted; holds the new secrets until the commit is done. */
    public static final class PendingPath {
        private final RatchetTree tree;
        private final int leaf;
        private final int[] fdp;
        private final byte[][] pathSecrets;
        private final byte[][] privateKeys;
        private final byte[] leafPrivateKey;
        private final LeafNode leafNode;

        PendingPath(RatchetTree tree, int leaf, int[] fdp, byte[][] pathSecrets, byte[][] privateKeys, byte[] leafPrivateKey,
                LeafNode leafNode) {
            this.tree = tree;
            this.leaf = leaf;
            this.fdp = fdp;
            this.pathSecrets = pathSecrets;
            this.privateKeys = privateKeys;
            this.leafPrivateKey = leafPrivateKey;
            this.leafNode = leafNode;
        }

        public LeafNode leafNode() {
            return leafNode;
        }

        /** commit_secret: one more DeriveSecret(., "path") past the root's path secret (zero-path: null). */
        public byte[] commitSecret() {
            return commitSecretFrom(tree.suite(), pathSecrets);
        }

        /** The path secret of a node of the filtered direct path, e.g. for a joiner's GroupSecrets. */
        public byte[] pathSecret(int node) {
            for (int i = 0; i < fdp.length; i++) {
                if (fdp[i] == node) {
                    return pathSecrets[i].clone();
                }
            }
            return null;
        }

        /** Encrypts each path secret to the copath resolution, leaving out this commit's new members. */
        public UpdatePath encrypt(byte[] groupContext, int[] newMembers, RandomSource random) {
            CipherSuite suite = tree.suite();
            int[] copath = copathOf(tree, leaf, fdp);
            List<UpdatePath.Node> nodes = new ArrayList<>();
            // One EncryptContext for every seal of the path: the GroupContext is hashed once, not per recipient.
            org.mlskit.crypto.Hpke.Info context = suite.encryptContext(LABEL, groupContext);
            for (int i = 0; i < fdp.length; i++) {
                List<HpkeCiphertext> cts = new ArrayList<>();
                for (int r : tree.resolution(copath[i], newMembers)) {
                    cts.add(suite.encryptWithLabel(tree.node(r).encryptionKey(), context, pathSecrets[i], random));
                }
                nodes.add(new UpdatePath.Node(tree.parent(fdp[i]).encryptionKey, cts));
            }
            return new UpdatePath(leafNode, nodes);
        }

        /** The sender's private tree after the commit: its new leaf key and every path node's key. */
        public void applyTo(PrivateTree priv) {
            for (int p : TreeMath.directPath(TreeMath.nodeIndex(leaf), tree.leafCount())) {
                priv.remove(p);
            }
            priv.put(TreeMath.nodeIndex(leaf), leafPrivateKey);
            for (int i = 0; i < fdp.length; i++) {
                priv.put(fdp[i], privateKeys[i]);
            }
        }

        /** Zeroes the path secrets and keys once the commit is merged or discarded. */
        public void erase() {
            for (byte[] s : pathSecrets) {
                Arrays.fill(s, (byte) 0);
            }
            for (byte[] k : privateKeys) {
                Arrays.fill(k, (byte) 0);
            }
            Arrays.fill(leafPrivateKey, (byte) 0);
        }
    }

    /**
     * Sender side, step 1: fresh keys for {@code leaf} and its filtered direct path, applied to
     * {@code tree} with parent hashes, and a new commit-sourced leaf signed with
     * {@code signaturePrivateKey}. {@code template} gives the leaf's other fields.
     */
    public static PendingPath createPath(RatchetTree tree, int leaf, LeafNode template, byte[] signaturePrivateKey,
            byte[] groupId, RandomSource random) {
        CipherSuite suite = tree.suite();
        tree.blankDirectPath(leaf);
        int[] fdp = tree.filteredDirectPath(leaf);
        byte[][] secrets = new byte[fdp.length][];
        byte[][] privs = new byte[fdp.length][];
        for (int i = 0; i < fdp.length; i++) {
            secrets[i] = i == 0 ? random.bytes(suite.kdf().length()) : suite.deriveSecret(secrets[i - 1], "path");
            KeyPair kp = nodeKeyPair(suite, secrets[i]);
            privs[i] = kp.privateKey();
            tree.set(fdp[i], Node.parent(new ParentNode(kp.publicKey(), new byte[0], new int[0])));
        }
        byte[] leafParentHash = setParentHashes(tree, leaf, fdp);
        KeyPair leafKeys = suite.hpke().generateKeyPair(random);
        LeafNode unsigned = new LeafNode(leafKeys.publicKey(), template.signatureKey, template.credential,
                template.capabilities, LeafNode.SOURCE_COMMIT, null, leafParentHash, template.extensions, new byte[0]);
        LeafNode signed = unsigned.withSignature(
                suite.signWithLabel(signaturePrivateKey, "LeafNodeTBS", unsigned.toBeSigned(groupId, leaf)));
        tree.setLeaf(leaf, signed);
        return new PendingPath(tree, leaf, fdp, secrets, privs, leafKeys.privateKey(), signed);
    }

    /**
     * Receiver side, step 1: merges {@code path} from {@code sender} into {@code tree} (§7.5) and
     * checks the new leaf's parent hash. On error the tree must be discarded (callers work on a copy).
     */
    public static void mergePath(RatchetTree tree, int sender, UpdatePath path) {
        tree.blankDirectPath(sender);
        int[] fdp = tree.filteredDirectPath(sender);
        if (path.nodes.size() != fdp.length) {
            throw new MlsException(ErrorCode.INVALID_TREE, "UpdatePath has " + path.nodes.size()
                    + " nodes; the sender's filtered direct path has " + fdp.length);
        }
        for (int i = 0; i < fdp.length; i++) {
            tree.set(fdp[i], Node.parent(new ParentNode(path.nodes.get(i).encryptionKey, new byte[0], new int[0])));
        }
        byte[] leafParentHash = setParentHashes(tree, sender, fdp);
        LeafNode leaf = path.leafNode;
        if (leaf.source != LeafNode.SOURCE_COMMIT || !Arrays.equals(leaf.parentHash, leafParentHash)) {
            throw new MlsException(ErrorCode.INVALID_PARENT_HASH, "the committer's leaf does not carry the parent hash of its path");
        }
        tree.setLeaf(sender, leaf);
    }

    /**
     * Receiver side, step 2: decrypts the path secret meant for {@code priv}'s member, derives the
     * keys above it, checks them against the path, updates {@code priv} and returns the commit
     * secret with the path secret that was decrypted.
     */
    public static Decrypted decryptPath(RatchetTree tree, int sender, UpdatePath path, PrivateTree priv, byte[] groupContext,
            int[] newMembers) {
        CipherSuite suite = tree.suite();
        int[] fdp = tree.filteredDirectPath(sender);
        int[] copath = copathOf(tree, sender, fdp);
        int me = priv.leaf();
        int i = 0;
        while (i < fdp.length && !TreeMath.isLeafUnder(me, copath[i])) {
            i++;
        }
        if (i == fdp.length) {
            throw new MlsException(ErrorCode.INVALID_TREE, "no node of the sender's path covers leaf " + me);
        }
        int[] res = tree.resolution(copath[i], newMembers);
        List<HpkeCiphertext> cts = path.nodes.get(i).encryptedPathSecret;
        if (cts.size() != res.length) {
            throw new MlsException(ErrorCode.INVALID_TREE, "UpdatePath node " + i + " has " + cts.size()
                    + " ciphertexts for a resolution of " + res.length);
        }
        byte[] secret = null;
        for (int j = 0; j < res.length && secret == null; j++) {
            byte[] key = priv.privateKey(res[j]);
            if (key != null) {
                HpkeCiphertext ct = cts.get(j);
                secret = suite.decryptWithLabel(key, tree.node(res[j]).encryptionKey(), LABEL, groupContext, ct.kemOutput(),
                        ct.ciphertext());
            }
        }
        if (secret == null) {
            throw new MlsException(ErrorCode.INVALID_TREE, "no key of leaf " + me + " in the resolution of node " + copath[i]);
        }
        byte[][] secrets = new byte[fdp.length][];
        byte[][] privs = new byte[fdp.length][];
        for (int k = i; k < fdp.length; k++) {
            secrets[k] = k == i ? secret : suite.deriveSecret(secrets[k - 1], "path");
            KeyPair kp = nodeKeyPair(suite, secrets[k]);
            if (!Arrays.equals(kp.publicKey(), path.nodes.get(k).encryptionKey)) {
                throw new MlsException(ErrorCode.INVALID_TREE, "the public key of path node " + fdp[k]
                        + " does not match its path secret");
            }
            privs[k] = kp.privateKey();
        }
        for (int p : TreeMath.directPath(TreeMath.nodeIndex(sender), tree.leafCount())) {
            priv.remove(p);
        }
        for (int k = i; k < fdp.length; k++) {
            priv.put(fdp[k], privs[k]);
            Arrays.fill(privs[k], (byte) 0);
        }
        byte[] commit = commitSecretFrom(suite, Arrays.copyOfRange(secrets, i, fdp.length));
        Decrypted out = new Decrypted(fdp[i], secret.clone(), commit);
        for (int k = i; k < fdp.length; k++) {
            Arrays.fill(secrets[k], (byte) 0);
        }
        return out;
    }

    /** What a receiver learns from an UpdatePath: the commit secret, and the path secret it decrypted (at {@code node}). */
    public static final class Decrypted {
        public final int node;
        public final byte[] pathSecret;
        public final byte[] commitSecret;

        Decrypted(int node, byte[] pathSecret, byte[] commitSecret) {
            this.node = node;
            this.pathSecret = pathSecret;
            this.commitSecret = commitSecret;
        }
    }

    /** node_secret = DeriveSecret(path_secret, "node"); the node's key pair = KEM.DeriveKeyPair(node_secret). */
    public static KeyPair nodeKeyPair(CipherSuite suite, byte[] pathSecret) {
        byte[] nodeSecret = suite.deriveSecret(pathSecret, "node");
        try {
            return suite.hpke().deriveKeyPair(nodeSecret);
        } finally {
            Arrays.fill(nodeSecret, (byte) 0);
        }
    }

    private static byte[] commitSecretFrom(CipherSuite suite, byte[][] pathSecrets) {
        if (pathSecrets.length == 0) {
            return null;
        }
        return suite.deriveSecret(pathSecrets[pathSecrets.length - 1], "path");
    }

    /** For each node of the filtered direct path, its child that is not an ancestor of {@code leaf}. */
    private static int[] copathOf(RatchetTree tree, int leaf, int[] fdp) {
        int[] out = new int[fdp.length];
        for (int i = 0; i < fdp.length; i++) {
            int l = TreeMath.left(fdp[i]);
            out[i] = TreeMath.isLeafUnder(leaf, l) ? TreeMath.right(fdp[i]) : l;
        }
        return out;
    }

    /** Sets parent hashes down the filtered direct path from the root (§7.9); returns the leaf's. */
    private static byte[] setParentHashes(RatchetTree tree, int leaf, int[] fdp) {
        int[] copath = copathOf(tree, leaf, fdp);
        byte[] below = new byte[0];
        for (int i = fdp.length - 1; i >= 0; i--) {
            ParentNode p = tree.parent(fdp[i]);
            tree.set(fdp[i], Node.parent(new ParentNode(p.encryptionKey, below, new int[0])));
            below = ParentHashes.of(tree, fdp[i], copath[i]);
        }
        return below;
    }
}
