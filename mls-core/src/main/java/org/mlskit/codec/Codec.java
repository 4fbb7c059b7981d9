package org.mlskit.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Helpers for vectors of structures and of uint16 code points, shared by every message struct. */
public final class Codec {
    private Codec() {
    }

    /** {@code T items<V>}. */
    public static void writeList(TlsWriter out, List<? extends Encodable> items) {
        int mark = out.beginVector();
        for (Encodable e : items) {
            e.encode(out);
        }
        out.endVector(mark);
    }

    /** Decodes {@code T items<V>} with {@code item}, iteratively. */
    public static <T> List<T> readList(TlsReader in, Function<TlsReader, T> item) {
        TlsReader v = in.vector();
        List<T> out = new ArrayList<>();
        while (v.hasRemaining()) {
            out.add(item.apply(v));
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code uint16 values<V>}. */
    public static void writeU16s(TlsWriter out, int[] values) {
        out.varint(values.length * 2);
        for (int v : values) {
            out.u16(v);
        }
    }

    public static int[] readU16s(TlsReader in) {
        TlsReader v = in.vector();
        if ((v.remaining() & 1) != 0) {
            throw new DecodeException(DecodeException.Reason.INVALID_VALUE, v.position(), "uint16 vector of odd length");
        }
        int[] out = new int[v.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.u16();
        }
        return out;
    }

    /** {@code uint32 values<V>}. */
    public static void writeU32s(TlsWriter out, int[] values) {
        out.varint(values.length * 4);
        for (int v : values) {
            out.u32(v);
        }
    }

    public static int[] readU32s(TlsReader in) {
        TlsReader v = in.vector();
        if ((v.remaining() & 3) != 0) {
            throw new DecodeException(DecodeException.Reason.INVALID_VALUE, v.position(), "uint32 vector of bad length");
        }
        int[] out = new int[v.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.u32();
        }
        return out;
    }

    /** Decodes a whole byte string as one {@code T}, rejecting trailing bytes. */
    public static <T> T decodeAll(byte[] data, Function<TlsReader, T> item) {
        TlsReader r = new TlsReader(data);
        T t = item.apply(r);
        r.finish();
        return t;
    }

    public static DecodeException invalid(TlsReader in, int at, String what) {
        return new DecodeException(DecodeException.Reason.INVALID_VALUE, at, what);
    }
}
