package org.mlskit.sframe;

/**
 * The SFrame header of RFC 9605 §4.3: a config byte {@code X|K|Y|C}, then the KID and the CTR as
 * minimal big-endian integers when they do not fit the three bits. KID and CTR are unsigned 64-bit
 * values held in a {@code long}: every value up to 2^64-1 round-trips exactly; print them with
 * {@link Long#toUnsignedString(long)}.
 */
public final class SFrameHeader {
    /** The longest header: config byte, 8-byte KID, 8-byte CTR. */
    public static final int MAX_LENGTH = 17;

    private final long kid;
    private final long ctr;
    private final int length;

    private SFrameHeader(long kid, long ctr, int length) {
        this.kid = kid;
        this.ctr = ctr;
        this.length = length;
    }

    public static SFrameHeader of(long kid, long ctr) {
        return new SFrameHeader(kid, ctr, encodedLength(kid, ctr));
    }

    public long kid() {
        return kid;
    }

    public long ctr() {
        return ctr;
    }

    /** Length of the encoded header in bytes (1 to 17). */
    public int length() {
        return length;
    }

    /** Bytes of the minimal big-endian form of {@code v}, or 0 when it fits the config byte (v < 8). */
    static int valueLength(long v) {
        if (v >= 0 && v < 8) {
            return 0;
        }
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) {
            n++;
        }
        return n;
    }

    static int encodedLength(long kid, long ctr) {
        return 1 + valueLength(kid) + valueLength(ctr);
    }

    public byte[] encode() {
        byte[] out = new byte[length];
        writeTo(out, 0);
        return out;
    }

    /** Writes the header at {@code off} of {@code out}; returns the offset after it. */
    int writeTo(byte[] out, int off) {
        int kl = valueLength(kid);
        int cl = valueLength(ctr);
        int config = (kl == 0 ? (int) kid << 4 : 0x80 | (kl - 1) << 4) | (cl == 0 ? (int) ctr : 0x08 | (cl - 1));
        out[off++] = (byte) config;
        off = writeBigEndian(kid, kl, out, off);
        return writeBigEndian(ctr, cl, out, off);
    }

    private static int writeBigEndian(long v, int n, byte[] out, int off) {
        for (int i = n - 1; i >= 0; i--) {
            out[off++] = (byte) (v >>> (8 * i));
        }
        return off;
    }

    /**
     * Decodes the header at the start of {@code frame}. A truncated header, or a value not in its
     * minimal form (RFC 9605 §4.3 requires it), is {@link SFrameError#MALFORMED}.
     */
    public static SFrameHeader decode(byte[] frame) {
        if (frame.length < 1) {
            throw new SFrameException(SFrameError.MALFORMED, "empty SFrame ciphertext");
        }
        int config = frame[0] & 0xff;
        int kl = (config & 0x80) == 0 ? 0 : ((config >> 4) & 7) + 1;
        int cl = (config & 0x08) == 0 ? 0 : (config & 7) + 1;
        int length = 1 + kl + cl;
        if (frame.length < length) {
            throw new SFrameException(SFrameError.MALFORMED, "SFrame header needs " + length + " bytes, got " + frame.length);
        }
        long kid = kl == 0 ? (config >> 4) & 7 : readBigEndian(frame, 1, kl, "KID");
        long ctr = cl == 0 ? config & 7 : readBigEndian(frame, 1 + kl, cl, "CTR");
        return new SFrameHeader(kid, ctr, length);
    }

    private static long readBigEndian(byte[] in, int off, int n, String what) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (in[off + i] & 0xff);
        }
        if (valueLength(v) != n) {
            throw new SFrameException(SFrameError.MALFORMED, what + " " + Long.toUnsignedString(v)
                    + " not in its minimal form (" + n + " bytes)");
        }
        return v;
    }

    @Override
    public String toString() {
        return "SFrameHeader(kid=" + Long.toUnsignedString(kid) + ", ctr=" + Long.toUnsignedString(ctr) + ")";
    }
}
