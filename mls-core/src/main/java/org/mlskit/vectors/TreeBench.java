package org.mlskit.vectors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;

import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.OperationCounter;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.tree.Node;
import org.mlskit.tree.ParentNode;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.TreeMath;
import org.mlskit.tree.UpdatePath;

/**
 * The tree benchmarks' scenario, shared by the JMH benchmarks and the TeaVM harness so that every
 * runtime measures the same thing: a group of {@code leaves} members (cipher suite 1, X25519 and
 * Ed25519), every leaf occupied, in one of two shapes:
 *
 * <ul>
 *   <li>{@link #UPDATED}: every member has committed an UpdatePath, so every parent node that
 *       lies on some member's filtered direct path (both of its subtrees hold a member) is
 *       populated and has no unmerged leaves; copath resolutions have one node each.</li>
 *   <li>{@link #ADDS}: the group was built by adds only (commits without a path), so every parent
 *       node is blank; the resolution of a copath node is every leaf under it.</li>
 * </ul>
 *
 * <p>The tree is synthetic and built cheaply: the other members' HPKE and signature keys are
 * random bytes (any 32 bytes are an X25519 public key), parent hashes are random, and leaf
 * signatures are random bytes. Only the keys the measured operations use are real: the
 * committer's (leaf {@value #COMMITTER}) signature key, and the receiver's (leaf
 * {@value #RECEIVER}, the committer's sibling) leaf key and the keys of the populated parents on
 * its direct path, which its {@link PrivateTree} holds. The committer's own path and the receiver's
 * merge are real TreeKEM, so parent hashes along the new path are computed and checked.
 *
 * <p>Operations ({@link #run}); each is steady-state, so it can be repeated on the same objects:
 * <ul>
 *   <li>{@code tree-hash}: replace one leaf (leaf {@code leaves / 2}, alternately with two
 *       LeafNodes) and compute the root tree hash from the cache (O(log n) hashes).</li>
 *   <li>{@code create-path}: the committer's {@code TreeKem.createPath} (fresh leaf key pair,
 *       path secrets and node key pairs, parent hashes, leaf signature), the provisional
 *       GroupContext (tree hash), then {@code encrypt} of each path secret to the copath
 *       resolution, and the commit secret.</li>
 *   <li>{@code process-path}: the receiver's {@code TreeKem.mergePath} (parent hashes, the leaf's
 *       parent-hash check), the verification of the new LeafNode's signature, the provisional
 *       GroupContext (tree hash), then {@code decryptPath} (one HPKE open, the key pairs of the
 *       path nodes above it, checked against the path) and the commit secret. The receiver is the
 *       committer's sibling, which decrypts at the lowest path node and derives every key pair
 *       above: the most expensive place for a receiver.</li>
 * </ul>
 * Building the scenario is setup, not part of any operation.
 */
public final class TreeBench {
    public static final String UPDATED = "updated";
    public static final String ADDS = "adds";
    public static final String TREE_HASH = "tree-hash";
    public static final String CREATE_PATH = "create-path";
    public static final String PROCESS_PATH = "process-path";
    /** Not a tree operation: one HPKE DeriveKeyPair, the floor of the "derive" count. */
    public static final String DERIVE_KEY_PAIR = "derive-key-pair";
    /**
     * Not a tree operation: one DecryptWithLabel of a 32-byte path secret with the recipient's
     * public key supplied, as {@code TreeKem.decryptPath} calls it; the floor of the "open" count.
     */
    public static final String HPKE_OPEN = "hpke-open";
    public static final String[] OPERATIONS = {TREE_HASH, CREATE_PATH, PROCESS_PATH};
    public static final String[] SHAPES = {UPDATED, ADDS};

    public static final int COMMITTER = 0;
    public static final int RECEIVER = 1;

    private static final byte[] GROUP_ID = "tree-bench".getBytes(StandardCharsets.UTF_8);
    private static final long EPOCH = 42;
    private static final int[] NO_NEW_MEMBERS = new int[0];

    private final CipherSuite suite;
    private final RandomSource random;
    private final String shape;
    private final int leaves;
    private final byte[] confirmedTranscriptHash;

    private final RatchetTree hashTree;
    private final int changedLeaf;
    private final LeafNode[] changedLeafVersions;
    private int toggle;

    private final RatchetTree committerTree;
    private final LeafNode committerLeaf;
    private final byte[] committerSignatureKey;

    private final RatchetTree receiverTree;
    private final PrivateTree receiverPrivate;
    private final UpdatePath path;
    private final byte[] commitSecret;
    private byte[] lastCommitSecret;

    private final KeyPair openKeys;
    private final byte[] openContext;
    private final byte[] openKemOutput;
    private final byte[] openCiphertext;

    private int sink;

    private TreeBench(String shape, int leaves, RandomSource random) {
        if (leaves < 2) {
            throw new IllegalArgumentException("a tree benchmark needs at least 2 leaves");
        }
        if (!UPDATED.equals(shape) && !ADDS.equals(shape)) {
            throw new IllegalArgumentException("unknown tree shape " + shape + "; shapes: " + UPDATED + ", " + ADDS);
        }
        this.suite = CipherSuite.of(1);
        this.random = random;
        this.shape = shape;
        this.leaves = leaves;
        this.confirmedTranscriptHash = random.bytes(suite.kdf().length());
        boolean updated = UPDATED.equals(shape);

        KeyPair committerSig = suite.signatureScheme().generateKeyPair(random);
        KeyPair receiverLeafKeys = suite.hpke().generateKeyPair(random);
        committerSignatureKey = committerSig.privateKey();
        committerLeaf = leaf(0, randomPublicKey(), committerSig.publicKey(), updated);

        RatchetTree base = RatchetTree.single(suite, committerLeaf);
        for (int i = 1; i < leaves; i++) {
            byte[] enc = i == RECEIVER ? receiverLeafKeys.publicKey() : randomPublicKey();
            base.addLeaf(leaf(i, enc, random.bytes(suite.signatureScheme().publicKeyLength()), updated));
        }
        receiverPrivate = new PrivateTree(RECEIVER, receiverLeafKeys.privateKey());
        if (updated) {
            populateParents(base);
        }
        base.treeHash(); // fills the hash cache: every copy below starts from a fully cached tree

        hashTree = base.copy();
        changedLeaf = leaves / 2;
        LeafNode old = hashTree.leaf(changedLeaf);
        changedLeafVersions = new LeafNode[] {old, leaf(changedLeaf, randomPublicKey(), old.signatureKey, updated)};

        receiverTree = base.copy();
        committerTree = base.copy();
        path = createPath();
        commitSecret = lastCommitSecret;
        byte[] received = processPath();
        if (!Arrays.equals(received, commitSecret)) {
            throw new VectorMismatch("the receiver derived another commit secret than the committer");
        }
        if (!Arrays.equals(receiverTree.treeHash(), committerTree.treeHash())) {
            throw new VectorMismatch("the receiver's tree differs from the committer's after the path");
        }

        openKeys = suite.hpke().generateKeyPair(random);
        openContext = groupContext(receiverTree.treeHash());
        HpkeCiphertext ct = suite.encryptWithLabel(openKeys.publicKey(), "UpdatePathNode", openContext,
                random.bytes(suite.kdf().length()), random);
        openKemOutput = ct.kemOutput();
        openCiphertext = ct.ciphertext();
    }

    /** Builds the scenario (setup: not part of any measured operation). */
    public static TreeBench build(String shape, int leaves, RandomSource random) {
        return new TreeBench(shape, leaves, random);
    }

    public String shape() {
        return shape;
    }

    public int leaves() {
        return leaves;
    }

    /** Runs one operation ({@link #OPERATIONS}, {@link #DERIVE_KEY_PAIR} or {@link #HPKE_OPEN}); returns a value derived from its result. */
    public int run(String op) {
        switch (op) {
            case TREE_HASH:
                return treeHashAfterOneLeafChange()[0];
            case CREATE_PATH:
                return createPath().nodes.size();
            case PROCESS_PATH:
                return processPath()[0];
            case DERIVE_KEY_PAIR:
                return deriveKeyPair()[0];
            case HPKE_OPEN:
                return hpkeOpen()[0];
            default:
                throw new IllegalArgumentException("unknown tree operation " + op);
        }
    }

    /** Runs one operation once and returns the public-key operations it performed ({@link OperationCounter#snapshot}). */
    public String countOperations(String op) {
        OperationCounter.reset();
        sink ^= run(op);
        String counts = OperationCounter.snapshot();
        OperationCounter.reset();
        return counts;
    }

    /** One leaf replaced, then the root tree hash (from the cache: the changed leaf's path is rehashed). */
    public byte[] treeHashAfterOneLeafChange() {
        toggle ^= 1;
        hashTree.setLeaf(changedLeaf, changedLeafVersions[toggle]);
        return hashTree.treeHash();
    }

    /** The committer's UpdatePath: createPath, provisional GroupContext, encrypt, commit secret. */
    public UpdatePath createPath() {
        TreeKem.PendingPath pending = TreeKem.createPath(committerTree, COMMITTER, committerLeaf, committerSignatureKey,
                GROUP_ID, random);
        byte[] context = groupContext(committerTree.treeHash());
        UpdatePath out = pending.encrypt(context, NO_NEW_MEMBERS, random);
        lastCommitSecret = pending.commitSecret();
        pending.erase();
        return out;
    }

    /** The receiver's side of {@link #createPath}'s path: merge, leaf signature, GroupContext, decrypt; the commit secret. */
    public byte[] processPath() {
        TreeKem.mergePath(receiverTree, COMMITTER, path);
        if (!path.leafNode.verify(suite, GROUP_ID, COMMITTER)) {
            throw new VectorMismatch("the committer's new leaf does not verify");
        }
        byte[] context = groupContext(receiverTree.treeHash());
        return TreeKem.decryptPath(receiverTree, COMMITTER, path, receiverPrivate, context, NO_NEW_MEMBERS).commitSecret;
    }

    /** One HPKE DeriveKeyPair from a fresh secret: what each node key of a path costs. */
    public byte[] deriveKeyPair() {
        return suite.hpke().deriveKeyPair(random.bytes(suite.kdf().length())).publicKey();
    }

    /** DecryptWithLabel of a path secret with the recipient's public key given, as TreeKEM does. */
    public byte[] hpkeOpen() {
        return suite.decryptWithLabel(openKeys.privateKey(), openKeys.publicKey(), "UpdatePathNode", openContext, openKemOutput,
                openCiphertext);
    }

    /** Keeps results observable (for harnesses without a blackhole). */
    public int sink() {
        return sink;
    }

    /**
     * Populates every parent node that both of its subtrees' members have on their filtered
     * direct path: with members at leaves 0..n-1, exactly the parents left of node 2n-1. Keys are
     * random except on the receiver's direct path, whose private keys the receiver holds.
     */
    private void populateParents(RatchetTree tree) {
        int[] receiverPath = TreeMath.directPath(TreeMath.nodeIndex(RECEIVER), tree.leafCount());
        int limit = 2 * leaves - 1;
        for (int x = 1; x < limit; x += 2) {
            byte[] publicKey;
            if (contains(receiverPath, x)) {
                KeyPair kp = suite.hpke().generateKeyPair(random);
                receiverPrivate.put(x, kp.privateKey());
                publicKey = kp.publicKey();
            } else {
                publicKey = randomPublicKey();
            }
            tree.set(x, Node.parent(new ParentNode(publicKey, random.bytes(suite.kdf().length()), new int[0])));
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** Any 32 bytes are an X25519 public key (suite 1); cheap where thousands are needed. */
    private byte[] randomPublicKey() {
        return random.bytes(suite.kem().publicKeyLength());
    }

    /**
     * A member's leaf: from a commit (with a parent hash) in the updated shape, from a KeyPackage
     * (with a lifetime) in the adds shape. The signature is random bytes: nothing verifies it.
     */
    private LeafNode leaf(int i, byte[] encryptionKey, byte[] signatureKey, boolean fromCommit) {
        Capabilities caps = new Capabilities(new int[] {1}, new int[] {suite.id()}, new int[0], new int[0], new int[] {1});
        Credential credential = Credential.basic(("member-" + i).getBytes(StandardCharsets.UTF_8));
        byte[] signature = random.bytes(64);
        if (fromCommit) {
            return new LeafNode(encryptionKey, signatureKey, credential, caps, LeafNode.SOURCE_COMMIT, null,
                    random.bytes(suite.kdf().length()), Collections.emptyList(), signature);
        }
        return new LeafNode(encryptionKey, signatureKey, credential, caps, LeafNode.SOURCE_KEY_PACKAGE,
                new Lifetime(0, Long.MAX_VALUE), null, Collections.emptyList(), signature);
    }

    /** The provisional GroupContext (RFC 9420 §8.1) of the next epoch with the given tree hash. */
    private byte[] groupContext(byte[] treeHash) {
        TlsWriter w = new TlsWriter(128);
        w.u16(1).u16(suite.id()).opaque(GROUP_ID).u64(EPOCH + 1).opaque(treeHash).opaque(confirmedTranscriptHash);
        w.varint(0); // extensions<V>: none
        return w.toByteArray();
    }
}
