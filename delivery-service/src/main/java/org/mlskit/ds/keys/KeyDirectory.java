package org.mlskit.ds.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.ds.api.DsError;
import org.mlskit.ds.api.MlsBody;
import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Names;
import org.mlskit.ds.auth.Principal;
import org.mlskit.ds.store.Database;
import org.mlskit.ds.store.Statements;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.RequiredCapabilities;

/**
 * The KeyPackage directory (MIMI "fetch key material"). Devices upload KeyPackages of their own
 * credential and key; a requester claims one per device of a user. A one-time KeyPackage is
 * handed out once (the claim is a write, so it is atomic across instances); a device's newest
 * last-resort KeyPackage only when it has no compatible one-time one left, after which its owner
 * is told to rotate it.
 */
public final class KeyDirectory {
    /** Most KeyPackages in one upload. */
    public static final int MAX_UPLOAD = 1000;
    /** Most unclaimed KeyPackages a device may keep here. */
    public static final int MAX_STORED = 10_000;

    private final Database db;
    private final RateLimiter claims;

    public KeyDirectory(Database db, RateLimiter claims) {
        this.db = db;
        this.claims = claims;
    }

    public record Uploaded(int stored, int duplicates, Count count) {
    }

    /** Unclaimed one-time KeyPackages per cipher suite, and the last-resort state. */
    public record Count(Map<Integer, Integer> remaining, boolean lastResort, boolean rotateLastResort) {
    }

    /** Per device of the claimed user: {@code ok} with a KeyPackage, or {@code keyMaterialExhausted} / {@code nothingCompatible}. */
    public record DeviceResult(String device, String status, byte[] keyPackage, Integer cipherSuite, Boolean lastResort) {
    }

    private record Parsed(KeyPackage kp, byte[] bytes, byte[] ref, boolean lastResort) {
    }

    /** Stores a batch (concatenated MLSMessages of KeyPackages) after checking each fully. */
    public CompletableFuture<Uploaded> upload(Principal p, byte[] body) {
        Device d = db.read(s -> device(s, p.dev()));
        long now = Accounts.now();
        List<Parsed> batch = new ArrayList<>();
        for (MlsBody.Part part : MlsBody.split(body, MAX_UPLOAD)) {
            MlsMessage m = part.message();
            if (m.wireFormat != WireFormat.KEY_PACKAGE) {
                throw new DsError(DsError.Code.BAD_REQUEST, "only KeyPackages are uploaded here (wire format 5)");
            }
            KeyPackage kp = (KeyPackage) m.body;
            CipherSuite suite = Accounts.suite(kp.cipherSuite);
            try {
                KeyPackageValidation.validate(suite, kp, now);
            } catch (MlsException e) {
                throw new DsError(DsError.Code.INVALID_KEY_PACKAGE, "KeyPackage " + batch.size() + ": " + e.getMessage())
                        .with("index", batch.size()).with("mlsError", e.code().name());
            }
            byte[] key = suite.signatureScheme().canonicalPublicKey(kp.leafNode.signatureKey);
            byte[] credential = new TlsWriter().write(kp.leafNode.credential).toByteArray();
            if (!Arrays.equals(key, d.keyCanonical) || !Arrays.equals(credential, d.credential)) {
                throw new DsError(DsError.Code.INVALID_KEY_PACKAGE, "KeyPackage " + batch.size() + " is not of this device's"
                        + " registered signature key and credential").with("index", batch.size());
            }
            batch.add(new Parsed(kp, part.bytes(), kp.ref(suite), KeyPackageBundle.isLastResort(kp)));
        }
        return db.write(tx -> {
            long stored = tx.queryLong(0, "SELECT count(*) FROM key_packages WHERE dev = ? AND claimed IS NULL AND last_resort = 0",
                    p.dev());
            if (stored + batch.size() > MAX_STORED) {
                throw new DsError(DsError.Code.PAYLOAD_TOO_LARGE, "a device keeps at most " + MAX_STORED
                        + " unclaimed KeyPackages here; " + stored + " are");
            }
            int added = 0;
            for (Parsed k : batch) {
                if (tx.queryLong(0, "SELECT 1 FROM key_packages WHERE ref = ?", k.ref) == 1) {
                    continue;
                }
                if (k.lastResort) {
                    // The newest last resort replaces the older ones (kept, as claimed, for routing Welcomes to them).
                    tx.update("UPDATE key_packages SET claimed = ? WHERE dev = ? AND suite = ? AND last_resort = 1"
                            + " AND claimed IS NULL", now, p.dev(), k.kp.cipherSuite);
                    tx.update("UPDATE devices SET last_resort_claimed = 0 WHERE dev = ?", p.dev());
                }
                tx.update("INSERT INTO key_packages (ref, dev, suite, last_resort, bytes, not_after, claimed, uploaded)"
                        + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?)", k.ref, p.dev(), k.kp.cipherSuite, k.lastResort ? 1 : 0,
                        k.bytes, k.kp.leafNode.lifetime.notAfter, now);
                added++;
            }
            return new Uploaded(added, batch.size() - added, count(tx, p.dev(), now));
        });
    }

    /** What the device has left here. */
    public Count count(Principal p) {
        long now = Accounts.now();
        return db.read(s -> count(s, p.dev(), now));
    }

    /**
     * One KeyPackage per device of {@code user} (the requester's own device excluded) in one of
     * {@code suites} (in order of preference) whose capabilities cover {@code required}.
     */
    public CompletableFuture<List<DeviceResult>> claim(Principal requester, String user, int[] suites,
            RequiredCapabilities required) {
        Names.check("user", user);
        if (suites.length == 0) {
            throw new DsError(DsError.Code.BAD_REQUEST, "name at least one acceptable cipher suite");
        }
        for (int s : suites) {
            Accounts.suite(s);
        }
        claims.take(requester.dev(), "KeyPackage claims");
        long now = Accounts.now();
        return db.write(tx -> {
            Map<Long, String> devices = new LinkedHashMap<>();
            try (ResultSet rs = tx.bind("SELECT dev, device_id FROM devices WHERE user_id = ? ORDER BY device_id", user)
                    .executeQuery()) {
                while (rs.next()) {
                    devices.put(rs.getLong(1), rs.getString(2));
                }
            }
            if (devices.isEmpty()) {
                throw new DsError(DsError.Code.NOT_FOUND, "no user '" + user + "'");
            }
            List<DeviceResult> out = new ArrayList<>();
            for (Map.Entry<Long, String> d : devices.entrySet()) {
                if (d.getKey() != requester.dev()) {
                    out.add(claimFor(tx, d.getKey(), d.getValue(), suites, required, now));
                }
            }
            return out;
        });
    }

    private static DeviceResult claimFor(Statements tx, long dev, String device, int[] suites, RequiredCapabilities required,
            long now) throws SQLException {
        boolean any = false;
        for (int lastResort = 0; lastResort <= 1; lastResort++) {
            for (int suite : suites) {
                try (ResultSet rs = tx.bind("SELECT ref, bytes FROM key_packages WHERE dev = ? AND suite = ? AND last_resort = ?"
                        + " AND claimed IS NULL AND not_after > ? ORDER BY uploaded LIMIT 50", dev, suite, lastResort, now)
                        .executeQuery()) {
                    while (rs.next()) {
                        any = true;
                        byte[] ref = rs.getBytes(1);
                        byte[] bytes = rs.getBytes(2);
                        if (required != null && !covers(bytes, required)) {
                            continue;
                        }
                        rs.close();
                        if (lastResort == 0) {
                            tx.update("UPDATE key_packages SET claimed = ? WHERE ref = ?", now, ref);
                        } else {
                            tx.update("UPDATE devices SET last_resort_claimed = 1 WHERE dev = ?", dev);
                        }
                        return new DeviceResult(device, "ok", bytes, suite, lastResort == 1);
                    }
                }
            }
        }
        if (!any && tx.queryLong(0, "SELECT 1 FROM key_packages WHERE dev = ? AND claimed IS NULL AND not_after > ?"
                + " LIMIT 1", dev, now) == 1) {
            any = true; // it has KeyPackages, none in an acceptable suite
        }
        return new DeviceResult(device, any ? "nothingCompatible" : "keyMaterialExhausted", null, null, null);
    }

    private static boolean covers(byte[] mlsMessage, RequiredCapabilities required) {
        Capabilities c = ((KeyPackage) MlsMessage.fromBytes(mlsMessage).body).leafNode.capabilities;
        return c.missing(required) == null;
    }

    private static Count count(Statements s, long dev, long now) throws SQLException {
        Map<Integer, Integer> remaining = new LinkedHashMap<>();
        boolean lastResort = false;
        try (ResultSet rs = s.bind("SELECT suite, last_resort, count(*) FROM key_packages WHERE dev = ? AND claimed IS NULL"
                + " AND not_after > ? GROUP BY suite, last_resort ORDER BY suite", dev, now).executeQuery()) {
            while (rs.next()) {
                if (rs.getInt(2) == 1) {
                    lastResort = true;
                } else {
                    remaining.put(rs.getInt(1), rs.getInt(3));
                }
            }
        }
        boolean rotate = s.queryLong(0, "SELECT last_resort_claimed FROM devices WHERE dev = ?", dev) == 1;
        return new Count(remaining, lastResort, rotate);
    }

    private record Device(byte[] keyCanonical, byte[] credential) {
    }

    private static Device device(Statements s, long dev) throws SQLException {
        try (ResultSet rs = s.bind("SELECT key_canonical, credential FROM devices WHERE dev = ?", dev).executeQuery()) {
            if (!rs.next()) {
                throw new DsError(DsError.Code.UNAUTHENTICATED, "this token's device is not registered here");
            }
            return new Device(rs.getBytes(1), rs.getBytes(2));
        }
    }
}
