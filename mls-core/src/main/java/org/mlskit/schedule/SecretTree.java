package org.mlskit.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
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

    private void ensureLeaf(int leaf) {
        if (leaf < 0 || leaf >= leaves) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "leaf " + leaf + " is outside a tree of " + leaves + " leaves");
        }
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
        int start = -1;
        for (int i = 0; i < path.length && start < 0; i++) {
            if (nodeSecrets.containsKey(path[i])) {
                start = i;
            }
        }
        if (start < 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the secret tree was erased");
        }
        for (int i = start; i >= 0; i--) {
            int parent = path[i];
            byte[] secret = nodeSecrets.remove(parent);
            int nh = suite.kdf().length();
            nodeSecrets.put(TreeMath.left(parent), suite.expandWithLabel(secret, "tree", LEFT, nh));
            nodeSecrets.put(TreeMath.right(parent), suite.expandWithLabel(secret, "tree", RIGHT, nh));
            Arrays.fill(secret, (byte) 0);
        }
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
