package org.mlskit.tree;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/**
 * A member's private view of the ratchet tree: the HPKE private keys of its leaf and of the
 * parent nodes on its direct path it knows (the tree invariant of RFC 9420 §7.3).
 */
public final class PrivateTree {
    private final int leaf;
    private final Map<Integer, byte[]> keys = new HashMap<>();

    public PrivateTree(int leaf, byte[] leafPrivateKey) {
        this.leaf = leaf;
        keys.put(TreeMath.nodeIndex(leaf), leafPrivateKey.clone());
    }

    public int leaf() {
        return leaf;
    }

    /** The private key of a node, or null when this member does not hold it. */
    public byte[] privateKey(int node) {
        return keys.get(node);
    }

    public void put(int node, byte[] privateKey) {
        byte[] old = keys.put(node, privateKey.clone());
        if (old != null) {
            Arrays.fill(old, (byte) 0);
        }
    }

    /** Forgets (and zeroes) the key of a node. */
    public void remove(int node) {
        byte[] old = keys.remove(node);
        if (old != null) {
            Arrays.fill(old, (byte) 0);
        }
    }

    /** Node indices this member holds keys for. */
    public int[] nodes() {
        int[] out = new int[keys.size()];
        int i = 0;
        for (int n : keys.keySet()) {
            out[i++] = n;
        }
        Arrays.sort(out);
        return out;
    }

    /** Whether every key held matches a non-blank node's public key in {@code tree}. */
    public boolean consistentWith(RatchetTree tree) {
        CipherSuite suite = tree.suite();
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            int n = e.getKey();
            if (n >= tree.nodeCount() || tree.node(n) == null) {
                return false;
            }
            if (!Arrays.equals(tree.node(n).encryptionKey(), suite.hpke().publicKey(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    public PrivateTree copy() {
        PrivateTree t = new PrivateTree(leaf, keys.get(TreeMath.nodeIndex(leaf)));
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            t.keys.put(e.getKey(), e.getValue().clone());
        }
        return t;
    }

    /** Saved state: the leaf and every node key held. */
    public void encode(TlsWriter out) {
        out.u32(leaf);
        int mark = out.beginVector();
        for (int n : nodes()) {
            out.u32(n).opaque(keys.get(n));
        }
        out.endVector(mark);
    }

    public static PrivateTree decode(TlsReader in) {
        int leaf = in.u32();
        TlsReader v = in.vector();
        PrivateTree t = new PrivateTree(leaf, new byte[0]);
        t.keys.clear();
        while (v.hasRemaining()) {
            t.keys.put(v.u32(), v.opaque());
        }
        return t;
    }

    /** Zeroes every key. */
    public void erase() {
        for (byte[] k : keys.values()) {
            Arrays.fill(k, (byte) 0);
        }
        keys.clear();
    }
}
