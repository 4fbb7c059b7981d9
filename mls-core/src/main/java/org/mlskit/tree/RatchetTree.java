package org.mlskit.tree;

import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * The public ratchet tree (RFC 9420 §7): an array of nodes in tree-math order, null for blank.
 * The array always spans a full tree of a power-of-two number of leaves; on the wire
 * ({@code optional<Node> ratchet_tree<V>}) trailing blank nodes are left out.
 */
public final class RatchetTree {
    private Node[] nodes;

    private RatchetTree(Node[] nodes) {
        this.nodes = nodes;
    }

    /** A tree of one leaf. */
    public static RatchetTree single(Node leaf) {
        return new RatchetTree(new Node[] {leaf});
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

    public RatchetTree copy() {
        return new RatchetTree(nodes.clone());
    }

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

    /** Decodes a ratchet_tree: non-empty, ending in a non-blank node, leaves at even and parents at odd indices. */
    public static RatchetTree decode(TlsReader in) {
        int at = in.position();
        TlsReader v = in.vector();
        java.util.ArrayList<Node> list = new java.util.ArrayList<>();
        while (v.hasRemaining()) {
            int nodeAt = v.position();
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
            if (leaves == TreeMath.MAX_LEAVES) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at, "ratchet tree too large");
            }
            leaves <<= 1;
        }
        Node[] nodes = new Node[TreeMath.nodeWidth(leaves)];
        for (int i = 0; i < list.size(); i++) {
            nodes[i] = list.get(i);
        }
        return new RatchetTree(nodes);
    }
}
