package org.mlskit.vectors;

import java.util.Arrays;
import java.util.Collections;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.TreeValidation;

/**
 * A large ratchet tree for the stress checks that run on the JVM and in both TeaVM outputs:
 * members added one by one, then the first member commits an UpdatePath (so parent nodes and a
 * parent-hash chain exist), then a few more adds (so those parents have unmerged leaves).
 */
public final class LargeTree {
    private static final int LATE_ADDS = 16;
    private static final byte[] GROUP_ID = {'l', 'a', 'r', 'g', 'e'};

    private LargeTree() {
    }

    /**
     * Builds a tree of {@code members} leaves. With {@code signed}, every leaf has its own key
     * pair and a real signature; without, other members' keys and signatures are random bytes
     * (cheap where signing is slow; such a tree passes every check but the leaf signatures).
     */
    public static RatchetTree build(CipherSuite suite, int members, RandomSource random, boolean signed) {
        KeyPair first = suite.signatureScheme().generateKeyPair(random);
        LeafNode firstLeaf = leaf(suite, 0, first, random);
        RatchetTree tree = RatchetTree.single(suite, firstLeaf);
        int early = Math.max(1, members - LATE_ADDS);
        for (int i = 1; i < early; i++) {
            tree.addLeaf(signed ? leaf(suite, i, suite.signatureScheme().generateKeyPair(random), random) : unsigned(suite, i, random));
        }
        TreeKem.createPath(tree, 0, firstLeaf, first.privateKey(), GROUP_ID, random).erase();
        for (int i = early; i < members; i++) {
            tree.addLeaf(signed ? leaf(suite, i, suite.signatureScheme().generateKeyPair(random), random) : unsigned(suite, i, random));
        }
        return tree;
    }

    /**
     * Encodes, decodes, re-encodes and hashes the tree, then validates it (leaf signatures only
     * when {@code verifySignatures}); returns the size of its encoding. Any failure throws.
     */
    public static int check(RatchetTree tree, boolean verifySignatures) {
        byte[] bytes = tree.toBytes();
        RatchetTree decoded = Codec.decodeAll(bytes, in -> RatchetTree.decode(tree.suite(), in));
        if (!Arrays.equals(bytes, decoded.toBytes())) {
            throw new VectorMismatch("a decoded tree re-encodes differently");
        }
        if (!Arrays.equals(tree.treeHash(), decoded.treeHash())) {
            throw new VectorMismatch("a decoded tree hashes differently");
        }
        if (verifySignatures) {
            TreeValidation.validate(decoded, GROUP_ID);
        } else {
            TreeValidation.validateStructure(decoded);
        }
        int covered = decoded.resolution(org.mlskit.tree.TreeMath.root(decoded.leafCount())).length;
        if (covered == 0) {
            throw new VectorMismatch("the root's resolution is empty");
        }
        return bytes.length;
    }

    private static LeafNode leaf(CipherSuite suite, int i, KeyPair sig, RandomSource random) {
        LeafNode unsigned = template(suite, i, suite.hpke().generateKeyPair(random).publicKey(), sig.publicKey(), new byte[0]);
        return unsigned.withSignature(suite.signWithLabel(sig.privateKey(), "LeafNodeTBS", unsigned.toBeSigned(GROUP_ID, i)));
    }

    private static LeafNode unsigned(CipherSuite suite, int i, RandomSource random) {
        int sigLen = suite.signatureScheme().publicKeyLength();
        return template(suite, i, random.bytes(suite.kem().publicKeyLength()), random.bytes(sigLen), random.bytes(64));
    }

    private static LeafNode template(CipherSuite suite, int i, byte[] enc, byte[] sigKey, byte[] signature) {
        Capabilities caps = new Capabilities(new int[] {1}, new int[] {suite.id()}, new int[0], new int[0], new int[] {1});
        return new LeafNode(enc, sigKey, Credential.basic(("member-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)), caps,
                LeafNode.SOURCE_KEY_PACKAGE, new Lifetime(0, Long.MAX_VALUE), null, Collections.emptyList(), signature);
    }
}
