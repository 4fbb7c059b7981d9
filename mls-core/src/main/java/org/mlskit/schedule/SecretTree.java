package org.mlskit.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
    /** Nodes whose secret appeared or went, and leaves whose ratchets moved, since {@link #drainChanges}. */
    private final Set<Integer> changedNodes = new HashSet<>();
    private final Set<Integer> changedLeaves = new HashSet<>();

    public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount, RatchetPolicy policy) {
        this.suite = suite;
        this.leaves = leafCount;
        this.policy = policy;
        int root = TreeMath.root(leafCount);
        nodeSecrets.put(root, encryptionSecret.clone());
        changedNodes.add(root);
    }

    public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount) {
        this(suite, encryptionSecret, leafCount, RatchetPolicy.DEFAULT);
    }

    public int leafCount() {
        return leaves;
    }

    /** The live ratchet (the caller moves it: the leaf counts as changed for {@link #drainChanges}). */
    public HashRatchet handshakeRatchet(int leaf) {
        ensureLeaf(leaf);
        changedLeaves.add(leaf);
        return handshake.get(leaf);
    }

    public HashRatchet applicationRatchet(int leaf) {
        ensureLeaf(leaf);
        changedLeaves.add(leaf);
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
                changedLeaves.add(leaf);
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
        changedNodes.add(node);
        changedLeaves.add(leaf);
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
            expand(parent);
        }
    }

    /** Replaces a node's secret by its children's (§9: a parent's secret goes once they exist). */
    private void expand(int parent) {
        byte[] secret = nodeSecrets.remove(parent);
        int nh = suite.kdf().length();
        int l = TreeMath.left(parent);
        int r = TreeMath.right(parent);
        putIfAbsent(l, suite.expandWithLabel(secret, "tree", LEFT, nh));
        putIfAbsent(r, suite.expandWithLabel(secret, "tree", RIGHT, nh));
        Arrays.fill(secret, (byte) 0);
        changedNodes.add(parent);
    }

    private void putIfAbsent(int node, byte[] secret) {
        if (nodeSecrets.containsKey(node)) {
            Arrays.fill(secret, (byte) 0); // derived again from a parent a torn write left behind: same value
            return;
        }
        nodeSecrets.put(node, secret);
        changedNodes.add(node);
    }

    // ------------------------------------------------------------------ saving in parts

    /** Receives what changed (see {@link #drainChanges}). */
    public interface Changes {
        /** A node's secret appeared ({@code secret} is a copy) or went ({@code secret} null). */
        void node(int node, byte[] secret);

        /** A leaf's ratchets moved: {@link #encodeLeaf} has their state. */
        void leaf(int leaf);
    }

    /**
     * Hands out what changed since the last call (or since creation), so that a caller can save
     * the tree as one record per node secret and per leaf, and rewrite only those that moved. New
     * secrets and moved leaves come before deletions. An erased tree reports nothing.
     */
    public void drainChanges(Changes c) {
        int[] nodes = sorted(changedNodes);
        for (int n : nodes) {
            byte[] s = nodeSecrets.get(n);
            if (s != null) {
                c.node(n, s.clone());
            }
        }
        for (int leaf : sorted(changedLeaves)) {
            if (handshake.containsKey(leaf)) {
                c.leaf(leaf);
            }
        }
        for (int n : nodes) {
            if (!nodeSecrets.containsKey(n)) {
                c.node(n, null); // last: a save stopped anywhere still holds every secret still needed
            }
        }
        changedNodes.clear();
        changedLeaves.clear();
    }

    /** Everything as changes: every stored node secret and every leaf with ratchets (for a first save). */
    public void drainAll(Changes c) {
        changedNodes.addAll(nodeSecrets.keySet());
        changedLeaves.addAll(handshake.keySet());
        drainChanges(c);
    }

    /** One leaf's two ratchets, as a record of its own. */
    public void encodeLeaf(int leaf, TlsWriter out) {
        handshake.get(leaf).encode(out);
        application.get(leaf).encode(out);
    }

    /**
     * A tree from its parts: node secrets by node and leaf records ({@link #encodeLeaf}) by leaf.
     * Parts may come from a save torn between writes, where new records were written and old ones
     * not yet deleted: a node whose subtree also holds stored secrets or used leaves is expanded
     * (its children's secrets derived where missing) and dropped, as is a leaf secret whose ratchets
     * exist, so what remains is a tree this one could have been; the clean-up shows as changes.
     */
    public static SecretTree assemble(CipherSuite suite, int leafCount, RatchetPolicy policy, Map<Integer, byte[]> nodes,
            Map<Integer, TlsReader> leafRecords) {
        SecretTree t = new SecretTree(suite, new byte[0], leafCount, policy);
        t.nodeSecrets.clear();
        t.changedNodes.clear();
        int width = TreeMath.nodeWidth(leafCount);
        for (Map.Entry<Integer, byte[]> e : nodes.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= width) {
                throw new MlsException(ErrorCode.MALFORMED, "a saved secret-tree node outside the tree: " + e.getKey());
            }
            t.nodeSecrets.put(e.getKey(), e.getValue().clone());
        }
        for (Map.Entry<Integer, TlsReader> e : leafRecords.entrySet()) {
            int leaf = e.getKey();
            t.checkLeaf(leaf);
            t.handshake.put(leaf, HashRatchet.decode(suite, policy, e.getValue()));
            t.application.put(leaf, HashRatchet.decode(suite, policy, e.getValue()));
        }
        t.normalize();
        return t;
    }

    /** See {@link #assemble}: drops secrets that a finished expansion would have dropped. */
    private void normalize() {
        Set<Integer> above = new HashSet<>(); // nodes with something stored strictly below them
        for (int n : nodeSecrets.keySet()) {
            if (n != TreeMath.root(leaves)) {
                for (int p : TreeMath.directPath(n, leaves)) {
                    above.add(p);
                }
            }
        }
        for (int leaf : handshake.keySet()) {
            int n = TreeMath.nodeIndex(leaf);
            above.add(n); // a used leaf keeps no leaf secret
            if (n != TreeMath.root(leaves)) {
                for (int p : TreeMath.directPath(n, leaves)) {
                    above.add(p);
                }
            }
        }
        for (int level = TreeMath.level(TreeMath.root(leaves)); level >= 0; level--) {
            for (int n : sorted(nodeSecrets.keySet())) {
                if (TreeMath.level(n) != level || !above.contains(n)) {
                    continue;
                }
                if (level == 0) {
                    Arrays.fill(nodeSecrets.remove(n), (byte) 0);
                    changedNodes.add(n);
                } else {
                    expand(n);
                }
            }
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
        t.changedNodes.clear();
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
        return sorted(map.keySet());
    }

    private static int[] sorted(Set<Integer> set) {
        int[] keys = new int[set.size()];
        int i = 0;
        for (int k : set) {
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
        changedNodes.clear();
        changedLeaves.clear();
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
