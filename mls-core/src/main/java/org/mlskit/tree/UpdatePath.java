package org.mlskit.tree;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.keys.LeafNode;

/** An UpdatePath (RFC 9420 §7.6): the committer's new leaf and, per filtered direct-path node, its new key and encrypted path secrets. */
public final class UpdatePath implements Encodable {
    public final LeafNode leafNode;
    public final List<Node> nodes;

    public UpdatePath(LeafNode leafNode, List<Node> nodes) {
        this.leafNode = leafNode;
        this.nodes = nodes;
    }

    @Override
    public void encode(TlsWriter out) {
        leafNode.encode(out);
        Codec.writeList(out, nodes);
    }

    public static UpdatePath decode(TlsReader in) {
        LeafNode leaf = LeafNode.decode(in);
        return new UpdatePath(leaf, Codec.readList(in, Node::decode));
    }

    /** UpdatePathNode: a new public key and the path secret encrypted to each node of the copath resolution. */
    public static final class Node implements Encodable {
        public final byte[] encryptionKey;
        public final List<HpkeCiphertext> encryptedPathSecret;

        public Node(byte[] encryptionKey, List<HpkeCiphertext> encryptedPathSecret) {
            this.encryptionKey = encryptionKey;
            this.encryptedPathSecret = encryptedPathSecret;
        }

        @Override
        public void encode(TlsWriter out) {
            out.opaque(encryptionKey);
            Codec.writeList(out, encryptedPathSecret);
        }

        public static Node decode(TlsReader in) {
            byte[] key = in.opaque();
            return new Node(key, Codec.readList(in, HpkeCiphertext::decode));
        }
    }
}
