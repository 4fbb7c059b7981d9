package org.mlskit.framing;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** PrivateMessage (RFC 9420 §6.3): encrypted content and encrypted sender data. */
public final class PrivateMessage implements Encodable {
    public final byte[] groupId;
    public final long epoch;
    public final int contentType;
    public final byte[] authenticatedData;
    public final byte[] encryptedSenderData;
    public final byte[] ciphertext;

    public PrivateMessage(byte[] groupId, long epoch, int contentType, byte[] authenticatedData, byte[] encryptedSenderData,
            byte[] ciphertext) {
        this.groupId = groupId;
        this.epoch = epoch;
        this.contentType = contentType;
        this.authenticatedData = authenticatedData;
        this.encryptedSenderData = encryptedSenderData;
        this.ciphertext = ciphertext;
    }

    @Override
    public void encode(TlsWriter out) {
        out.opaque(groupId).u64(epoch).u8(contentType).opaque(authenticatedData).opaque(encryptedSenderData)
                .opaque(ciphertext);
    }

    public static PrivateMessage decode(TlsReader in) {
        byte[] groupId = in.opaque();
        long epoch = in.u64();
        int at = in.position();
        int type = in.u8();
        if (type < ContentType.APPLICATION || type > ContentType.COMMIT) {
            throw org.mlskit.codec.Codec.invalid(in, at, "content type " + type);
        }
        byte[] aad = in.opaque();
        byte[] sd = in.opaque();
        return new PrivateMessage(groupId, epoch, type, aad, sd, in.opaque());
    }
}
