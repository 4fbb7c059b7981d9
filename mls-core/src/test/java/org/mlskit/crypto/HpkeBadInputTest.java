package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mlskit.crypto.CryptoTestSupport.RANDOM;
import static org.mlskit.crypto.CryptoTestSupport.assertMls;
import static org.mlskit.crypto.CryptoTestSupport.concat;
import static org.mlskit.crypto.CryptoTestSupport.flipBit;
import static org.mlskit.crypto.CryptoTestSupport.flipByte;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;

/**
 * EncryptWithLabel/DecryptWithLabel (HPKE base mode) for every suite: round trips, and typed
 * errors for damaged ciphertexts ({@link ErrorCode#DECRYPTION_FAILED}) and bad keys
 * ({@link ErrorCode#INVALID_KEY}).
 */
class HpkeBadInputTest {
    private static final String LABEL = "UpdatePathNode";
    private static final byte[] CONTEXT = "group context".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAINTEXT = "a path secret, 32 bytes of it..".getBytes(StandardCharsets.UTF_8);

    static Stream<CipherSuite> suites() {
        return CryptoTestSupport.suites();
    }

    static Stream<CipherSuite> nistSuites() {
        return CryptoTestSupport.suites().filter(HpkeBadInputTest::isNist);
    }

    static Stream<CipherSuite> montgomerySuites() {
        return CryptoTestSupport.suites().filter(cs -> !isNist(cs));
    }

    private static boolean isNist(CipherSuite cs) {
        return cs.kem() == Kem.DHKEM_P256_SHA256 || cs.kem() == Kem.DHKEM_P384_SHA384 || cs.kem() == Kem.DHKEM_P521_SHA512;
    }

    private static X9ECParameters curve(Kem kem) {
        switch (kem) {
            case DHKEM_P256_SHA256:
                return CustomNamedCurves.getByName("secp256r1");
            case DHKEM_P384_SHA384:
                return CustomNamedCurves.getByName("secp384r1");
            default:
                return CustomNamedCurves.getByName("secp521r1");
        }
    }

    // ---- round trips -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void encryptDecryptRoundTrip(CipherSuite cs) {
        Kem kem = cs.kem();
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        assertEquals(kem.privateKeyLength(), kp.privateKey().length);
        assertEquals(kem.publicKeyLength(), kp.publicKey().length);
        assertArrayEquals(kp.publicKey(), cs.hpke().publicKey(kp.privateKey()));

        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        assertEquals(kem.publicKeyLength(), ct.kemOutput().length, "Nenc");
        assertEquals(PLAINTEXT.length + Aead.TAG_LENGTH, ct.ciphertext().length);
        assertArrayEquals(PLAINTEXT, cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, ct.kemOutput(), ct.ciphertext()));

        // a fresh ephemeral key every time
        HpkeCiphertext again = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        assertFalse(Arrays.equals(ct.kemOutput(), again.kemOutput()));
        assertFalse(Arrays.equals(ct.ciphertext(), again.ciphertext()));
        assertArrayEquals(PLAINTEXT, cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, again.kemOutput(), again.ciphertext()));

        // empty plaintext and context
        HpkeCiphertext empty = cs.encryptWithLabel(kp.publicKey(), LABEL, new byte[0], new byte[0], RANDOM);
        assertEquals(Aead.TAG_LENGTH, empty.ciphertext().length);
        assertArrayEquals(new byte[0], cs.decryptWithLabel(kp.privateKey(), LABEL, new byte[0], empty.kemOutput(), empty.ciphertext()));

        // DeriveKeyPair is deterministic
        byte[] ikm = RANDOM.bytes(kem.privateKeyLength());
        KeyPair d1 = cs.hpke().deriveKeyPair(ikm);
        KeyPair d2 = cs.hpke().deriveKeyPair(ikm);
        assertArrayEquals(d1.privateKey(), d2.privateKey());
        assertArrayEquals(d1.publicKey(), d2.publicKey());
    }

    // ---- damaged ciphertexts -----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void everyFlippedCiphertextBitIsDecryptionFailed(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        byte[] c = ct.ciphertext();
        for (int bit = 0; bit < c.length * 8; bit++) {
            byte[] bad = flipBit(c, bit);
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, ct.kemOutput(), bad));
        }
        // truncated, extended, emptied
        for (byte[] bad : new byte[][] {new byte[0], new byte[1], Arrays.copyOf(c, Aead.TAG_LENGTH - 1),
            Arrays.copyOf(c, Aead.TAG_LENGTH), Arrays.copyOf(c, c.length - 1), concat(c, new byte[1])}) {
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, ct.kemOutput(), bad));
        }
        assertArrayEquals(PLAINTEXT, cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, ct.kemOutput(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void everyFlippedKemOutputBitIsDecryptionFailed(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        byte[] enc = ct.kemOutput();
        // Includes the top bit of an X25519 u-coordinate, which X25519 itself ignores: the KEM
        // context still binds the exact bytes of enc.
        for (int bit = 0; bit < enc.length * 8; bit++) {
            byte[] bad = flipBit(enc, bit);
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, bad, ct.ciphertext()));
        }
        for (byte[] bad : new byte[][] {new byte[0], Arrays.copyOf(enc, enc.length - 1), concat(enc, new byte[1]),
            new byte[enc.length]}) {
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, bad, ct.ciphertext()));
        }
        // a kem_output of another encryption to the same key
        HpkeCiphertext other = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        assertMls(ErrorCode.DECRYPTION_FAILED,
                () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, other.kemOutput(), ct.ciphertext()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void wrongKeyLabelContextOrAadIsDecryptionFailed(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        KeyPair other = cs.hpke().generateKeyPair(RANDOM);
        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        byte[] enc = ct.kemOutput();
        byte[] c = ct.ciphertext();
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(other.privateKey(), LABEL, CONTEXT, enc, c));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), "Welcome", CONTEXT, enc, c));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, flipByte(CONTEXT, 0), enc, c));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, new byte[0], enc, c));

        byte[] aad = "aad".getBytes(StandardCharsets.UTF_8);
        byte[] info = "info".getBytes(StandardCharsets.UTF_8);
        HpkeCiphertext raw = cs.hpke().seal(kp.publicKey(), info, aad, PLAINTEXT, RANDOM);
        assertArrayEquals(PLAINTEXT, cs.hpke().open(kp.privateKey(), raw.kemOutput(), info, aad, raw.ciphertext()));
        assertMls(ErrorCode.DECRYPTION_FAILED,
                () -> cs.hpke().open(kp.privateKey(), raw.kemOutput(), info, flipByte(aad, 1), raw.ciphertext()));
        assertMls(ErrorCode.DECRYPTION_FAILED,
                () -> cs.hpke().open(kp.privateKey(), raw.kemOutput(), flipByte(info, 2), aad, raw.ciphertext()));
    }

    // ---- bad keys -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void wrongLengthKeysAreInvalidKey(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        byte[] pub = kp.publicKey();
        byte[] priv = kp.privateKey();
        HpkeCiphertext ct = cs.encryptWithLabel(pub, LABEL, CONTEXT, PLAINTEXT, RANDOM);
        for (byte[] p : new byte[][] {new byte[0], Arrays.copyOf(pub, pub.length - 1), concat(pub, new byte[1]),
            Arrays.copyOf(pub, 2 * pub.length)}) {
            assertMls(ErrorCode.INVALID_KEY, () -> cs.encryptWithLabel(p, LABEL, CONTEXT, PLAINTEXT, RANDOM));
        }
        byte[] shortKey = Arrays.copyOf(priv, priv.length - 1);
        boolean nist = cs.kem().isNist();
        for (byte[] k : nist ? new byte[][] {new byte[0], concat(priv, new byte[1])}
                : new byte[][] {new byte[0], shortKey, concat(priv, new byte[1])}) {
            assertMls(ErrorCode.INVALID_KEY, () -> cs.decryptWithLabel(k, LABEL, CONTEXT, ct.kemOutput(), ct.ciphertext()));
            assertMls(ErrorCode.INVALID_KEY, () -> cs.hpke().publicKey(k));
        }
        if (nist) {
            // A NIST scalar without its leading zero bytes is the same key (other implementations write them so).
            assertArrayEquals(cs.hpke().publicKey(concat(new byte[1], shortKey)), cs.hpke().publicKey(shortKey));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nistSuites")
    void offCurveNistPublicKeysAreInvalidKey(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        byte[] pub = kp.publicKey();
        int len = (pub.length - 1) / 2;
        BigInteger p = curve(cs.kem()).getCurve().getField().getCharacteristic();
        List<byte[]> bad = new ArrayList<>();
        bad.add(flipByte(pub, pub.length - 1));               // y changed
        bad.add(flipByte(pub, 1));                            // x changed
        bad.add(new byte[pub.length]);                        // all zero: no valid prefix
        byte[] zeroXY = new byte[pub.length];
        zeroXY[0] = 0x04;
        bad.add(zeroXY);                                      // (0, 0)
        byte[] compressedPrefix = pub.clone();
        compressedPrefix[0] = 0x02;
        bad.add(compressedPrefix);
        byte[] px = p.toByteArray();
        px = Arrays.copyOfRange(px, px.length - len, px.length);
        bad.add(concat(new byte[] {0x04}, px, Arrays.copyOfRange(pub, 1 + len, pub.length))); // x = p
        for (byte[] b : bad) {
            assertMls(ErrorCode.INVALID_KEY, () -> cs.encryptWithLabel(b, LABEL, CONTEXT, PLAINTEXT, RANDOM));
        }
        // as kem_output the same bytes are a damaged ciphertext
        HpkeCiphertext ct = cs.encryptWithLabel(pub, LABEL, CONTEXT, PLAINTEXT, RANDOM);
        for (byte[] b : bad) {
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, b, ct.ciphertext()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nistSuites")
    void outOfRangeNistPrivateKeysAreInvalidKey(CipherSuite cs) {
        int len = cs.kem().privateKeyLength();
        BigInteger n = curve(cs.kem()).getN();
        byte[] nb = n.toByteArray();
        nb = Arrays.copyOfRange(nb, nb.length - len, nb.length);
        byte[] ones = new byte[len];
        Arrays.fill(ones, (byte) 0xff);
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        for (byte[] k : new byte[][] {new byte[len], nb, ones}) {
            assertMls(ErrorCode.INVALID_KEY, () -> cs.hpke().publicKey(k));
            assertMls(ErrorCode.INVALID_KEY, () -> cs.decryptWithLabel(k, LABEL, CONTEXT, ct.kemOutput(), ct.ciphertext()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("montgomerySuites")
    void lowOrderKemOutputIsDecryptionFailed(CipherSuite cs) {
        KeyPair kp = cs.hpke().generateKeyPair(RANDOM);
        HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), LABEL, CONTEXT, PLAINTEXT, RANDOM);
        int n = cs.kem().publicKeyLength();
        byte[] one = new byte[n];
        one[0] = 1;
        for (byte[] low : new byte[][] {new byte[n], one}) {
            // DH with a low-order point is all zero; RFC 9180 §7.1.4 requires rejecting it
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(kp.privateKey(), LABEL, CONTEXT, low, ct.ciphertext()));
        }
    }

    /**
     * Sealing to a low-order X25519/X448 public key (u = 0 or u = 1) must be a typed
     * INVALID_KEY.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("montgomerySuites")
    void lowOrderMontgomeryPublicKeyIsInvalidKey(CipherSuite cs) {
        int n = cs.kem().publicKeyLength();
        byte[] one = new byte[n];
        one[0] = 1;
        for (byte[] low : new byte[][] {new byte[n], one}) {
            assertMls(ErrorCode.INVALID_KEY, () -> cs.encryptWithLabel(low, LABEL, CONTEXT, PLAINTEXT, RANDOM));
        }
    }
}
