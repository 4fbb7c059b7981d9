package org.mlskit.crypto;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.util.encoders.Hex;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;

/**
 * Ed25519 verification (RFC 8032 §5.1.7) with the cofactored equation [8][S]B = [8]R + [8][k]A,
 * which the RFC states; every Ed25519 signature in mlskit is checked here, so a signature is
 * judged the same whichever path checks it. Two paths are faster than a plain verification:
 * <ul>
 *   <li>keys that sign again and again (group members sending messages) get a precomputed table
 *       of multiples, so [k]A costs 64 additions and no doublings;</li>
 *   <li>a batch (every leaf of a tree a new member joins) is one multi-scalar multiplication
 *       (Pippenger's bucket method) with random-looking weights derived from all of its input,
 *       so a batch that contains an invalid signature passes with probability about 2^-128.</li>
 * </ul>
 * Public keys are decoded and judged once (then cached): a key must be canonical, on the curve
 * and not of small order, as BouncyCastle's validation requires, else {@link ErrorCode#INVALID_KEY}.
 * R must be a canonical encoding and S below L.
 */
final class Ed25519Verifier {
    private static final byte[] BASE_ENCODED = Hex.decode("5866666666666666666666666666666666666666666666666666666666666666");
    /** Multiples of B for fixed-base multiplication; built on first use. */
    private static volatile FixedBaseTable baseTable;

    /** Recently used keys, decoded. */
    private static final Map<Bytes, Key> KEYS = lru(1024);
    /** Tables (about 58 KB each) of the keys that signed most recently, once they have signed a few times. */
    private static final int TABLE_CAPACITY = 64;
    private static final Map<Bytes, FixedBaseTable> TABLES = lru(TABLE_CAPACITY);
    /** Uses of a key before it earns a table: a KeyPackage's two signatures do not, a member's next message does. */
    private static final int USES_BEFORE_TABLE = 2;
    /**
     * Single verifications so far (wrapping is harmless: only differences are used). A key earns a
     * table only if its previous use was among the last {@link #TABLE_CAPACITY}: when more keys than
     * that take turns (the KeyPackages of a big Add, a large group's senders), a table would be
     * evicted before it paid for itself, so none is built.
     */
    private static int clock;

    private static <V> Map<Bytes, V> lru(int capacity) {
        return new LinkedHashMap<Bytes, V>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Bytes, V> eldest) {
                return size() > capacity;
            }
        };
    }

    private Ed25519Verifier() {
    }

    /** A public key, decoded, and how often it has been used. */
    private static final class Key {
        final Bytes id;
        final EdwardsPoint point;
        int uses;
        int lastUse;

        Key(Bytes id, EdwardsPoint point) {
            this.id = id;
            this.point = point;
        }
    }

    /** Verifies one signature; a public key that is not a valid Ed25519 key is {@link ErrorCode#INVALID_KEY}. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Key key = key(publicKey);
        Parsed p = parse(key, publicKey, message, signature, false, new SHA512Digest());
        if (p == null) {
            return false;
        }
        FixedBaseTable table = table(key);
        EdwardsPoint acc;
        if (table != null) {
            acc = FixedBaseTable.combined(base(), p.s, table, Ed25519Scalars.L.subtract(p.k));
        } else {
            acc = base().multiply(p.s);
            acc.add(p.a.times(p.k).cached(), true);
        }
        // An honest signature has [S]B - [k]A = R exactly, and that equality implies the cofactored
        // one; comparing encodings spares decoding R. Anything else gets the full cofactored check.
        if (acc.encodesTo(signature, 0)) {
            return true;
        }
        EdwardsPoint r = EdwardsPoint.decode(signature, 0);
        if (r == null) {
            return false;
        }
        acc.add(affineCached(r), true);
        return cofactorCleared(acc).isIdentity();
    }

    /**
     * Verifies every signature of a batch: true when all are valid (up to a 2^-128 chance of
     * accepting an invalid one), false when at least one is not (verify them one by one to know which).
     */
    static boolean verifyAll(byte[][] publicKeys, byte[][] messages, byte[][] signatures) {
        int n = publicKeys.length;
        if (n < 4) {
            for (int i = 0; i < n; i++) {
                if (!verify(publicKeys[i], messages[i], signatures[i])) {
                    return false;
                }
            }
            return true;
        }
        Parsed[] parsed = new Parsed[n];
        SHA512Digest transcript = new SHA512Digest();
        SHA512Digest h = new SHA512Digest(); // reused: each doFinal resets it
        Key[] keys = new Key[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(publicKeys[i]); // every key is judged before any signature
        }
        for (int i = 0; i < n; i++) {
            parsed[i] = parse(keys[i], publicKeys[i], messages[i], signatures[i], true, h);
            if (parsed[i] == null) {
                return false;
            }
            transcript.update(publicKeys[i], 0, 32);
            transcript.update(signatures[i], 0, 64);
            byte[] k = Ed25519Scalars.toLittleEndian(parsed[i].k);
            transcript.update(k, 0, 32);
        }
        byte[] seed = new byte[64];
        transcript.doFinal(seed, 0);
        // Sum z_i R_i + sum (z_i k_i) A_i - [sum z_i S_i] B, times 8, must vanish.
        EdwardsPoint.Cached[] points = new EdwardsPoint.Cached[2 * n];
        BigInteger[] scalars = new BigInteger[2 * n];
        BigInteger sB = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            BigInteger z = weight(h, seed, i);
            points[2 * i] = affineCached(parsed[i].r);
            scalars[2 * i] = z;
            points[2 * i + 1] = affineCached(parsed[i].a);
            scalars[2 * i + 1] = z.multiply(parsed[i].k).mod(Ed25519Scalars.L);
            sB = sB.add(z.multiply(parsed[i].s));
        }
        EdwardsPoint acc = MultiScalar.multiply(points, scalars);
        acc.add(base().multiply(Ed25519Scalars.L.subtract(sB.mod(Ed25519Scalars.L))).cached(), false);
        return cofactorCleared(acc).isIdentity();
    }

    /** A 128-bit weight from the batch's transcript. */
    private static BigInteger weight(SHA512Digest d, byte[] seed, int i) {
        d.update(seed, 0, seed.length);
        d.update((byte) (i >>> 24));
        d.update((byte) (i >>> 16));
        d.update((byte) (i >>> 8));
        d.update((byte) i);
        byte[] out = new byte[64];
        d.doFinal(out, 0);
        return Ed25519Scalars.fromLittleEndian(out, 0, 16);
    }

    private static final class Parsed {
        EdwardsPoint a;
        EdwardsPoint r; // decoded for batches only; one signature compares encodings first
        BigInteger s;
        BigInteger k;
    }

    /**
     * The signature's parts and k = SHA-512(R || A || M) mod L, or null when S (or R, if {@code decodeR})
     * is malformed.
     */
    private static Parsed parse(Key key, byte[] publicKey, byte[] message, byte[] signature, boolean decodeR,
            SHA512Digest h) {
        if (signature.length != 64) {
            return null;
        }
        Parsed p = new Parsed();
        p.s = Ed25519Scalars.fromLittleEndian(signature, 32, 32);
        if (p.s.compareTo(Ed25519Scalars.L) >= 0) {
            return null;
        }
        if (decodeR) {
            p.r = EdwardsPoint.decode(signature, 0);
            if (p.r == null) {
                return null;
            }
        }
        p.a = key.point;
        h.update(signature, 0, 32);
        h.update(publicKey, 0, 32);
        h.update(message, 0, message.length);
        byte[] digest = new byte[64];
        h.doFinal(digest, 0);
        p.k = Ed25519Scalars.fromLittleEndian(digest, 0, 64).mod(Ed25519Scalars.L);
        return p;
    }

    /** The key's table: cached, or built now if the key has been used often enough, else null. */
    private static FixedBaseTable table(Key key) {
        synchronized (KEYS) {
            FixedBaseTable t = TABLES.get(key.id);
            int now = ++clock;
            boolean recent = key.uses > 0 && now - key.lastUse <= TABLE_CAPACITY;
            key.lastUse = now;
            if (t != null || ++key.uses <= USES_BEFORE_TABLE || !recent) {
                return t;
            }
        }
        FixedBaseTable t = FixedBaseTable.of(key.point);
        synchronized (KEYS) {
            TABLES.put(key.id, t);
        }
        return t;
    }

    /** The decoded key, from the cache or decoded and judged now; INVALID_KEY when it is not a usable key. */
    private static Key key(byte[] publicKey) {
        Bytes id = new Bytes(publicKey.clone());
        Key k;
        synchronized (KEYS) {
            k = KEYS.get(id);
        }
        if (k == null) {
            EdwardsPoint a = publicKey.length == 32 ? EdwardsPoint.decode(publicKey, 0) : null;
            // A small-order key (including the identity) would let any signature pass the cofactored check.
            if (a == null || cofactorCleared(a.copy()).isIdentity()) {
                throw new MlsException(ErrorCode.INVALID_KEY, "the Ed25519 public key is not canonical, not on the curve,"
                        + " of small order or not 32 bytes");
            }
            k = new Key(id, a);
            synchronized (KEYS) {
                KEYS.put(id, k);
            }
        }
        return k;
    }

    private static FixedBaseTable base() {
        FixedBaseTable t = baseTable;
        if (t == null) {
            t = FixedBaseTable.of(EdwardsPoint.decode(BASE_ENCODED, 0));
            baseTable = t;
        }
        return t;
    }

    private static EdwardsPoint.Cached affineCached(EdwardsPoint p) {
        EdwardsPoint.Cached c = p.cached();
        c.z2 = null; // decoded points have Z = 1
        return c;
    }

    private static EdwardsPoint cofactorCleared(EdwardsPoint p) {
        p.doubleInPlace(false);
        p.doubleInPlace(false);
        p.doubleInPlace(false);
        return p;
    }
}
