package org.mlskit.codec;

import java.nio.charset.StandardCharsets;

import static org.mlskit.codec.DecodeException.Reason.*;

/**
 * Strict reader for the TLS presentation language as RFC 9420 §2.1 uses it. Every length is
 * checked against the remaining input before anything is allocated, so a hostile header can
 * neither over-read nor exhaust memory. Nested vectors are read through {@link #vector()}, which
 * returns a bounded sub-reader: decoding is iterative, never recursive in the input's depth.
 */
public final class TlsReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public TlsReader(byte[] data) {
        this(data, 0, data.length);
    }

    private TlsReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Absolute position in the underlying input (for error reports and slicing). */
    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n, String what) {
        if (n > end - pos) {
            throw new DecodeException(TRUNCATED, pos, what + " needs " + n + " bytes, " + (end - pos) + " remain");
        }
    }

    public int u8() {
        need(1, "uint8");
        return buf[pos++] & 0xff;
    }

    public int u16() {
        need(2, "uint16");
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** A uint32, as the same 32 bits in an int; use {@link Integer#toUnsignedLong} where values above 2^31 matter. */
    public int u32() {
        need(4, "uint32");
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long u64() {
        long hi = Integer.toUnsignedLong(u32());
        long lo = Integer.toUnsignedLong(u32());
        return (hi << 32) | lo;
    }

    /** The variable-length header of a {@code <V>} vector (RFC 9420 §2.1.2), minimal encodings only. */
    public int varint() {
        int start = pos;
        int first = u8();
        int prefix = first >>> 6;
        int value;
        switch (prefix) {
            case 0:
                return first;
            case 1:
                need(1, "2-byte length");
                value = ((first & 0x3f) << 8) | (buf[pos++] & 0xff);
                if (value < (1 << 6)) {
                    throw new DecodeException(NON_MINIMAL_LENGTH, start, "length " + value + " encoded in 2 bytes");
                }
                return value;
            case 2:
                need(3, "4-byte length");
                value = ((first & 0x3f) << 24) | ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
                pos += 3;
                if (value < (1 << 14)) {
                    throw new DecodeException(NON_MINIMAL_LENGTH, start, "length " + value + " encoded in 4 bytes");
                }
                return value;
            default:
                throw new DecodeException(INVALID_LENGTH, start, "length header with prefix 0b11");
        }
    }

    /** {@code opaque data<V>}: a varint length and that many bytes. */
    public byte[] opaque() {
        int start = pos;
        int len = varint();
        if (len > end - pos) {
            throw new DecodeException(LENGTH_BEYOND_INPUT, start, "declared length " + len + ", " + (end - pos) + " bytes remain");
        }
        return take(len);
    }

    /** {@code opaque data[n]}: exactly n bytes. */
    public byte[] fixed(int n) {
        need(n, n + "-byte field");
        return take(n);
    }

    private byte[] take(int n) {
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** A UTF-8 string carried as {@code opaque<V>}. */
    public String utf8() {
        return new String(opaque(), StandardCharsets.UTF_8);
    }

    /** The body of a {@code T items<V>} vector as a bounded reader; this reader moves past it. */
    public TlsReader vector() {
        int start = pos;
        int len = varint();
        if (len > end - pos) {
            throw new DecodeException(LENGTH_BEYOND_INPUT, start, "declared vector length " + len + ", " + (end - pos) + " bytes remain");
        }
        TlsReader sub = new TlsReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    /** The presence byte of {@code optional<T>}: true when a value follows. */
    public boolean present() {
        int start = pos;
        int flag = u8();
        if (flag > 1) {
            throw new DecodeException(INVALID_VALUE, start, "optional presence byte " + flag);
        }
        return flag == 1;
    }

    /** Asserts the input is used up: a structure followed by anything else is malformed. */
    public void finish() {
        if (pos != end) {
            throw new DecodeException(TRAILING_DATA, pos, (end - pos) + " bytes after the end of the structure");
        }
    }
}
