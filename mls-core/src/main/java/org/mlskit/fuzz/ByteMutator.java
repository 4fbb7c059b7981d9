package org.mlskit.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Mutations of an encoded message that need no schema: bit flips, byte edits, inserts, deletes and
 * duplicated chunks, and length-aware ones that find the {@code <V>} vector headers of the TLS
 * presentation language (RFC 9420 §2.1.2) in the bytes and edit them: a header set to a boundary
 * value or encoded non-minimally, a vector's body replaced by a body spliced from another message,
 * doubled (duplicated list entries) or emptied (dropped entries), with the headers of the vectors
 * around it fixed up so the outer structure still parses and the change reaches the inner decoder.
 */
public final class ByteMutator {
    /** Inputs are capped at this many bytes: big enough for any seed, small enough for the JS build. */
    public static final int MAX_SIZE = 1 << 16;

    private ByteMutator() {
    }

    /** A vector in an encoding: header at {@code start}, body from {@code body} to {@code end}. */
    static final class Span {
        final int start;
        final int body;
        final int end;

        Span(int start, int body, int end) {
            this.start = start;
            this.body = body;
            this.end = end;
        }
    }

    /** One to three mutations of {@code in} ({@code donors} supply spliced bodies). */
    public static byte[] mutate(byte[] in, List<byte[]> donors, FuzzRandom r) {
        byte[] out = in;
        int rounds = 1 + (r.chance(30) ? r.below(3) : 0);
        for (int i = 0; i < rounds; i++) {
            out = once(out, donors, r);
        }
        return out.length > MAX_SIZE ? truncate(out, MAX_SIZE) : out;
    }

    static byte[] once(byte[] in, List<byte[]> donors, FuzzRandom r) {
        int kind = r.below(12);
        if (kind >= 5) {
            List<Span> spans = spans(in);
            if (!spans.isEmpty()) {
                Span s = spans.get(r.below(spans.size()));
                switch (kind) {
                    case 5:
                    case 6:
                        return editHeader(in, s, r);
                    case 7:
                    case 8:
                        return replaceBody(in, spans, s, spliceBody(donors, r), r);
                    case 9:
                        return replaceBody(in, spans, s, concat(slice(in, s.body, s.end), slice(in, s.body, s.end)), r);
                    case 10:
                        return replaceBody(in, spans, s, new byte[0], r);
                    default:
                        return replaceBody(in, spans, s, dropOrDuplicateItem(slice(in, s.body, s.end), r), r);
                }
            }
        }
        return raw(in, r);
    }

    /** Schema-free byte edits. */
    static byte[] raw(byte[] in, FuzzRandom r) {
        if (in.length == 0) {
            return r.bytes(1 + r.below(8));
        }
        byte[] out;
        int at = r.below(in.length);
        switch (r.below(7)) {
            case 0:
                out = in.clone();
                out[at] ^= (byte) (1 << r.below(8));
                return out;
            case 1:
                out = in.clone();
                out[at] = (byte) interesting(r);
                return out;
            case 2:
                return splice(in, at, at, r.bytes(1 + r.below(16)));
            case 3:
                return splice(in, at, Math.min(in.length, at + 1 + r.below(16)), new byte[0]);
            case 4: {
                int end = Math.min(in.length, at + 1 + r.below(64));
                return splice(in, at, at, slice(in, at, end));
            }
            case 5:
                return truncate(in, at);
            default:
                return concat(in, r.bytes(1 + r.below(8)));
        }
    }

    private static int interesting(FuzzRandom r) {
        int[] values = {0, 1, 2, 3, 4, 5, 6, 7, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff};
        return values[r.below(values.length)];
    }

    /**
     * Every position where a minimal varint header announces a body that fits in the input. Random
     * key bytes produce false candidates too; those edits are just further byte mutations.
     */
    static List<Span> spans(byte[] in) {
        List<Span> out = new ArrayList<>();
        for (int p = 0; p < in.length && out.size() < 4096; p++) {
            int first = in[p] & 0xff;
            int prefix = first >>> 6;
            int len;
            int hdr;
            if (prefix == 0) {
                len = first;
                hdr = 1;
            } else if (prefix == 1 && p + 1 < in.length) {
                len = ((first & 0x3f) << 8) | (in[p + 1] & 0xff);
                hdr = 2;
                if (len < 64) {
                    continue;
                }
            } else if (prefix == 2 && p + 3 < in.length) {
                len = ((first & 0x3f) << 24) | ((in[p + 1] & 0xff) << 16) | ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
                hdr = 4;
                if (len < (1 << 14)) {
                    continue;
                }
            } else {
                continue;
            }
            if (len <= in.length - p - hdr && (len > 0 || prefix == 0)) {
                out.add(new Span(p, p + hdr, p + hdr + len));
            }
        }
        return out;
    }

    private static byte[] editHeader(byte[] in, Span s, FuzzRandom r) {
        int len = s.end - s.body;
        byte[] header;
        switch (r.below(7)) {
            case 0:
                header = varint(len + 1 + r.below(4));
                break;
            case 1:
                header = varint(Math.max(0, len - 1 - r.below(4)));
                break;
            case 2:
                header = varint(0x3fffffff);
                break;
            case 3:
                // Non-minimal: the same length in a longer header.
                header = len < 0x4000 ? new byte[] {(byte) 0x80, 0, (byte) (len >>> 8), (byte) len}
                        : new byte[] {(byte) 0x80, (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
                break;
            case 4:
                header = new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0, 0, (byte) len};
                break;
            case 5:
                header = varint(0);
                break;
            default:
                header = varint(r.below(1 << 14));
        }
        return splice(in, s.start, s.body, header);
    }

    /** A vector body from a donor message (or random bytes when there is none). */
    private static byte[] spliceBody(List<byte[]> donors, FuzzRandom r) {
        if (donors.isEmpty() || r.chance(10)) {
            return r.bytes(r.below(48));
        }
        byte[] d = donors.get(r.below(donors.size()));
        List<Span> spans = spans(d);
        if (spans.isEmpty()) {
            return d.clone();
        }
        Span s = spans.get(r.below(spans.size()));
        return slice(d, s.body, s.end);
    }

    /**
     * When a body is a list of varint-prefixed items (opaque values, or structs that start with
     * one), drops or duplicates one item.
     */
    private static byte[] dropOrDuplicateItem(byte[] body, FuzzRandom r) {
        List<int[]> items = new ArrayList<>();
        int p = 0;
        while (p < body.length) {
            int first = body[p] & 0xff;
            int hdr = first < 0x40 ? 1 : first < 0x80 ? 2 : 4;
            if (p + hdr > body.length || first >= 0xc0) {
                break;
            }
            int len = first < 0x40 ? first : first < 0x80 ? ((first & 0x3f) << 8) | (body[p + 1] & 0xff)
                    : ((first & 0x3f) << 24) | ((body[p + 1] & 0xff) << 16) | ((body[p + 2] & 0xff) << 8) | (body[p + 3] & 0xff);
            if (len < 0 || len > body.length - p - hdr) {
                break;
            }
            items.add(new int[] {p, p + hdr + len});
            p += hdr + len;
        }
        if (items.isEmpty()) {
            return concat(body, body);
        }
        int[] item = items.get(r.below(items.size()));
        return r.chance(50) ? splice(body, item[0], item[1], new byte[0])
                : splice(body, item[1], item[1], slice(body, item[0], item[1]));
    }

    /**
     * Replaces the body of {@code s} and rewrites its header; with some probability also rewrites
     * the headers of the spans around it (innermost first) so the enclosing vectors stay consistent.
     */
    static byte[] replaceBody(byte[] in, List<Span> spans, Span s, byte[] body, FuzzRandom r) {
        byte[] header = varint(body.length);
        byte[] out = splice(in, s.start, s.end, concat(header, body));
        if (r.chance(25)) {
            return out;
        }
        int delta = out.length - in.length;
        // Enclosing candidates: headers before s whose bodies contain it, innermost (latest start) first.
        List<Span> around = new ArrayList<>();
        for (Span o : spans) {
            if (o.body <= s.start && o.end >= s.end && o != s) {
                around.add(o);
            }
        }
        for (int i = around.size() - 1; i >= 0 && delta != 0; i--) {
            Span o = around.get(i);
            byte[] newHeader = varint(Math.max(0, o.end - o.body + delta));
            out = splice(out, o.start, o.body, newHeader);
            delta += newHeader.length - (o.body - o.start);
            if (r.chance(20)) {
                break;
            }
        }
        return out;
    }

    static byte[] varint(int v) {
        if (v < 0x40) {
            return new byte[] {(byte) v};
        }
        if (v < 0x4000) {
            return new byte[] {(byte) (0x40 | (v >>> 8)), (byte) v};
        }
        return new byte[] {(byte) (0x80 | ((v >>> 24) & 0x3f)), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] slice(byte[] in, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(in, from, out, 0, out.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code in} with {@code [from, to)} replaced by {@code with}. */
    static byte[] splice(byte[] in, int from, int to, byte[] with) {
        byte[] out = new byte[in.length - (to - from) + with.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(in, to, out, from + with.length, in.length - to);
        return out;
    }

    static byte[] truncate(byte[] in, int n) {
        return slice(in, 0, Math.min(n, in.length));
    }
}
