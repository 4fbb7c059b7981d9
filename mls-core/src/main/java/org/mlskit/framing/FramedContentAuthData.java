package org.mlskit.framing;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** FramedContentAuthData (RFC 9420 §6.1): the signature and, for commits, the confirmation tag. */
public final class FramedContentAuthData implements Encodable {
    public final byte[] signature;
    /** Only for commits; null otherwise. */
    public final byte[] confirmationTag;

    public FramedContentAuthData(byte[] signature, byte[] confirmationTag) {
        this.signature = signature;
        this.confirmationTag = confirmationTag;
    }

    @Override
    public void encode(TlsWriter out) {
        out.opaque(signature);
        if (confirmationTag != null) {
            out.opaque(confirmationTag);
        }
    }

    public static FramedContentAuthData decode(TlsReader in, int contentType) {
        byte[] sig = in.opaque();
        return new FramedContentAuthData(sig, contentType == ContentType.COMMIT ? in.opaque() : null);
    }
}
