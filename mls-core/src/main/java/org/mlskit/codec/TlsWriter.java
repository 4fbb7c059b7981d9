package org.mlskit.codec;

import java.nio.charset.StandardCharsets;

/**
 * Writer for the TLS presentation language. Vectors whose length is only known after their
 * body is written use {@link #beginVector()}/{@link #endVector(int)}: the body is written in
 * place and moved once by the size of its minimal length header.
 */
public final class TlsWriter {
    private byte[] buf;
    private int len;

    public TlsWriter() {
        this(64);
    }

    public TlsWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need < 0) {
            throw new IllegalStateException("encoding exceeds 2 GiB");
        }
        if (need > buf.length) {
            int cap = Math.max(need, buf.length * 2);
            byte[] nb = new byte[cap < 0 ? need : cap];
            System.arraycopy(buf, 0, nb, 0, len);
            buf = nb;
        }
    }

    public TlsWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public TlsWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    public TlsWriter varint(int v) {
        ensure(4);
        len += Varint.put(buf, len, v);
        return this;
    }

    /** {@code opaque data<V>}. */
    public TlsWriter opaque(byte[] data) {
        varint(data.length);
        return raw(data);
    }

    /** A UTF-8 string as {@code opaque<V>}. */
    public TlsWriter utf8(String s) {
        return opaque(utf8Bytes(s));
    }

    /**
     * The UTF-8 encoding of {@code s}. ASCII (every label MLS defines) is copied char by char:
     * TeaVM builds create a charset encoder per {@code getBytes} call, which showed up in profiles
     * of every message.
     */
    public static byte[] utf8Bytes(String s) {
        int n = s.length();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) c;
        }
        return out;
    }

    /** Bytes with no length prefix ({@code opaque data[n]}, or a nested encoding). */
    public TlsWriter raw(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        return this;
    }

    public TlsWriter write(Encodable e) {
        e.encode(this);
        return this;
    }

    /** {@code optional<T>}: a presence byte, then the value if there is one. */
    public TlsWriter optional(Encodable e) {
        if (e == null) {
            return u8(0);
        }
        u8(1);
        return write(e);
    }

    /** Starts a {@code <V>} vector; pass the result to {@link #endVector(int)} after its body. */
    public int beginVector() {
        return len;
    }

    /** Prefixes everything written since {@code mark} with its minimal varint length. */
    public TlsWriter endVector(int mark) {
        int body = len - mark;
        int hdr = Varint.size(body);
        ensure(hdr);
        System.arraycopy(buf, mark, buf, mark + hdr, body);
        Varint.put(buf, mark, body);
        len += hdr;
        return this;
    }

    public int size() {
        return len;
    }

    public byte[] toByteArray() {
        byte[] out = new byte[len];
        System.arraycopy(buf, 0, out, 0, len);
        return out;
    }
}
