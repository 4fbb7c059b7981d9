package org.mlskit.ds.mailbox;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.mlskit.ds.store.Database;

/**
 * Deletes what nobody needs any more: a room's messages every member has acknowledged (a
 * removed member counts until it acknowledged its last one), Welcomes their recipients
 * acknowledged, both only once older than the retention; anything older than the maximum age
 * whatever its acknowledgements (a device gone for good must not keep its rooms' logs alive);
 * used challenges and expired KeyPackages.
 */
public final class Retention {
    private final Database db;
    private final long retentionSeconds;
    private final long maxAgeSeconds;

    public Retention(Database db, long retentionSeconds, long maxAgeSeconds) {
        this.db = db;
        this.retentionSeconds = retentionSeconds;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /** Messages deleted per write transaction. */
    public static final int CHUNK = 2000;

    /** Runs {@code delete} (deleting at most {@link #CHUNK} rows) until it deletes fewer; returns the rows deleted. */
    private long inChunks(String delete, Object... args) {
        long deleted = 0;
        while (true) {
            int n = db.writeNow(tx -> tx.update(delete, args));
            deleted += n;
            if (n < CHUNK) {
                return deleted;
            }
        }
    }

    /** One pass; returns the messages deleted. */
    public long run() {
        long now = System.currentTimeMillis() / 1000;
        long keepAfter = now - retentionSeconds;
        record Floor(byte[] group, long acked) {
        }
        List<Floor> floors = db.read(s -> {
            List<Floor> out = new ArrayList<>();
            try (ResultSet rs = s.bind("SELECT ms.group_id, min(d.acked) FROM memberships ms JOIN devices d ON d.dev = ms.dev"
                    + " WHERE ms.until_id IS NULL OR ms.until_id > d.acked + 1 GROUP BY ms.group_id").executeQuery()) {
                while (rs.next()) {
                    out.add(new Floor(rs.getBytes(1), rs.getLong(2)));
                }
            }
            return out;
        });
        // Messages are deleted in chunks, each its own write (the write lock is held for one chunk at
        // a time, so messages keep flowing while a large backlog is removed).
        // Ids grow with time: no message at or after the first one inside the retention is old enough,
        // so a room's delete reads only the rows it may delete (created is still checked: clocks of
        // two instances can differ).
        long young = db.read(s -> s.queryLong(Long.MAX_VALUE, "SELECT id FROM messages WHERE created >= ? ORDER BY created, id LIMIT 1",
                keepAfter));
        long deleted = 0;
        // Rooms share a write until it has deleted a chunk's worth (a pass that deletes little is one write).
        for (int next = 0; next < floors.size(); ) {
            int from = next;
            long[] done = db.writeNow(tx -> {
                long d = 0;
                int i = from;
                while (i < floors.size() && d < CHUNK) {
                    Floor f = floors.get(i);
                    long limit = CHUNK - d;
                    int n = tx.update("DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE group_id = ? AND id <= ?"
                            + " AND created < ? ORDER BY id LIMIT ?)", f.group(), Math.min(f.acked(), young - 1), keepAfter, limit);
                    d += n;
                    if (n < limit) {
                        i++; // this room is done
                    }
                }
                return new long[] {d, i};
            });
            deleted += done[0];
            next = (int) done[1];
        }
        long old = now - maxAgeSeconds;
        db.writeNow(tx -> {
            tx.update("DELETE FROM direct WHERE msg <= (SELECT acked FROM devices WHERE devices.dev = direct.dev)");
            tx.update("DELETE FROM direct WHERE msg IN (SELECT id FROM messages WHERE created < ?)", old);
            return null;
        });
        deleted += inChunks("DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE group_id IS NULL AND created < ?"
                + " AND NOT EXISTS (SELECT 1 FROM direct WHERE direct.msg = messages.id) ORDER BY id LIMIT " + CHUNK + ")", keepAfter);
        deleted += inChunks("DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE created < ? ORDER BY created, id LIMIT "
                + CHUNK + ")", old);
        db.writeNow(tx -> {
            tx.update("DELETE FROM memberships WHERE until_id IS NOT NULL AND until_id <= (SELECT acked FROM devices"
                    + " WHERE devices.dev = memberships.dev) + 1");
            tx.update("DELETE FROM challenges WHERE expires < ?", now);
            tx.update("DELETE FROM key_packages WHERE not_after < ?", now);
            return null;
        });
        return deleted;
    }
}
