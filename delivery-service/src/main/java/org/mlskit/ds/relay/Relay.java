package org.mlskit.ds.relay;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.mlskit.ds.api.DsError;
import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Names;
import org.mlskit.ds.auth.Principal;
import org.mlskit.ds.keys.RateLimiter;
import org.mlskit.ds.store.Database;

/**
 * The mailboxes as a plain relay, for protocols that order nothing on the server (Multi-MLS's
 * logs, docs/multi-mls.md): a device hands opaque bytes to named users' devices, which read them
 * from their mailboxes in sequence with everything else, resume from a cursor and acknowledge them
 * like Welcomes. The DS reads nothing in the payload; it records and tells the recipients who sent
 * it (the authenticated device). Payloads are meant to be ciphertexts or signed public data (the
 * DS stores what it is given, so an application must not relay plaintext).
 */
public final class Relay {
    /** {@code messages.kind} of a relayed payload (Welcome is 0, room messages 1 to 3). */
    public static final int KIND_RELAY = 16;
    /** Names in {@code to} at most, and devices a payload reaches at most. */
    public static final int MAX_NAMES = 256;
    public static final int MAX_DEVICES = 1_000;

    private final Database db;
    private final RateLimiter limiter;

    public Relay(Database db, RateLimiter limiter) {
        this.db = db;
        this.limiter = limiter;
    }

    /** Where a payload went: its mailbox sequence number and how many devices it reached. */
    public record Sent(long seq, int devices) {
    }

    /**
     * Stores {@code payload} once for every device {@code to} names: {@code "user"} is each of that
     * user's devices, {@code "user/device"} one device; the sender's own device is left out. An
     * unknown name refuses the whole send (NOT_FOUND) and stores nothing.
     */
    public CompletableFuture<Sent> send(Principal p, List<String> to, byte[] payload) {
        if (to.isEmpty() || to.size() > MAX_NAMES) {
            throw new DsError(DsError.Code.BAD_REQUEST, "to must name 1 to " + MAX_NAMES + " users or devices");
        }
        if (payload.length == 0) {
            throw new DsError(DsError.Code.BAD_REQUEST, "an empty payload");
        }
        List<String[]> names = new ArrayList<>();
        for (String name : to) {
            String[] parts = name == null ? new String[0] : name.split("/", -1);
            if (parts.length < 1 || parts.length > 2) {
                throw new DsError(DsError.Code.BAD_REQUEST, "to: 'user' or 'user/device', got " + name);
            }
            Names.check("to: user", parts[0]);
            if (parts.length == 2) {
                Names.check("to: device", parts[1]);
            }
            names.add(parts);
        }
        limiter.take(p.dev(), "relay sends");
        byte[] stored = envelope(p, payload);
        long now = Accounts.now();
        return db.write(tx -> {
            Set<Long> devs = new LinkedHashSet<>();
            for (String[] n : names) {
                String sql = n.length == 1 ? "SELECT dev FROM devices WHERE user_id = ? ORDER BY dev"
                        : "SELECT dev FROM devices WHERE user_id = ? AND device_id = ?";
                try (ResultSet rs = tx.bind(sql, (Object[]) n).executeQuery()) {
                    boolean any = false;
                    while (rs.next()) {
                        any = true;
                        devs.add(rs.getLong(1));
                    }
                    if (!any) {
                        throw new DsError(DsError.Code.NOT_FOUND, "no " + (n.length == 1 ? "user " + n[0] : "device " + n[0] + "/" + n[1]))
                                .with("to", String.join("/", n));
                    }
                }
            }
            devs.remove(p.dev());
            if (devs.size() > MAX_DEVICES) {
                throw new DsError(DsError.Code.BAD_REQUEST, "a payload reaches at most " + MAX_DEVICES + " devices");
            }
            if (devs.isEmpty()) {
                return new Sent(-1, 0); // only the sender itself: nothing to store
            }
            long[] list = devs.stream().mapToLong(Long::longValue).toArray();
            long seq = tx.insertMessageNow(null, KIND_RELAY, 0, p.dev(), stored, now, list);
            for (long dev : list) {
                tx.update("INSERT INTO direct (dev, msg) VALUES (?, ?)", dev, seq);
            }
            return new Sent(seq, list.length);
        });
    }

    /** What the DS stores: the sender's names ("user/device", which cannot hold a newline), a newline, the payload. */
    static byte[] envelope(Principal p, byte[] payload) {
        byte[] from = (p.user() + "/" + p.device() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[from.length + payload.length];
        System.arraycopy(from, 0, out, 0, from.length);
        System.arraycopy(payload, 0, out, from.length, payload.length);
        return out;
    }

    /** The sender's names of a stored relay entry. */
    public static String from(byte[] stored) {
        return new String(stored, 0, newline(stored), StandardCharsets.US_ASCII);
    }

    /** The payload of a stored relay entry. */
    public static byte[] payload(byte[] stored) {
        int at = newline(stored) + 1;
        return java.util.Arrays.copyOfRange(stored, at, stored.length);
    }

    private static int newline(byte[] stored) {
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("a relay entry without its sender");
    }
}
