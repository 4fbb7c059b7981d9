package org.mlskit.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.tree.TreeMath;

/**
 * The secret tree of RFC 9420 §9: from the epoch's encryption_secret down to one handshake and
 * one application ratchet per leaf. Node secrets are derived on demand along the path to a leaf;
 * a parent's secret is erased once both children's exist, a leaf's once its ratchets do (§9.2).
 */
public final class SecretTree {
    private static final byte[] LEFT = {'l', 'e', 'f', 't'};
    private static final byte[] RIGHT = {'r', 'i', 'g', 'h', 't'};
    private final CipherSuite suite;
    private final int leaves;
    private final RatchetPolicy policy;
    private final Map<Integer, byte[]> nodeSecrets = new HashMap<>();
    private final Map<Integer, HashRatchet> handshake = new HashMap<>();
    private final Map<Integer, HashRatchet> application = new HashMap<>();

    public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount, RatchetPolicy policy) {
        this.suite = suite;
        this.leaves = leafCount;
        this.policy = policy;
        nodeSecrets.put(TreeMath.root(leafCount), encryptionSecret.clone());
    }

    public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount) {
        this(suite, encryptionSecret, leafCount, RatchetPolicy.DEFAULT);
    }

    public int leafCount() {
        return leaves;
    }

    public HashRatchet handshakeRatchet(int leaf) {
        ensureLeaf(leaf);
        return handshake.get(leaf);
    }

    public HashRatchet applicationRatchet(int leaf) {
        ensureLeaf(leaf);
        return application.get(leaf);
    }

    /**
     * The key of {@code generation} of a leaf's handshake or application ratchet, looked up for a
     * received message without changing this tree: nothing is consumed, and no node or leaf
     * secret is expanded, until {@link Receipt#commit()} (so a rejected message leaves even the
     * saved form of the tree unchanged).
     */
    public Receipt prepareReceipt(int leaf, boolean application, int generation) {
        checkLeaf(leaf);
        if (handshake.containsKey(leaf)) {
            HashRatchet live = application ? this.application.get(leaf) : handshake.get(leaf);
            return new Receipt(live.prepare(generation), null, leaf, application, generation);
        }
        int node = TreeMath.nodeIndex(leaf);
        byte[] leafSecret = secretWithoutStoring(node);
        String label = application ? "application" : "handshake";
        HashRatchet detached = new HashRatchet(suite,
                suite.expandWithLabel(leafSecret, label, new byte[0], suite.kdf().length()), policy);
        Arrays.fill(leafSecret, (byte) 0);
        try {
            return new Receipt(detached.prepare(generation), detached, leaf, application, generation);
        } catch (RuntimeException e) {
            detached.erase();
            throw e;
        }
    }

    /** A receiving key from {@link #prepareReceipt}; exactly one of commit and discard takes effect. */
    public final class Receipt {
        private final HashRatchet.PendingKey pending;
        private final HashRatchet detached;
        private final int leaf;
        private final boolean application;
        private final int generation;

        private Receipt(HashRatchet.PendingKey pending, HashRatchet detached, int leaf, boolean application, int generation) {
            this.pending = pending;
            this.detached = detached;
            this.leaf = leaf;
            this.application = application;
            this.generation = generation;
        }

        public RatchetKey key() {
            return pending.key();
        }

        /** Consumes the key in the live tree. */
        public void commit() {
            if (detached == null) {
                pending.commit();
                pending.key().erase();
                return;
            }
            pending.discard();
            detached.erase();
            HashRatchet live = application ? applicationRatchet(leaf) : handshakeRatchet(leaf);
            live.forGeneration(generation).erase();
        }

        public void discard() {
            pending.discard();
            if (detached != null) {
                detached.erase();
            }
        }
    }

    /** A node's secret derived from its nearest stored ancestor, leaving the stored secrets as they are. */
    private byte[] secretWithoutStoring(int target) {
        byte[] stored = nodeSecrets.get(target);
        if (stored != null) {
            return stored.clone();
        }
        int[] path = TreeMath.directPath(target, leaves);
        int start = nearestStoredAncestor(path);
        byte[] secret = nodeSecrets.get(path[start]).clone();
        for (int i = start; i >= 0; i--) {
            int child = i == 0 ? target : path[i - 1];
            byte[] next = suite.expandWithLabel(secret, "tree", TreeMath.left(path[i]) == child ? LEFT : RIGHT,
                    suite.kdf().length());
            Arrays.fill(secret, (byte) 0);
            secret = next;
        }
        return secret;
    }

    /** The position in {@code path} (a direct path, bottom up) of the lowest node whose secret is stored. */
    private int nearestStoredAncestor(int[] path) {
        for (int i = 0; i < path.length; i++) {
            if (nodeSecrets.containsKey(path[i])) {
                return i;
            }
        }
        throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the secret tree was erased");
    }

    private void checkLeaf(int leaf) {
        if (leaf < 0 || leaf >= leaves) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "leaf " + leaf + " is outside a tree of " + leaves + " leaves");
        }
    }

    private void ensureLeaf(int leaf) {
        checkLeaf(leaf);
        if (handshake.containsKey(leaf)) {
            return;
        }
        int node = TreeMath.nodeIndex(leaf);
        deriveDownTo(node);
        byte[] leafSecret = nodeSecrets.remove(node);
        byte[] empty = new byte[0];
        int nh = suite.kdf().length();
        handshake.put(leaf, new HashRatchet(suite, suite.expandWithLabel(leafSecret, "handshake", empty, nh), policy));
        application.put(leaf, new HashRatchet(suite, suite.expandWithLabel(leafSecret, "application", empty, nh), policy));
        Arrays.fill(leafSecret, (byte) 0);
    }

    /** Derives node secrets from the nearest ancestor that still has one down to {@code target}. */
    private void deriveDownTo(int target) {
        if (nodeSecrets.containsKey(target)) {
            return;
        }
        int[] path = TreeMath.directPath(target, leaves);
        int start = nearestStoredAncestor(path);
        for (int i = start; i >= 0; i--) {
            int parent = path[i];
            byte[] secret = nodeSecrets.remove(parent);
            int nh = suite.kdf().length();
            nodeSecrets.put(TreeMath.left(parent), suite.expandWithLabel(secret, "tree", LEFT, nh));
            nodeSecrets.put(TreeMath.right(parent), suite.expandWithLabel(secret, "tree", RIGHT, nh));
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Saved state: the policy, node secrets not yet expanded and every leaf's two ratchets. */
    public void encode(TlsWriter out) {
        out.u32(leaves).u32(policy.maxForwardDistance()).u32(policy.outOfOrderTolerance());
        int mark = out.beginVector();
        for (int n : sortedKeys(nodeSecrets)) {
            out.u32(n).opaque(nodeSecrets.get(n));
        }
        out.endVector(mark);
        mark = out.beginVector();
        for (int leaf : sortedKeys(handshake)) {
            out.u32(leaf);
            handshake.get(leaf).encode(out);
            application.get(leaf).encode(out);
        }
        out.endVector(mark);
    }

    public static SecretTree decode(CipherSuite suite, TlsReader in) {
        int leaves = in.u32();
        RatchetPolicy policy = new RatchetPolicy(in.u32(), in.u32());
        SecretTree t = new SecretTree(suite, new byte[0], leaves, policy);
        t.nodeSecrets.clear();
        TlsReader nodes = in.vector();
        while (nodes.hasRemaining()) {
            t.nodeSecrets.put(nodes.u32(), nodes.opaque());
        }
        TlsReader ratchets = in.vector();
        while (ratchets.hasRemaining()) {
            int leaf = ratchets.u32();
            t.handshake.put(leaf, HashRatchet.decode(suite, policy, ratchets));
            t.application.put(leaf, HashRatchet.decode(suite, policy, ratchets));
        }
        return t;
    }

    private static int[] sortedKeys(Map<Integer, ?> map) {
        int[] keys = new int[map.size()];
        int i = 0;
        for (int k : map.keySet()) {
            keys[i++] = k;
        }
        Arrays.sort(keys);
        return keys;
    }

    public RatchetPolicy policy() {
        return policy;
    }

    /** Zeroes every secret the tree still holds (when the epoch is retired). */
    public void erase() {
        for (byte[] s : nodeSecrets.values()) {
            Arrays.fill(s, (byte) 0);
        }
        nodeSecrets.clear();
        for (HashRatchet r : handshake.values()) {
            r.erase();
        }
        for (HashRatchet r : application.values()) {
            r.erase();
        }
    }
}
