package org.mlskit.ds.mailbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.mlskit.ds.api.DsError;
import org.mlskit.ds.auth.Principal;
import org.mlskit.ds.store.Database;
import org.mlskit.ds.store.Statements;

/**
 * A device's mailbox, read from any cursor: the messages of its rooms while it was a member, and
 * the Welcomes and relayed payloads addressed to it, in sequence order. Nothing is copied per recipient: a message is
 * stored once and membership ranges say who receives it. A device acknowledges a cursor; entries
 * every recipient acknowledged are deleted after the retention ({@link Retention}).
 */
public final class Mailbox {
    public static final int MAX_FETCH = 1000;

    private static final String ROOM_ENTRIES = "SELECT m.id, m.kind, m.bytes FROM memberships ms JOIN messages m ON m.group_id = ms.group_id"
            + " WHERE ms.dev = ? AND m.id > ? AND m.id >= ms.from_id AND (ms.until_id IS NULL OR m.id < ms.until_id)"
            + " ORDER BY m.id LIMIT ?";
    private static final String DIRECT_ENTRIES = "SELECT m.id, m.kind, m.bytes FROM direct d JOIN messages m ON m.id = d.msg"
            + " WHERE d.dev = ? AND d.msg > ? ORDER BY d.msg LIMIT ?";

    private final Database db;

    public Mailbox(Database db) {
        this.db = db;
    }

    /** Entries after {@code after}, at most {@code limit}, in order. */
    public List<Entry> fetch(Principal p, long after, int limit) {
        if (after < 0 || limit < 1 || limit > MAX_FETCH) {
            throw new DsError(DsError.Code.BAD_REQUEST, "after must be >= 0 and limit 1 to " + MAX_FETCH);
        }
        return db.read(s -> fetch(s, p.dev(), after, limit));
    }

    static List<Entry> fetch(Statements s, long dev, long after, int limit) throws SQLException {
        List<Entry> rooms = query(s, ROOM_ENTRIES, dev, after, limit);
        List<Entry> direct = query(s, DIRECT_ENTRIES, dev, after, limit);
        List<Entry> out = new ArrayList<>(Math.min(limit, rooms.size() + direct.size()));
        int i = 0;
        int j = 0;
        while (out.size() < limit && (i < rooms.size() || j < direct.size())) {
            if (j == direct.size() || (i < rooms.size() && rooms.get(i).seq() < direct.get(j).seq())) {
                out.add(rooms.get(i++));
            } else {
                out.add(direct.get(j++));
            }
        }
        return out;
    }

    private static List<Entry> query(Statements s, String sql, long dev, long after, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = s.bind(sql, dev, after, limit).executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getInt(2), rs.getBytes(3)));
            }
        }
        return out;
    }

    /** Records that the device has everything up to {@code upTo} (acknowledgements only move forward). */
    public CompletableFuture<Long> ack(Principal p, long upTo) {
        if (upTo < 0) {
            throw new DsError(DsError.Code.BAD_REQUEST, "upTo must be >= 0");
        }
        return db.write(tx -> {
            tx.update("UPDATE devices SET acked = ? WHERE dev = ? AND acked < ?", upTo, p.dev(), upTo);
            return tx.queryLong(0, "SELECT acked FROM devices WHERE dev = ?", p.dev());
        });
    }
}
