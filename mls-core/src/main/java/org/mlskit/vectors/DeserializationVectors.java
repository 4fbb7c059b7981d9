package org.mlskit.vectors;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.RandomSource;

import static org.mlskit.vectors.TestVectors.*;

/** deserialization.json: a variable-length vector header decodes to its length and re-encodes the same. */
final class DeserializationVectors {
    private DeserializationVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        byte[] header = hex(v, "vlbytes_header");
        long length = num(v, "length");
        TlsReader r = new TlsReader(header);
        expectEqual("decoded length", length, r.varint());
        r.finish();
        expectEqual("re-encoded header", header, new TlsWriter().varint((int) length).toByteArray());
    }
}
