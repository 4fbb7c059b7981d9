package org.mlskit.distributed;

import java.util.Map;
import java.util.TreeMap;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * The wire form of {@link LogBook#summary()}, so that peers can run anti-entropy over any relay:
 * <pre>
 * struct { opaque author&lt;V&gt;; uint32 count; opaque head&lt;V&gt;; } Head;
 * struct { Head heads&lt;V&gt;; } LogSummary;   // authors strictly ascending
 * </pre>
 * Decoding is strict (one canonical form): unsorted or repeated authors, a count above 2^31-1,
 * a head hash with a count of 0, or trailing bytes are {@link ErrorCode#MALFORMED}.
 */
public final class LogSummary {
    /** More authors than any session holds; bounds what a hostile summary makes us allocate. */
    static final int MAX_AUTHORS = 1 << 16;

    private LogSummary() {
    }

    public static byte[] toBytes(Map<String, LogBook.Head> summary) {
        TlsWriter w = new TlsWriter(64 * (summary.size() + 1));
        int m = w.beginVector();
        for (Map.Entry<String, LogBook.Head> e : new TreeMap<>(summary).entrySet()) {
            w.utf8(e.getKey()).u32(e.getValue().count).opaque(e.getValue().hash());
        }
        w.endVector(m);
        return w.toByteArray();
    }

    public static Map<String, LogBook.Head> fromBytes(byte[] data) {
        TlsReader in = new TlsReader(data);
        TlsReader v = in.vector();
        in.finish();
        TreeMap<String, LogBook.Head> out = new TreeMap<>();
        String last = null;
        while (v.hasRemaining()) {
            String author = v.utf8();
            int count = v.u32();
            byte[] hash = v.opaque();
            if (last != null && author.compareTo(last) <= 0) {
                throw new MlsException(ErrorCode.MALFORMED, "summary authors must be strictly ascending");
            }
            if (count < 0 || (count == 0) != (hash.length == 0)) {
                throw new MlsException(ErrorCode.MALFORMED, "summary head of " + author + " is not a count and its hash");
            }
            if (out.size() >= MAX_AUTHORS) {
                throw new MlsException(ErrorCode.MALFORMED, "summary names too many authors");
            }
            out.put(author, new LogBook.Head(count, hash));
            last = author;
        }
        return out;
    }
}
