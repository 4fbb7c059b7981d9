package org.mlskit.ds.auth;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.ds.api.DsError;
import org.mlskit.ds.store.Database;
import org.mlskit.keys.Credential;

/**
 * Devices and their authentication (RFC 9750 §5, the DS's part of authentication): a device
 * registers its MLS signature key and credential by signing a challenge with that key, and later
 * signs fresh challenges to get short-lived tokens. A user's first device registers freely; its
 * further devices need a token of one of its devices.
 */
public final class Accounts {
    /** How long a challenge can be answered. */
    public static final long CHALLENGE_SECONDS = 120;

    private final Database db;
    private final Tokens tokens;
    private final SecureRandom random = new SecureRandom();

    public Accounts(Database db, Tokens tokens) {
        this.db = db;
        this.tokens = tokens;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** A fresh single-use challenge for {@code user/device}: 32 random bytes, valid {@link #CHALLENGE_SECONDS}. */
    public CompletableFuture<Challenge> challenge(String user, String device) {
        Names.check("user", user);
        Names.check("device", device);
        byte[] c = new byte[32];
        random.nextBytes(c);
        long expires = now() + CHALLENGE_SECONDS;
        return db.write(tx -> {
            tx.update("INSERT INTO challenges (challenge, user_id, device_id, expires) VALUES (?, ?, ?, ?)", c, user, device, expires);
            return new Challenge(c, expires);
        });
    }

    public record Challenge(byte[] challenge, long expiresAt) {
    }

    public record Session(Principal principal, String token, long expiresAt) {
    }

    /**
     * Registers a device. A further device of an existing user needs that user's consent: either
     * {@code caller}, the authenticated device of the request, is one of the user's devices, or
     * {@code linkTicket} is a ticket one of them asked for this very device ({@link #linkTicket}).
     */
    public CompletableFuture<Session> register(String user, String device, int suiteId, byte[] signatureKey, byte[] credential,
            byte[] challenge, byte[] signature, Principal caller, String linkTicket) {
        Names.check("user", user);
        Names.check("device", device);
        boolean linked = linkTicket != null && tokens.checkTicket(linkTicket, user, device, now());
        if (linkTicket != null && !linked) {
            throw new DsError(DsError.Code.FORBIDDEN, "the link ticket is wrong, expired or for another device");
        }
        CipherSuite suite = suite(suiteId);
        checkCredential(credential, user, device);
        byte[] canonical;
        try {
            canonical = suite.signatureScheme().canonicalPublicKey(signatureKey);
        } catch (MlsException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "signatureKey is not a " + suite.signatureScheme() + " public key: "
                    + e.getMessage());
        }
        if (!ChallengeProof.verify(suite, signatureKey, challenge, user, device, signature)) {
            throw new DsError(DsError.Code.BAD_SIGNATURE, "the signature over the challenge does not verify with signatureKey");
        }
        long now = now();
        return db.write(tx -> {
            consumeChallenge(tx, challenge, user, device, now);
            boolean userExists = tx.queryLong(0, "SELECT 1 FROM users WHERE user_id = ?", user) == 1;
            if (userExists && !linked && (caller == null || !caller.user().equals(user))) {
                throw new DsError(DsError.Code.FORBIDDEN, "user '" + user + "' exists: register a further device of it with"
                        + " the token of one of its devices or a link ticket");
            }
            if (tx.queryLong(0, "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?", user, device) == 1) {
                throw new DsError(DsError.Code.DEVICE_EXISTS, "device '" + user + "/" + device + "' is registered");
            }
            if (tx.queryLong(0, "SELECT 1 FROM devices WHERE key_canonical = ?", canonical) == 1) {
                throw new DsError(DsError.Code.DEVICE_EXISTS, "this signature key belongs to another device");
            }
            if (!userExists) {
                tx.update("INSERT INTO users (user_id, created) VALUES (?, ?)", user, now);
            }
            long dev = tx.insertReturningId("INSERT INTO devices (user_id, device_id, suite, signature_key, key_canonical,"
                    + " credential, created) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING dev",
                    user, device, suiteId, signatureKey, canonical, credential, now);
            Principal p = new Principal(dev, user, device);
            return new Session(p, tokens.issue(p, now), now + tokens.ttlSeconds());
        });
    }

    /** A ticket that lets a new device {@code device} of the caller's user register without the caller's token. */
    public Session linkTicket(Principal caller, String device) {
        Names.check("device", device);
        boolean exists = db.read(s -> s.queryLong(0, "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?",
                caller.user(), device)) == 1;
        if (exists) {
            throw new DsError(DsError.Code.DEVICE_EXISTS, "device '" + caller.user() + "/" + device + "' is registered");
        }
        long now = now();
        return new Session(new Principal(0, caller.user(), device), tokens.linkTicket(caller.user(), device, now),
                now + Tokens.TICKET_SECONDS);
    }

    /** A token for a registered device that signed {@code challenge}. */
    public CompletableFuture<Session> token(String user, String device, byte[] challenge, byte[] signature) {
        Names.check("user", user);
        Names.check("device", device);
        Registered r = db.read(s -> {
            try (ResultSet rs = s.bind("SELECT dev, suite, signature_key FROM devices WHERE user_id = ? AND device_id = ?",
                    user, device).executeQuery()) {
                return rs.next() ? new Registered(rs.getLong(1), rs.getInt(2), rs.getBytes(3)) : null;
            }
        });
        if (r == null) {
            throw new DsError(DsError.Code.NOT_FOUND, "no device '" + user + "/" + device + "' is registered");
        }
        if (!ChallengeProof.verify(suite(r.suite), r.key, challenge, user, device, signature)) {
            throw new DsError(DsError.Code.BAD_SIGNATURE, "the signature over the challenge does not verify with the"
                    + " device's registered key");
        }
        long now = now();
        return db.write(tx -> {
            consumeChallenge(tx, challenge, user, device, now);
            Principal p = new Principal(r.dev, user, device);
            return new Session(p, tokens.issue(p, now), now + tokens.ttlSeconds());
        });
    }

    /** The device a bearer token names (no database access). */
    public Principal authenticate(String bearer) {
        return tokens.check(bearer, now());
    }

    private record Registered(long dev, int suite, byte[] key) {
    }

    private static void consumeChallenge(org.mlskit.ds.store.Statements tx, byte[] challenge, String user, String device,
            long now) throws SQLException {
        int n = tx.update("DELETE FROM challenges WHERE challenge = ? AND user_id = ? AND device_id = ? AND expires > ?",
                challenge, user, device, now);
        if (n != 1) {
            throw new DsError(DsError.Code.BAD_CHALLENGE, "unknown, used or expired challenge (ask POST /v1/challenges)");
        }
    }

    /** A cipher suite named in a request; BAD_REQUEST when it is not one of the seven. */
    public static CipherSuite suite(int id) {
        try {
            return CipherSuite.of(id);
        } catch (RuntimeException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "unknown cipher suite " + id);
        }
    }

    private static void checkCredential(byte[] credential, String user, String device) {
        Credential c;
        try {
            TlsReader in = new TlsReader(credential);
            c = Credential.decode(in);
            in.finish();
        } catch (RuntimeException e) {
            throw new DsError(DsError.Code.INVALID_CREDENTIAL, "credential is not an MLS Credential: " + e.getMessage());
        }
        if (c.type() != Credential.BASIC) {
            throw new DsError(DsError.Code.INVALID_CREDENTIAL, "this DS vouches for basic credentials only (type 1)");
        }
        byte[] want = ChallengeProof.credentialFor(user, device).identity();
        if (!Arrays.equals(c.identity(), want)) {
            throw new DsError(DsError.Code.INVALID_CREDENTIAL, "a basic credential's identity must be the UTF-8 of '"
                    + user + "/" + device + "'");
        }
    }

    /** Seconds since the epoch, the unit of every stored time. */
    public static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
