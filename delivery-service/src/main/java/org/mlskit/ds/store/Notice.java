package org.mlskit.ds.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a PostgreSQL NOTIFY of one write transaction tells the other DS instances: who wrote and,
 * when they are small enough, the mailbox entries it stored, so their feeds deliver them without
 * reading them back. The payload is text, under PostgreSQL's 8,000 bytes: the instance id, and
 * after a colon the entries in base64. A transaction's entries go in as few notices as fit, up to
 * {@link #MAX_NOTICES}; past that one notice without entries tells the others to read the database.
 * PostgreSQL delivers the notices of a transaction together, after its commit, in commit order.
 *
 * @param written the entries, in id order, or null when the notice carries none
 */
public record Notice(String instance, List<Written> written) {
    /** Characters of a payload at most (PostgreSQL refuses 8,000 bytes or more). */
    static final int MAX_PAYLOAD = 7_900;
    /** Notices of one transaction at most; a larger one sends the instance id alone. */
    static final int MAX_NOTICES = 16;

    /** The payloads of the NOTIFYs of a transaction that stored {@code written} (in id order). */
    static List<String> payloads(String instance, List<Written> written) {
        int room = (MAX_PAYLOAD - instance.length() - 1) / 4 * 3; // binary bytes that fit after base64
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < written.size()) {
            int size = 0;
            int to = from;
            while (to < written.size() && size + encodedSize(written.get(to)) <= room) {
                size += encodedSize(written.get(to++));
            }
            if (to == from || out.size() == MAX_NOTICES) {
                return List.of(instance); // an entry too large for a notice, or too many notices
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            for (int i = from; i < to; i++) {
                encode(written.get(i), b);
            }
            out.add(instance + ":" + Base64.getEncoder().encodeToString(b.array()));
            from = to;
        }
        return out.isEmpty() ? List.of(instance) : out;
    }

    /** Whether {@code payload} is a notice of {@code instance} (checked before parsing: its own are skipped). */
    public static boolean isFrom(String payload, String instance) {
        return payload.startsWith(instance) && (payload.length() == instance.length() || payload.charAt(instance.length()) == ':');
    }

    /** Reads a payload; a payload this class did not write is refused with IllegalArgumentException. */
    public static Notice parse(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return new Notice(payload, null);
        }
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(payload.substring(colon + 1)));
        List<Written> written = new ArrayList<>();
        try {
            while (b.hasRemaining()) {
                long id = b.getLong();
                int kind = b.get();
                int groupLength = b.getShort() & 0xffff;
                byte[] group = groupLength == 0xffff ? null : bytes(b, groupLength);
                byte[] bytes = bytes(b, b.getInt());
                int toCount = b.getShort() & 0xffff;
                long[] to = toCount == 0xffff ? null : new long[toCount];
                for (int i = 0; to != null && i < toCount; i++) {
                    to[i] = b.getLong();
                }
                if (!written.isEmpty() && id <= written.get(written.size() - 1).id()) {
                    throw new IllegalArgumentException("entries of a notice out of order");
                }
                written.add(new Written(id, group, kind, bytes, to));
            }
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("a truncated notice", e);
        }
        if (written.isEmpty()) {
            throw new IllegalArgumentException("a notice with an empty list of entries");
        }
        return new Notice(payload.substring(0, colon), List.copyOf(written));
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static int encodedSize(Written w) {
        return 8 + 1 + 2 + (w.groupId() == null ? 0 : w.groupId().length) + 4 + w.bytes().length + 2
                + (w.to() == null ? 0 : 8 * w.to().length);
    }

    /** Lengths fit 16 bits with 0xffff left for null: {@link #payloads} encodes only entries of a few KB. */
    private static void encode(Written w, ByteBuffer b) {
        b.putLong(w.id()).put((byte) w.kind());
        b.putShort((short) (w.groupId() == null ? 0xffff : w.groupId().length));
        if (w.groupId() != null) {
            b.put(w.groupId());
        }
        b.putInt(w.bytes().length).put(w.bytes());
        b.putShort((short) (w.to() == null ? 0xffff : w.to().length));
        if (w.to() != null) {
            for (long d : w.to()) {
                b.putLong(d);
            }
        }
    }
}
