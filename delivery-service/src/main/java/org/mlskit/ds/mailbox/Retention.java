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
        return db.writeNow(tx -> {
            long deleted = 0;
            for (Floor f : floors) {
                deleted += tx.update("DELETE FROM messages WHERE group_id = ? AND id <= ? AND created < ?", f.group(),
                        f.acked(), keepAfter);
            }
            tx.update("DELETE FROM direct WHERE msg <= (SELECT acked FROM devices WHERE devices.dev = direct.dev)");
            tx.update("DELETE FROM direct WHERE msg IN (SELECT id FROM messages WHERE created < ?)", now - maxAgeSeconds);
            deleted += tx.update("DELETE FROM messages WHERE group_id IS NULL AND created < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM direct WHERE direct.msg = messages.id)", keepAfter);
            deleted += tx.update("DELETE FROM messages WHERE created < ?", now - maxAgeSeconds);
            tx.update("DELETE FROM memberships WHERE until_id IS NOT NULL AND until_id <= (SELECT acked FROM devices"
                    + " WHERE devices.dev = memberships.dev) + 1");
            tx.update("DELETE FROM challenges WHERE expires < ?", now);
            tx.update("DELETE FROM key_packages WHERE not_after < ?", now);
            return deleted;
        });
    }
}
