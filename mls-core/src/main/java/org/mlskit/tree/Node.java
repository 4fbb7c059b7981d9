package org.mlskit.tree;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.LeafNode;

/** A non-blank node of the ratchet tree: {@code select (node_type) { leaf: LeafNode; parent: ParentNode; }}. */
public final class Node implements Encodable {
    public static final int LEAF = 1;
    public static final int PARENT = 2;

    public final LeafNode leaf;
    public final ParentNode parent;

    private Node(LeafNode leaf, ParentNode parent) {
        this.leaf = leaf;
        this.parent = parent;
    }

    public static Node leaf(LeafNode leaf) {
        return new Node(leaf, null);
    }

    public static Node parent(ParentNode parent) {
        return new Node(null, parent);
    }

    public boolean isLeaf() {
        return leaf != null;
    }

    /** The node's HPKE public key. */
    public byte[] encryptionKey() {
        return leaf != null ? leaf.encryptionKey : parent.encryptionKey;
    }

    @Override
    public void encode(TlsWriter out) {
        if (leaf != null) {
            out.u8(LEAF);
            leaf.encode(out);
        } else {
            out.u8(PARENT);
            parent.encode(out);
        }
    }

    public static Node decode(TlsReader in) {
        int at = in.position();
        int type = in.u8();
        switch (type) {
            case LEAF:
                return leaf(LeafNode.decode(in));
            case PARENT:
                return parent(ParentNode.decode(in));
            default:
                throw Codec.invalid(in, at, "node type " + type);
        }
    }
}
