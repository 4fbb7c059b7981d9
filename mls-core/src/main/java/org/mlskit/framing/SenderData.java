package org.mlskit.framing;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** SenderData (RFC 9420 §6.3.2): which leaf sent a PrivateMessage, with which generation and reuse guard. */
public final class SenderData implements Encodable {
    public static final int REUSE_GUARD_LENGTH = 4;

    /** uint32 values held in ints. */
    public final int leafIndex;
    public final int generation;
    private final byte[] reuseGuard;

    public SenderData(int leafIndex, int generation, byte[] reuseGuard) {
        if (reuseGuard.length != REUSE_GUARD_LENGTH) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "reuse_guard is 4 bytes, not " + reuseGuard.length);
        }
        this.leafIndex = leafIndex;
        this.generation = generation;
        this.reuseGuard = reuseGuard.clone();
    }

    public byte[] reuseGuard() {
        return reuseGuard.clone();
    }

    /** The content nonce: the ratchet's nonce with the reuse guard XORed into its first four bytes. */
    byte[] guardNonce(byte[] ratchetNonce) {
        byte[] n = ratchetNonce.clone();
        for (int i = 0; i < REUSE_GUARD_LENGTH; i++) {
            n[i] ^= reuseGuard[i];
        }
        return n;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u32(leafIndex).u32(generation).raw(reuseGuard);
    }

    public static SenderData decode(TlsReader in) {
        int leaf = in.u32();
        int gen = in.u32();
        return new SenderData(leaf, gen, in.fixed(REUSE_GUARD_LENGTH));
    }

    /** Decodes exactly one SenderData; anything else is {@code MALFORMED}. */
    public static SenderData fromBytes(byte[] data) {
        return Codec.decodeAll(data, SenderData::decode);
    }
}
