package org.mlskit.codec;

/**
 * The variable-length integer of RFC 9420 §2.1.2 (QUIC's, limited to 30 bits) that prefixes
 * every {@code <V>} vector. Encodings must be minimal.
 */
public final class Varint {
    /** The largest length a vector header can carry. */
    public static final int MAX = (1 << 30) - 1;

    private Varint() {
    }

    /** Bytes the minimal encoding of {@code value} takes: 1, 2 or 4. */
    public static int size(int value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("vector length out of range: " + value);
        }
        return value < (1 << 6) ? 1 : value < (1 << 14) ? 2 : 4;
    }

    /** Writes the minimal encoding of {@code value} at {@code pos}; returns the bytes written. */
    static int put(byte[] buf, int pos, int value) {
        int n = size(value);
        switch (n) {
            case 1:
                buf[pos] = (byte) value;
                break;
            case 2:
                buf[pos] = (byte) (0x40 | (value >>> 8));
                buf[pos + 1] = (byte) value;
                break;
            default:
                buf[pos] = (byte) (0x80 | (value >>> 24));
                buf[pos + 1] = (byte) (value >>> 16);
                buf[pos + 2] = (byte) (value >>> 8);
                buf[pos + 3] = (byte) value;
        }
        return n;
    }
}
