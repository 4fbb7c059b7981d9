package org.mlskit.tree;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** A ParentNode (RFC 9420 §7.1): an HPKE public key, the parent hash, and unmerged leaves in ascending order. */
public final class ParentNode implements Encodable {
    public final byte[] encryptionKey;
    public final byte[] parentHash;
    /** Leaf indices, ascending. */
    public final int[] unmergedLeaves;

    public ParentNode(byte[] encryptionKey, byte[] parentHash, int[] unmergedLeaves) {
        this.encryptionKey = encryptionKey;
        this.parentHash = parentHash;
        this.unmergedLeaves = unmergedLeaves;
    }

    public ParentNode withUnmergedLeaves(int[] leaves) {
        return new ParentNode(encryptionKey, parentHash, leaves);
    }

    @Override
    public void encode(TlsWriter out) {
        out.opaque(encryptionKey).opaque(parentHash);
        Codec.writeU32s(out, unmergedLeaves);
    }

    public static ParentNode decode(TlsReader in) {
        byte[] key = in.opaque();
        byte[] ph = in.opaque();
        return new ParentNode(key, ph, Codec.readU32s(in));
    }
}
