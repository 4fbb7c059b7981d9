package org.mlskit.codec;

/** A structure with a TLS presentation language encoding. */
public interface Encodable {
    void encode(TlsWriter out);

    /** The structure's encoding on its own. */
    default byte[] toBytes() {
        TlsWriter w = new TlsWriter();
        encode(w);
        return w.toByteArray();
    }
}
