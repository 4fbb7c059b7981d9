package org.mlskit.ds.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.mlskit.ds.api.DsError;

/**
 * Bearer tokens any instance sharing the database can check without a query: {@code
 * v1.BODY.MAC} where BODY = base64url(dev, expiry, user, device) and MAC = HMAC-SHA256 under a
 * key kept in the database (created once, shared by instances).
 */
public final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Tokens checked recently: a client sends the same token with every request until it expires. */
    private static final int REMEMBERED = 1 << 16;

    private final byte[] key;
    private final long ttlSeconds;
    private final java.util.concurrent.ConcurrentHashMap<String, Checked> checked = new java.util.concurrent.ConcurrentHashMap<>();

    private record Checked(Principal principal, long expires) {
    }

    public Tokens(byte[] key, long ttlSeconds) {
        this.key = key.clone();
        this.ttlSeconds = ttlSeconds;
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    public String issue(Principal p, long nowSeconds) {
        byte[] user = p.user().getBytes(StandardCharsets.UTF_8);
        byte[] device = p.device().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 2 + user.length + 2 + device.length);
        b.putLong(p.dev()).putLong(nowSeconds + ttlSeconds);
        b.putShort((short) user.length).put(user).putShort((short) device.length).put(device);
        String body = B64.encodeToString(b.array());
        return "v1." + body + "." + B64.encodeToString(mac(body));
    }

    /** The device a token names; UNAUTHENTICATED when it is forged, damaged or expired. */
    public Principal check(String token, long nowSeconds) {
        Checked c = token == null ? null : checked.get(token);
        if (c != null && nowSeconds < c.expires) {
            return c.principal; // the same bytes passed the MAC before: a pure function of them
        }
        if (token == null || token.isEmpty()) {
            throw new DsError(DsError.Code.UNAUTHENTICATED, "this request needs 'Authorization: Bearer TOKEN' (POST /v1/tokens)");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new DsError(DsError.Code.UNAUTHENTICATED, "not a token of this server");
        }
        byte[] given;
        byte[] body;
        try {
            given = B64D.decode(parts[2]);
            body = B64D.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new DsError(DsError.Code.UNAUTHENTICATED, "not a token of this server");
        }
        if (!MessageDigest.isEqual(given, mac(parts[1]))) {
            throw new DsError(DsError.Code.UNAUTHENTICATED, "the token's signature is wrong");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        long dev = b.getLong();
        long expires = b.getLong();
        if (nowSeconds >= expires) {
            throw new DsError(DsError.Code.UNAUTHENTICATED, "the token expired; sign a new challenge (POST /v1/tokens)")
                    .with("expired", true);
        }
        byte[] user = new byte[b.getShort()];
        b.get(user);
        byte[] device = new byte[b.getShort()];
        b.get(device);
        Principal p = new Principal(dev, new String(user, StandardCharsets.UTF_8), new String(device, StandardCharsets.UTF_8));
        if (checked.size() >= REMEMBERED) {
            checked.clear(); // bounded: a flood of distinct valid tokens costs MACs, never memory
        }
        checked.put(token, new Checked(p, expires));
        return p;
    }

    /** How long a link ticket lasts. */
    public static final long TICKET_SECONDS = 600;
    private static final String BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /**
     * A link ticket: lets whoever holds it register the named further device of {@code user}
     * within {@link #TICKET_SECONDS}. It is the expiry and a truncated MAC over (user, device,
     * expiry), in a base32 without look-alike letters, grouped by four for reading aloud: short
     * enough to type, and only guessable online, one registration attempt per guess. It is used
     * at most once because the device then exists.
     */
    public String linkTicket(String user, String device, long nowSeconds) {
        long expires = nowSeconds + TICKET_SECONDS;
        ByteBuffer b = ByteBuffer.allocate(15);
        b.putInt((int) expires).put(ticketMac(user, device, expires), 0, 11);
        StringBuilder out = new StringBuilder();
        long acc = 0;
        int bits = 0;
        for (byte x : b.array()) {
            acc = (acc << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                if (out.length() % 5 == 4) {
                    out.append('-');
                }
                out.append(BASE32.charAt((int) (acc >>> bits) & 31));
            }
        }
        return out.toString();
    }

    /** True when {@code ticket} was issued for exactly this user and device and has not expired. */
    public boolean checkTicket(String ticket, String user, String device, long nowSeconds) {
        String t = ticket.replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (t.length() != 24) {
            return false;
        }
        byte[] raw = new byte[15];
        long acc = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            int v = BASE32.indexOf(t.charAt(i));
            if (v < 0) {
                return false;
            }
            acc = (acc << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                raw[n++] = (byte) (acc >>> bits);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long expires = b.getInt() & 0xffffffffL;
        byte[] given = new byte[11];
        b.get(given);
        byte[] want = java.util.Arrays.copyOf(ticketMac(user, device, expires), 11);
        return MessageDigest.isEqual(given, want) && nowSeconds < expires;
    }

    private byte[] ticketMac(String user, String device, long expires) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] d = device.getBytes(StandardCharsets.UTF_8);
        // Its own domain: a ticket can never be taken for a token's MAC or the reverse.
        ByteBuffer b = ByteBuffer.allocate(5 + 2 + u.length + 2 + d.length + 8);
        b.put("link:".getBytes(StandardCharsets.US_ASCII)).putShort((short) u.length).put(u).putShort((short) d.length).put(d)
                .putLong(expires);
        return macs.get().doFinal(b.array());
    }

    /** One keyed Mac per thread: looking the algorithm up and keying it cost more than the MAC of a token. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private byte[] mac(String body) {
        return macs.get().doFinal(body.getBytes(StandardCharsets.US_ASCII)); // doFinal resets the Mac for the next use
    }
}
