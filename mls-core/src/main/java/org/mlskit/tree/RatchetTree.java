package org.mlskit.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.crypto.Digest;

import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.LeafNode;

/**
 * The public ratchet tree (RFC 9420 §7): nodes in tree-math order, null for blank, spanning a
 * full tree of a power-of-two number of leaves. On the wire ({@code optional<Node>
 * ratchet_tree<V>}) trailing blank nodes are left out.
 *
 * <p>Tree hashes (§7.8) are cached per node; changing a node forgets the hashes on its path to
 * the root only, so re-hashing after one change costs O(log n) hash computations.
 */
public final class RatchetTree {
    private final CipherSuite suite;
    private Node[] nodes;
    private byte[][] hashes;
    /** No blank leaf lies left of this leaf index (so building a tree by adds is linear, not quadratic). */
    private int blankHint;
    /** Reused for the hashes of blank nodes (a tree is used by one thread at a time, like its group). */
    private Digest digest;

    private RatchetTree(CipherSuite suite, Node[] nodes) {
        this.suite = suite;
        this.nodes = nodes;
        this.hashes = new byte[nodes.length][];
    }

    /** A tree holding one leaf: the tree of a group's creator. */
    public static RatchetTree single(CipherSuite suite, LeafNode leaf) {
        return new RatchetTree(suite, new Node[] {Node.leaf(leaf)});
    }

    public CipherSuite suite() {
        return suite;
    }

    public int leafCount() {
        return (nodes.length + 1) / 2;
    }

    public int nodeCount() {
        return nodes.length;
    }

    /** The node at a node index, or null when blank. */
    public Node node(int index) {
        return nodes[index];
    }

    /** The LeafNode at a leaf index, or null when blank. */
    public LeafNode leaf(int leafIndex) {
        Node n = nodes[TreeMath.nodeIndex(leafIndex)];
        return n == null ? null : n.leaf;
    }

    public ParentNode parent(int nodeIndex) {
        Node n = nodes[nodeIndex];
        return n == null ? null : n.parent;
    }

    public RatchetTree copy() {
        RatchetTree t = new RatchetTree(suite, nodes.clone());
        t.hashes = hashes.clone();
        t.blankHint = blankHint;
        return t;
    }

    /** Sets (or blanks, with null) a node and forgets the cached hashes that depended on it. */
    public void set(int index, Node node) {
        if (node != null && node.isLeaf() != TreeMath.isLeaf(index)) {
            throw new IllegalArgumentException("node kind does not match index " + index);
        }
        nodes[index] = node;
        if (node == null && TreeMath.isLeaf(index) && index / 2 < blankHint) {
            blankHint = index / 2;
        }
        int leaves = leafCount();
        int root = TreeMath.root(leaves);
        for (int x = index;; x = TreeMath.parent(x, leaves)) {
            hashes[x] = null;
            if (x == root) {
                break;
            }
        }
    }

    public void setLeaf(int leafIndex, LeafNode leaf) {
        set(TreeMath.nodeIndex(leafIndex), leaf == null ? null : Node.leaf(leaf));
    }

    // ---- §7.7 and §12.1: adding, updating and removing leaves ----

    /** Leftmost blank leaf, or -1 when every leaf is occupied. */
    public int leftmostBlankLeaf() {
        for (int i = 2 * blankHint; i < nodes.length; i += 2) {
            if (nodes[i] == null) {
                blankHint = i / 2;
                return blankHint;
            }
        }
        blankHint = leafCount();
        return -1;
    }

    /** Adds a member's leaf (§12.1.1): the leftmost blank leaf, extending the tree if there is none. */
    public int addLeaf(LeafNode leaf) {
        int index = leftmostBlankLeaf();
        if (index < 0) {
            index = leafCount();
            extend();
        }
        int leaves = leafCount();
        for (int p : TreeMath.directPath(TreeMath.nodeIndex(index), leaves)) {
            ParentNode pn = parent(p);
            if (pn != null) {
                set(p, Node.parent(pn.withUnmergedLeaves(insertSorted(pn.unmergedLeaves, index))));
            }
        }
        setLeaf(index, leaf);
        return index;
    }

    /** Replaces a member's leaf and blanks its direct path (§12.1.2). */
    public void updateLeaf(int leafIndex, LeafNode leaf) {
        setLeaf(leafIndex, leaf);
        blankDirectPath(leafIndex);
    }

    /** Blanks a member's leaf and direct path, then truncates (§12.1.3). */
    public void removeLeaf(int leafIndex) {
        setLeaf(leafIndex, null);
        blankDirectPath(leafIndex);
        truncate();
    }

    public void blankDirectPath(int leafIndex) {
        for (int p : TreeMath.directPath(TreeMath.nodeIndex(leafIndex), leafCount())) {
            if (nodes[p] != null) {
                set(p, null);
            }
        }
    }

    /** Doubles the tree: the old tree becomes the left subtree of a new blank root. */
    private void extend() {
        int width = TreeMath.nodeWidth(leafCount() * 2);
        nodes = Arrays.copyOf(nodes, width);
        hashes = Arrays.copyOf(hashes, width);
        // The new root and everything right of it are blank; their hashes are not cached yet.
    }

    /** Halves the tree while its right half is blank and more than one leaf remains. */
    private void truncate() {
        while (leafCount() > 1) {
            int half = TreeMath.nodeWidth(leafCount() / 2);
            for (int i = half; i < nodes.length; i++) {
                if (nodes[i] != null) {
                    return;
                }
            }
            nodes = Arrays.copyOf(nodes, half);
            hashes = Arrays.copyOf(hashes, half);
        }
    }

    private static int[] insertSorted(int[] sorted, int v) {
        int[] out = new int[sorted.length + 1];
        int j = 0;
        boolean placed = false;
        for (int x : sorted) {
            if (!placed && Integer.compareUnsigned(v, x) < 0) {
                out[j++] = v;
                placed = true;
            }
            out[j++] = x;
        }
        if (!placed) {
            out[j] = v;
        }
        return out;
    }

    // ---- §4.1.1 and §4.1.2: resolution and filtered direct path ----

    /** The resolution of a node: the non-blank nodes that cover its subtree, in left-to-right order. */
    public int[] resolution(int index) {
        List<Integer> out = new ArrayList<>();
        resolve(index, out, null);
        return toArray(out);
    }

    /** The resolution, leaving out the given leaves (new members of the commit being processed). */
    public int[] resolution(int index, int[] excludedLeaves) {
        List<Integer> out = new ArrayList<>();
        int[] sorted = null;
        if (excludedLeaves != null && excludedLeaves.length > 0) {
            // Sorted once, searched by halves: a commit adding thousands stays linear, not quadratic.
            sorted = excludedLeaves.clone();
            Arrays.sort(sorted);
        }
        resolve(index, out, sorted);
        return toArray(out);
    }

    private void resolve(int index, List<Integer> out, int[] excluded) {
        Node n = nodes[index];
        if (n != null) {
            if (n.isLeaf()) {
                if (!excludes(excluded, index / 2)) {
                    out.add(index);
                }
                return;
            }
            out.add(index);
            for (int leaf : n.parent.unmergedLeaves) {
                if (!excludes(excluded, leaf)) {
                    out.add(TreeMath.nodeIndex(leaf));
                }
            }
            return;
        }
        if (!TreeMath.isLeaf(index)) {
            resolve(TreeMath.left(index), out, excluded);
            resolve(TreeMath.right(index), out, excluded);
        }
    }

    /** Whether the resolution of a node is empty, without building it. */
    public boolean resolutionIsEmpty(int index) {
        if (nodes[index] != null) {
            return false;
        }
        if (TreeMath.isLeaf(index)) {
            return true;
        }
        return resolutionIsEmpty(TreeMath.left(index)) && resolutionIsEmpty(TreeMath.right(index));
    }

    /** The direct path of a leaf without the nodes whose copath child has an empty resolution (§4.1.2). */
    public int[] filteredDirectPath(int leafIndex) {
        int leaves = leafCount();
        int x = TreeMath.nodeIndex(leafIndex);
        int[] path = TreeMath.directPath(x, leaves);
        int[] copath = TreeMath.copath(x, leaves);
        int[] out = new int[path.length];
        int n = 0;
        for (int i = 0; i < path.length; i++) {
            if (!resolutionIsEmpty(copath[i])) {
                out[n++] = path[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ---- §7.8: tree hashes ----

    /** The tree hash of the root. */
    public byte[] treeHash() {
        return treeHash(TreeMath.root(leafCount()));
    }

    /** The tree hash of the subtree under a node, from the cache where it is still valid. */
    public byte[] treeHash(int index) {
        byte[] h = hashes[index];
        if (h == null) {
            h = computeHash(index, null);
            hashes[index] = h;
        }
        return h;
    }

    /**
     * The tree hash of a subtree with some leaves blanked and dropped from every unmerged-leaves
     * list: the "original sibling tree hash" of §7.9. Subtrees that hold none of them use the cache.
     */
    public byte[] treeHashWithout(int index, int[] removedLeaves) {
        if (!anyLeafUnder(index, removedLeaves)) {
            return treeHash(index);
        }
        return computeHash(index, removedLeaves);
    }

    private byte[] computeHash(int index, int[] removed) {
        Node node = nodes[index];
        if (node == null || (TreeMath.isLeaf(index) && contains(removed, index / 2))) {
            return blankHash(index, removed);
        }
        TlsWriter w = new TlsWriter(256);
        if (TreeMath.isLeaf(index)) {
            w.u8(Node.LEAF).u32(index / 2);
            Node n = nodes[index];
            w.optional(n == null || contains(removed, index / 2) ? null : n.leaf);
        } else {
            w.u8(Node.PARENT);
            Node n = nodes[index];
            ParentNode p = n == null ? null : n.parent;
            if (p != null && removed != null) {
                p = p.withUnmergedLeaves(without(p.unmergedLeaves, removed));
            }
            w.optional(p);
            int l = TreeMath.left(index);
            int r = TreeMath.right(index);
            w.opaque(removed == null ? treeHash(l) : treeHashWithout(l, removed));
            w.opaque(removed == null ? treeHash(r) : treeHashWithout(r, removed));
        }
        return suite.hash(w.toByteArray());
    }

    /**
     * The hash of a blank node without building its TreeHashInput: a mostly blank tree given from
     * outside then costs a few digest blocks per node, not an encoder's buffers (one per node).
     */
    private byte[] blankHash(int index, int[] removed) {
        byte[] left = null;
        byte[] right = null;
        if (!TreeMath.isLeaf(index)) {
            int l = TreeMath.left(index);
            int r = TreeMath.right(index);
            left = removed == null ? treeHash(l) : treeHashWithout(l, removed);
            right = removed == null ? treeHash(r) : treeHashWithout(r, removed);
        }
        if (digest == null) {
            digest = suite.hash().newDigest();
        }
        Digest d = digest;
        if (left == null) {
            int leaf = index / 2;
            d.update((byte) Node.LEAF);
            d.update((byte) (leaf >>> 24));
            d.update((byte) (leaf >>> 16));
            d.update((byte) (leaf >>> 8));
            d.update((byte) leaf);
            d.update((byte) 0); // optional<LeafNode>: absent
        } else {
            d.update((byte) Node.PARENT);
            d.update((byte) 0); // optional<ParentNode>: absent
            updateOpaque(d, left);
            updateOpaque(d, right);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    /** {@code opaque h<V>} into a digest; hash outputs are 32 to 64 bytes, so the varint has one or two bytes. */
    private static void updateOpaque(Digest d, byte[] h) {
        if (h.length < 64) {
            d.update((byte) h.length);
        } else {
            d.update((byte) (0x40 | (h.length >>> 8)));
            d.update((byte) h.length);
        }
        d.update(h, 0, h.length);
    }

    private static boolean anyLeafUnder(int index, int[] leaves) {
        if (leaves == null) {
            return false;
        }
        for (int leaf : leaves) {
            if (TreeMath.isLeafUnder(leaf, index)) {
                return true;
            }
        }
        return false;
    }

    private static boolean excludes(int[] sorted, int leaf) {
        return sorted != null && Arrays.binarySearch(sorted, leaf) >= 0;
    }

    static boolean contains(int[] a, int v) {
        if (a != null) {
            for (int x : a) {
                if (x == v) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] without(int[] a, int[] remove) {
        int[] out = new int[a.length];
        int n = 0;
        for (int x : a) {
            if (!contains(remove, x)) {
                out[n++] = x;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int[] toArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    // ---- wire format ----

    public void encode(TlsWriter out) {
        int last = nodes.length - 1;
        while (last >= 0 && nodes[last] == null) {
            last--;
        }
        int mark = out.beginVector();
        for (int i = 0; i <= last; i++) {
            out.optional(nodes[i]);
        }
        out.endVector(mark);
    }

    public byte[] toBytes() {
        TlsWriter w = new TlsWriter(1024);
        encode(w);
        return w.toByteArray();
    }

    /**
     * The most leaves a tree received from outside may span (a Welcome, a GroupInfo, a tree given
     * out of band). Decoding, hashing and validating cost time and memory in proportion to the
     * tree's width, blank nodes included, so this bounds what one message can make a member do:
     * about 2 million nodes, whose hashes take about 100 MB (docs/validation.md).
     */
    public static final int MAX_RECEIVED_LEAVES = 1 << 20;

    /** Decodes a ratchet_tree: non-empty, ending in a non-blank node, leaves at even and parents at odd indices. */
    public static RatchetTree decode(CipherSuite suite, TlsReader in) {
        int at = in.position();
        TlsReader v = in.vector();
        ArrayList<Node> list = new ArrayList<>();
        int maxNodes = TreeMath.nodeWidth(MAX_RECEIVED_LEAVES);
        while (v.hasRemaining()) {
            int nodeAt = v.position();
            if (list.size() == maxNodes) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, nodeAt, "a ratchet tree of more than "
                        + MAX_RECEIVED_LEAVES + " leaves");
            }
            Node n = v.present() ? Node.decode(v) : null;
            if (n != null && n.isLeaf() != TreeMath.isLeaf(list.size())) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, nodeAt,
                        (n.isLeaf() ? "leaf" : "parent") + " node at node index " + list.size());
            }
            list.add(n);
        }
        if (list.isEmpty() || list.get(list.size() - 1) == null) {
            throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at,
                    "a ratchet tree must be non-empty and must not end in a blank node");
        }
        int leaves = 1;
        while (TreeMath.nodeWidth(leaves) < list.size()) {
            if (leaves == MAX_RECEIVED_LEAVES) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at, "a ratchet tree of more than "
                        + MAX_RECEIVED_LEAVES + " leaves");
            }
            leaves <<= 1;
        }
        return new RatchetTree(suite, list.toArray(new Node[TreeMath.nodeWidth(leaves)]));
    }
}
