package org.mlskit.keys;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** {@code struct { ExtensionType extension_type; opaque extension_data<V>; } Extension} (RFC 9420 §13). */
public final class Extension implements Encodable {
    private final int type;
    private final byte[] data;

    public Extension(int type, byte[] data) {
        this.type = type;
        this.data = data.clone();
    }

    public int type() {
        return type;
    }

    public byte[] data() {
        return data.clone();
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(type).opaque(data);
    }

    public static Extension decode(TlsReader in) {
        int type = in.u16();
        return new Extension(type, in.opaque());
    }

    /** {@code Extension extensions<V>}. */
    public static void encodeList(TlsWriter out, List<Extension> list) {
        Codec.writeList(out, list);
    }

    /** Decodes {@code Extension extensions<V>}; a list that repeats a type is malformed (§13: MUST NOT). */
    public static List<Extension> decodeList(TlsReader in) {
        int at = in.position();
        List<Extension> list = Codec.readList(in, Extension::decode);
        int repeated = repeatedType(list);
        if (repeated >= 0) {
            throw Codec.invalid(in, at, "extension type " + repeated + " appears more than once in one list");
        }
        return list;
    }

    /** A type that occurs more than once in {@code list}, or -1. */
    public static int repeatedType(List<Extension> list) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Extension e : list) {
            if (!seen.add(e.type())) {
                return e.type();
            }
        }
        return -1;
    }
}
