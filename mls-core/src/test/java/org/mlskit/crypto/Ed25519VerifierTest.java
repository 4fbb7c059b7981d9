package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * mlskit's Ed25519 verification against RFC 8032's vectors and BouncyCastle's signer and verifier,
 * on every path: first use of a key, a key with a table, and batches.
 */
class Ed25519VerifierTest {
    private static final SignatureScheme ED = SignatureScheme.ED25519;
    private final Random seeded = new Random(20261122);

    private static byte[] hex(String s) {
        return org.bouncycastle.util.encoders.Hex.decode(s);
    }

    @Test
    void rfc8032Vectors() {
        // RFC 8032 §7.1, TEST 1 (empty message), TEST 2 (one byte) and TEST 3 (two bytes).
        String[][] vectors = {
            {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
        };
        for (String[] v : vectors) {
            byte[] key = hex(v[0]);
            byte[] msg = hex(v[1]);
            byte[] sig = hex(v[2]);
            for (int use = 0; use < 5; use++) { // the first uses go without a table, the third builds it, later ones use it
                assertTrue(ED.verify(key, msg, sig));
                byte[] other = msg.length == 0 ? new byte[] {0} : msg.clone();
                other[0] ^= 1;
                assertFalse(ED.verify(key, other, sig));
            }
        }
    }

    @Test
    void agreesWithBouncyCastleOnValidAndDamagedSignatures() {
        int checked = 0;
        for (int k = 0; k < 12; k++) {
            byte[] sk = new byte[32];
            seeded.nextBytes(sk);
            byte[] pk = new byte[32];
            Ed25519.generatePublicKey(sk, 0, pk, 0);
            for (int m = 0; m < 6; m++) {
                byte[] msg = new byte[seeded.nextInt(300)];
                seeded.nextBytes(msg);
                byte[] sig = new byte[64];
                Ed25519.sign(sk, 0, msg, 0, msg.length, sig, 0);
                assertTrue(ED.verify(pk, msg, sig), "valid signature");
                for (int flip = 0; flip < 4; flip++) {
                    byte[] bad = sig.clone();
                    int bit = seeded.nextInt(512);
                    bad[bit / 8] ^= (byte) (1 << (bit % 8));
                    boolean bc = Ed25519.verify(bad, 0, pk, 0, msg, 0, msg.length);
                    assertEquals(bc, ED.verify(pk, msg, bad), "bit " + bit);
                    checked++;
                }
            }
        }
        assertEquals(12 * 6 * 4, checked);
    }

    @Test
    void smallOrderKeysAreInvalidKeys() {
        // The identity and the point of order 2: under them the cofactored check would pass anything.
        byte[] sig = new byte[64];
        for (String key : new String[] {"0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
            org.mlskit.MlsException e = org.junit.jupiter.api.Assertions.assertThrows(org.mlskit.MlsException.class,
                    () -> ED.verify(hex(key), new byte[0], sig));
            assertEquals(org.mlskit.ErrorCode.INVALID_KEY, e.code());
            org.mlskit.MlsException batch = org.junit.jupiter.api.Assertions.assertThrows(org.mlskit.MlsException.class,
                    () -> ED.verifyAll(new byte[][] {hex(key), hex(key), hex(key), hex(key)},
                            new byte[4][0], new byte[][] {sig, sig, sig, sig}));
            assertEquals(org.mlskit.ErrorCode.INVALID_KEY, batch.code());
        }
    }

    @Test
    void rejectsNonCanonicalAndOutOfRangeParts() {
        byte[] sk = new byte[32];
        seeded.nextBytes(sk);
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        byte[] msg = {1, 2, 3};
        byte[] sig = new byte[64];
        Ed25519.sign(sk, 0, msg, 0, msg.length, sig, 0);
        assertTrue(ED.verify(pk, msg, sig));

        // S + L: the same residue, but S must be below L.
        BigInteger s = Ed25519Scalars.fromLittleEndian(sig, 32, 32).add(Ed25519Scalars.L);
        byte[] big = sig.clone();
        System.arraycopy(Ed25519Scalars.toLittleEndian(s), 0, big, 32, 32);
        assertFalse(ED.verify(pk, msg, big));

        // R with y = p (non-canonical encoding of y = 0).
        byte[] nonCanonical = sig.clone();
        byte[] p = Ed25519Scalars.toLittleEndian(BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19)));
        System.arraycopy(p, 0, nonCanonical, 0, 32);
        assertFalse(ED.verify(pk, msg, nonCanonical));

        // Wrong lengths are invalid signatures, not crashes.
        assertFalse(ED.verify(pk, msg, new byte[63]));
        assertFalse(ED.verify(pk, msg, new byte[0]));
    }

    @Test
    void mixedOrderKeysAreJudgedCofactoredOnEveryPath() {
        // A' = A + T, T = (0, -1) of order 2. A signature S = r + k'a (k' = H(R || A' || M)) satisfies
        // [S]B = R + [k']A' - [k']T: the cofactored equation always holds, the cofactorless one only
        // when k' is even. mlskit accepts it on the first use of the key, with its table, and in batches.
        EdwardsPoint b = EdwardsPoint.decode(hex("5866666666666666666666666666666666666666666666666666666666666666"), 0);
        EdwardsPoint t = EdwardsPoint.decode(hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 0);
        BigInteger a = new BigInteger(250, seeded).setBit(251);
        EdwardsPoint mixed = b.times(a);
        mixed.add(t.cached(), false);
        byte[] key = encode(mixed);
        int oddK = 0;
        for (int m = 0; m < 8; m++) {
            byte[] msg = {(byte) m, 7};
            BigInteger r = new BigInteger(252, seeded).mod(Ed25519Scalars.L);
            byte[] rBytes = encode(b.times(r));
            org.bouncycastle.crypto.digests.SHA512Digest h = new org.bouncycastle.crypto.digests.SHA512Digest();
            h.update(rBytes, 0, 32);
            h.update(key, 0, 32);
            h.update(msg, 0, msg.length);
            byte[] digest = new byte[64];
            h.doFinal(digest, 0);
            BigInteger k = Ed25519Scalars.fromLittleEndian(digest, 0, 64).mod(Ed25519Scalars.L);
            oddK += k.testBit(0) ? 1 : 0;
            byte[] sig = new byte[64];
            System.arraycopy(rBytes, 0, sig, 0, 32);
            System.arraycopy(Ed25519Scalars.toLittleEndian(r.add(k.multiply(a)).mod(Ed25519Scalars.L)), 0, sig, 32, 32);
            assertTrue(ED.verify(key, msg, sig), "message " + m);
            assertTrue(ED.verifyAll(new byte[][] {key, key, key, key}, new byte[][] {msg, msg, msg, msg},
                    new byte[][] {sig, sig, sig, sig}));
            byte[] bad = sig.clone();
            bad[40] ^= 1;
            assertFalse(ED.verify(key, msg, bad));
        }
        assertTrue(oddK > 0, "some k' were odd, so the cofactorless equation would have failed");
    }

    @Test
    void batchesAcceptValidSetsAndRejectAnyBadMember() {
        for (int n : new int[] {1, 3, 4, 17, 100}) {
            byte[][] keys = new byte[n][32];
            byte[][] msgs = new byte[n][];
            byte[][] sigs = new byte[n][64];
            for (int i = 0; i < n; i++) {
                byte[] sk = new byte[32];
                seeded.nextBytes(sk);
                Ed25519.generatePublicKey(sk, 0, keys[i], 0);
                msgs[i] = new byte[seeded.nextInt(200)];
                seeded.nextBytes(msgs[i]);
                Ed25519.sign(sk, 0, msgs[i], 0, msgs[i].length, sigs[i], 0);
            }
            assertTrue(ED.verifyAll(keys, msgs, sigs), "valid batch of " + n);
            for (int trial = 0; trial < 3; trial++) {
                int victim = seeded.nextInt(n);
                byte[][] bad = sigs.clone();
                bad[victim] = sigs[victim].clone();
                bad[victim][seeded.nextInt(64)] ^= (byte) (1 << seeded.nextInt(8));
                boolean single = ED.verify(keys[victim], msgs[victim], bad[victim]);
                assertEquals(single, ED.verifyAll(keys, msgs, bad), "batch of " + n + " with one damaged");
                // A signature moved to another message fails too.
                byte[][] swapped = msgs.clone();
                swapped[victim] = new byte[] {42};
                assertFalse(ED.verifyAll(keys, swapped, sigs), "batch of " + n + " with a wrong message");
            }
        }
    }

    @Test
    void fixedBaseAndWindowedMultiplicationAgree() {
        EdwardsPoint b = EdwardsPoint.decode(hex("5866666666666666666666666666666666666666666666666666666666666666"), 0);
        FixedBaseTable table = FixedBaseTable.of(b);
        for (int i = 0; i < 20; i++) {
            BigInteger s = new BigInteger(253, seeded).mod(Ed25519Scalars.L);
            EdwardsPoint viaTable = table.multiply(s);
            EdwardsPoint viaWindow = b.times(s);
            assertTrue(java.util.Arrays.equals(encode(viaTable), encode(viaWindow)));
            EdwardsPoint.Cached[] one = {viaWindow.cached()};
            EdwardsPoint viaBuckets = MultiScalar.multiply(new EdwardsPoint.Cached[] {b.cached()}, new BigInteger[] {s});
            assertTrue(java.util.Arrays.equals(encode(viaTable), encode(viaBuckets)));
            viaTable.add(one[0], true);
            assertTrue(viaTable.isIdentity());
        }
    }

    /** The RFC 8032 encoding of p (for tests). */
    private static byte[] encode(EdwardsPoint p) {
        int[] zi = org.bouncycastle.math.ec.rfc7748.X25519Field.create();
        int[] x = org.bouncycastle.math.ec.rfc7748.X25519Field.create();
        int[] y = org.bouncycastle.math.ec.rfc7748.X25519Field.create();
        org.bouncycastle.math.ec.rfc7748.X25519Field.inv(p.z, zi);
        org.bouncycastle.math.ec.rfc7748.X25519Field.mul(p.x, zi, x);
        org.bouncycastle.math.ec.rfc7748.X25519Field.mul(p.y, zi, y);
        org.bouncycastle.math.ec.rfc7748.X25519Field.normalize(x);
        org.bouncycastle.math.ec.rfc7748.X25519Field.normalize(y);
        byte[] out = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519Field.encode(y, out, 0);
        out[31] |= (byte) ((x[0] & 1) << 7);
        return out;
    }
}
