package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Identity;

/**
 * One entry of a participant's append-only log: its position, the hash of the entry before it,
 * the MLS messages it carries and the author's signature over all of that. Anyone who knows the
 * author's signature key can check an entry without reading its messages, so peers can store and
 * relay logs they cannot decrypt. Immutable.
 */
public final class LogEntry {
    static final String LABEL = "MMLS LogEntry";

    public final String author;
    public final int seq;
    private final byte[] prev;
    public final List<LogItem> items;
    private final byte[] signature;
    private final byte[] encoded;

    private LogEntry(String author, int seq, byte[] prev, List<LogItem> items, byte[] signature) {
        if (seq < 0) {
            throw new MlsException(ErrorCode.MALFORMED, "a log position is non-negative");
        }
        this.author = author;
        this.seq = seq;
        this.prev = prev.clone();
        this.items = Collections.unmodifiableList(new ArrayList<>(items));
        this.signature = signature.clone();
        TlsWriter w = new TlsWriter(256);
        writeTbs(w, author, seq, prev, items);
        w.opaque(signature);
        this.encoded = w.toByteArray();
    }

    /** Signs a new entry with the author's signature key. */
    static LogEntry sign(Identity author, String authorId, int seq, byte[] prev, List<LogItem> items) {
        byte[] tbs = tbs(authorId, seq, prev, items);
        return new LogEntry(authorId, seq, prev, items, author.sign(LABEL, tbs));
    }

    private static byte[] tbs(String author, int seq, byte[] prev, List<LogItem> items) {
        TlsWriter w = new TlsWriter(256);
        writeTbs(w, author, seq, prev, items);
        return w.toByteArray();
    }

    private static void writeTbs(TlsWriter w, String author, int seq, byte[] prev, List<LogItem> items) {
        w.utf8(author).u32(seq).opaque(prev);
        int m = w.beginVector();
        for (LogItem i : items) {
            i.encode(w);
        }
        w.endVector(m);
    }

    /** Whether the signature verifies under {@code signatureKey}. */
    public boolean verify(CipherSuite suite, byte[] signatureKey) {
        try {
            return suite.verifyWithLabel(signatureKey, LABEL, tbs(author, seq, prev, items), signature);
        } catch (MlsException e) {
            return false;
        }
    }

    /** The hash that the next entry names as its predecessor. */
    public byte[] hash(CipherSuite suite) {
        return suite.hash(encoded);
    }

    public byte[] prev() {
        return prev.clone();
    }

    boolean follows(byte[] hash) {
        return Arrays.equals(prev, hash);
    }

    public byte[] toBytes() {
        return encoded.clone();
    }

    boolean sameAs(LogEntry other) {
        return Arrays.equals(encoded, other.encoded);
    }

    /** Decodes an entry; bytes that are not one are {@link ErrorCode#MALFORMED}. */
    public static LogEntry fromBytes(byte[] data) {
        TlsReader in = new TlsReader(data);
        String author = in.utf8();
        int seq = in.u32();
        byte[] prev = in.opaque();
        List<LogItem> items = new ArrayList<>();
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            items.add(LogItem.decode(v));
        }
        byte[] sig = in.opaque();
        in.finish();
        return new LogEntry(author, seq, prev, items, sig);
    }

    @Override
    public String toString() {
        return author + "#" + seq;
    }
}
