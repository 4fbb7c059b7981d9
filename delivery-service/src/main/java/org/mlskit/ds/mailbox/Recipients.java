package org.mlskit.ds.mailbox;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

import org.mlskit.ds.store.Statements;
import org.mlskit.framing.ContentType;

/**
 * Who receives each new mailbox entry, worked out in memory. A room's membership ranges (device,
 * from id, until id) are read once and kept; only a commit changes them (the commit's own
 * transaction writes the new ranges), so the feed reads a room's ranges again after each commit
 * it passes. Ranges name message ids, so ranges read later than an entry are still right for it.
 * Welcomes go to the devices the {@code direct} table names.
 */
final class Recipients {
    /** Rooms kept at most (more than a feed batch can name, so a batch never evicts its own); reading one again is one query. */
    static final int MAX_ROOMS = 20_000;
    /** Rooms per IN list. */
    private static final int CHUNK = 200;

    /**
     * A mailbox entry with what routing needs: its room (null for a Welcome), kind, and for a
     * Welcome the devices it is for when known (null: read them from {@code direct}).
     */
    record Row(Entry entry, byte[] groupId, int kind, long[] to) {
    }

    /** {dev, from, until} triples of a room; until is Long.MAX_VALUE while open. */
    private final Map<ByteBuffer, long[]> rooms = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, long[]> eldest) {
            return size() > MAX_ROOMS;
        }
    };

    /**
     * Forgets the ranges of every room with a commit among {@code rows}. Called for every batch
     * the feed reads, whether or not anyone is listening, so no commit is ever passed unseen.
     */
    void passed(List<Row> rows) {
        for (Row r : rows) {
            if (r.groupId != null && r.kind == ContentType.COMMIT) {
                rooms.remove(ByteBuffer.wrap(r.groupId));
            }
        }
    }

    /** Forgets everything (after a failed read the feed cannot tell what it passed). */
    void clear() {
        rooms.clear();
    }

    /** Whether {@link #route} needs no database for {@code rows} (after {@link #passed}). */
    boolean canRoute(List<Row> rows) {
        for (Row r : rows) {
            if (r.groupId == null ? r.to == null : !rooms.containsKey(ByteBuffer.wrap(r.groupId))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The entries of {@code rows} (in id order) for each device that {@code wanted} accepts.
     * Call {@link #passed} for the same rows first; {@code s} may be null when {@link #canRoute}.
     */
    Map<Long, List<Entry>> route(Statements s, List<Row> rows, LongPredicate wanted) throws SQLException {
        load(s, rows);
        Map<Long, List<Long>> direct = null;
        Map<Long, List<Entry>> byDev = new HashMap<>();
        for (Row r : rows) {
            long id = r.entry.seq();
            if (r.groupId == null) {
                if (r.to == null && direct == null) {
                    direct = direct(s, rows.get(0).entry.seq(), rows.get(rows.size() - 1).entry.seq());
                }
                for (long dev : r.to != null ? toList(r.to) : direct.getOrDefault(id, List.of())) {
                    if (wanted.test(dev)) {
                        byDev.computeIfAbsent(dev, k -> new ArrayList<>()).add(r.entry);
                    }
                }
                continue;
            }
            long[] ranges = rooms.get(ByteBuffer.wrap(r.groupId));
            for (int i = 0; i < ranges.length; i += 3) {
                long dev = ranges[i];
                if (ranges[i + 1] <= id && id < ranges[i + 2] && wanted.test(dev)) {
                    byDev.computeIfAbsent(dev, k -> new ArrayList<>()).add(r.entry);
                }
            }
        }
        return byDev;
    }

    /** Reads the ranges of the rooms of {@code rows} that are not known. */
    private void load(Statements s, List<Row> rows) throws SQLException {
        Set<ByteBuffer> missing = new LinkedHashSet<>();
        for (Row r : rows) {
            if (r.groupId != null) {
                ByteBuffer key = ByteBuffer.wrap(r.groupId);
                if (!rooms.containsKey(key)) {
                    missing.add(key);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<ByteBuffer> all = new ArrayList<>(missing);
        for (int at = 0; at < all.size(); at += CHUNK) {
            List<ByteBuffer> chunk = all.subList(at, Math.min(all.size(), at + CHUNK));
            Map<ByteBuffer, List<long[]>> found = new HashMap<>();
            Object[] args = new Object[chunk.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = chunk.get(i).array();
                found.put(chunk.get(i), new ArrayList<>());
            }
            String sql = "SELECT group_id, dev, from_id, until_id FROM memberships WHERE group_id IN ("
                    + "?,".repeat(args.length - 1) + "?)";
            try (ResultSet rs = s.bind(sql, args).executeQuery()) {
                while (rs.next()) {
                    long until = rs.getLong(4);
                    until = rs.wasNull() ? Long.MAX_VALUE : until;
                    found.get(ByteBuffer.wrap(rs.getBytes(1))).add(new long[] {rs.getLong(2), rs.getLong(3), until});
                }
            }
            // Rooms with no ranges are kept too (empty): a message to them reaches no one.
            for (Map.Entry<ByteBuffer, List<long[]>> e : found.entrySet()) {
                long[] flat = new long[e.getValue().size() * 3];
                for (int i = 0; i < e.getValue().size(); i++) {
                    System.arraycopy(e.getValue().get(i), 0, flat, i * 3, 3);
                }
                rooms.put(e.getKey(), flat);
            }
        }
    }

    private static List<Long> toList(long[] devs) {
        List<Long> list = new ArrayList<>(devs.length);
        for (long d : devs) {
            list.add(d);
        }
        return list;
    }

    /** The devices of the Welcomes with ids in {@code [first, last]}, by message id. */
    private static Map<Long, List<Long>> direct(Statements s, long first, long last) throws SQLException {
        Map<Long, List<Long>> byMsg = new HashMap<>();
        try (ResultSet rs = s.bind("SELECT msg, dev FROM direct WHERE msg >= ? AND msg <= ?", first, last).executeQuery()) {
            while (rs.next()) {
                byMsg.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
            }
        }
        return byMsg;
    }
}
