package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.crypto.CryptoTestSupport.RANDOM;
import static org.mlskit.crypto.CryptoTestSupport.assertMls;
import static org.mlskit.crypto.CryptoTestSupport.concat;
import static org.mlskit.crypto.CryptoTestSupport.flipByte;
import static org.mlskit.crypto.CryptoTestSupport.hex;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;

/**
 * Sign/verify round trips for every suite, and what happens on bad input: a signature that does
 * not match is {@code false} (never an unchecked exception), a key of the wrong length or not on
 * the curve is {@link ErrorCode#INVALID_KEY}.
 */
class SignatureBadInputTest {
    private static final byte[] MESSAGE = "the content that was signed".getBytes(StandardCharsets.UTF_8);

    static Stream<CipherSuite> suites() {
        return CryptoTestSupport.suites();
    }

    private static boolean isEcdsa(SignatureScheme s) {
        return s.name().startsWith("ECDSA");
    }

    private static String curveName(SignatureScheme s) {
        switch (s) {
            case ECDSA_SECP256R1_SHA256:
                return "secp256r1";
            case ECDSA_SECP384R1_SHA384:
                return "secp384r1";
            case ECDSA_SECP521R1_SHA512:
                return "secp521r1";
            default:
                throw new IllegalArgumentException(s.name());
        }
    }

    // ---- round trips -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void signVerifyRoundTrip(CipherSuite cs) {
        SignatureScheme s = cs.signatureScheme();
        KeyPair kp = s.generateKeyPair(RANDOM);
        assertEquals(s.privateKeyLength(), kp.privateKey().length);
        assertArrayEquals(kp.publicKey(), s.publicKey(kp.privateKey()));
        if (isEcdsa(s)) {
            assertEquals(1 + 2 * s.privateKeyLength(), kp.publicKey().length);
            assertEquals(0x04, kp.publicKey()[0]);
        } else {
            assertEquals(s == SignatureScheme.ED25519 ? 32 : 57, kp.publicKey().length);
        }

        byte[] sig = s.sign(kp.privateKey(), MESSAGE);
        assertTrue(s.verify(kp.publicKey(), MESSAGE, sig));
        assertTrue(s.verify(kp.publicKey(), new byte[0], s.sign(kp.privateKey(), new byte[0])));

        byte[] labelled = cs.signWithLabel(kp.privateKey(), "LeafNodeTBS", MESSAGE);
        assertTrue(cs.verifyWithLabel(kp.publicKey(), "LeafNodeTBS", MESSAGE, labelled));
        // SignWithLabel signs SignContent, not the raw content
        assertFalse(s.verify(kp.publicKey(), MESSAGE, labelled));
        assertFalse(cs.verifyWithLabel(kp.publicKey(), "LeafNodeTBS", MESSAGE, sig));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void signatureOverOtherContentOrLabelOrKeyDoesNotVerify(CipherSuite cs) {
        SignatureScheme s = cs.signatureScheme();
        KeyPair kp = s.generateKeyPair(RANDOM);
        KeyPair other = s.generateKeyPair(RANDOM);
        byte[] sig = cs.signWithLabel(kp.privateKey(), "GroupInfoTBS", MESSAGE);

        assertFalse(cs.verifyWithLabel(kp.publicKey(), "GroupInfoTBS", "other content".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(cs.verifyWithLabel(kp.publicKey(), "GroupInfoTBS", Arrays.copyOf(MESSAGE, MESSAGE.length - 1), sig));
        assertFalse(cs.verifyWithLabel(kp.publicKey(), "GroupInfoTBS", concat(MESSAGE, new byte[1]), sig));
        assertFalse(cs.verifyWithLabel(kp.publicKey(), "KeyPackageTBS", MESSAGE, sig));
        assertFalse(cs.verifyWithLabel(other.publicKey(), "GroupInfoTBS", MESSAGE, sig));
        for (int i = 0; i < MESSAGE.length; i++) {
            assertFalse(cs.verifyWithLabel(kp.publicKey(), "GroupInfoTBS", flipByte(MESSAGE, i), sig), "content byte " + i);
        }
        assertTrue(cs.verifyWithLabel(kp.publicKey(), "GroupInfoTBS", MESSAGE, sig));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void everyFlippedSignatureByteFailsToVerify(CipherSuite cs) {
        SignatureScheme s = cs.signatureScheme();
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] sig = s.sign(kp.privateKey(), MESSAGE);
        for (int i = 0; i < sig.length; i++) {
            assertFalse(s.verify(kp.publicKey(), MESSAGE, flipByte(sig, i)), "flipped byte " + i);
        }
        // the last bit, and the sign / high bits of the final byte
        assertFalse(s.verify(kp.publicKey(), MESSAGE, CryptoTestSupport.flipBit(sig, sig.length * 8 - 1)));
        assertTrue(s.verify(kp.publicKey(), MESSAGE, sig));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void garbageSignaturesAreFalseNotExceptions(CipherSuite cs) {
        SignatureScheme s = cs.signatureScheme();
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] sig = s.sign(kp.privateKey(), MESSAGE);
        List<byte[]> garbage = new ArrayList<>();
        garbage.add(new byte[0]);
        garbage.add(new byte[1]);
        garbage.add(Arrays.copyOf(sig, sig.length - 1));
        garbage.add(concat(sig, new byte[1]));
        garbage.add(concat(sig, sig));
        garbage.add(new byte[sig.length]);
        byte[] ones = new byte[sig.length];
        Arrays.fill(ones, (byte) 0xff);
        garbage.add(ones);
        for (int len : new int[] {1, 2, 8, 63, 64, 65, 71, 72, 104, 113, 114, 115, 139, 200}) {
            garbage.add(RANDOM.bytes(len));
        }
        for (byte[] g : garbage) {
            assertFalse(s.verify(kp.publicKey(), MESSAGE, g), () -> g.length + "-byte garbage signature");
        }
    }

    // ---- ECDSA: DER, RFC 6979, hostile DER ----------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ECDSA_SECP256R1_SHA256", "ECDSA_SECP384R1_SHA384",
        "ECDSA_SECP521R1_SHA512"})
    void ecdsaSignaturesAreDerAndDeterministic(SignatureScheme s) {
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] a = s.sign(kp.privateKey(), MESSAGE);
        byte[] b = s.sign(kp.privateKey(), MESSAGE);
        assertArrayEquals(a, b, "RFC 6979: same key and message give the same signature");
        byte[] other = s.sign(kp.privateKey(), "another message".getBytes(StandardCharsets.UTF_8));
        assertFalse(Arrays.equals(a, other));

        BigInteger n = CustomNamedCurves.getByName(curveName(s)).getN();
        for (byte[] sig : new byte[][] {a, other}) {
            BigInteger[] rs = parseDer(sig);
            assertTrue(rs[0].signum() > 0 && rs[0].compareTo(n) < 0, "0 < r < n");
            assertTrue(rs[1].signum() > 0 && rs[1].compareTo(n) < 0, "0 < s < n");
            assertArrayEquals(sig, der(rs[0], rs[1]), "minimal DER encoding");
        }
    }

    /** RFC 6979 A.2.5: P-256, SHA-256, message "sample" and "test". */
    @Test
    void ecdsaP256MatchesRfc6979() {
        SignatureScheme s = SignatureScheme.ECDSA_SECP256R1_SHA256;
        byte[] x = hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        byte[] pub = hex("04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
        assertArrayEquals(pub, s.publicKey(x));

        byte[] sample = "sample".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = der(new BigInteger("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", 16),
                new BigInteger("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", 16));
        assertArrayEquals(expected, s.sign(x, sample));
        assertTrue(s.verify(pub, sample, expected));

        byte[] test = "test".getBytes(StandardCharsets.US_ASCII);
        byte[] expected2 = der(new BigInteger("F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367", 16),
                new BigInteger("019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083", 16));
        assertArrayEquals(expected2, s.sign(x, test));
    }

    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ECDSA_SECP256R1_SHA256", "ECDSA_SECP384R1_SHA384",
        "ECDSA_SECP521R1_SHA512"})
    void hostileDerIsFalseNeverAnException(SignatureScheme s) {
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] sig = s.sign(kp.privateKey(), MESSAGE);
        BigInteger[] rs = parseDer(sig);
        BigInteger n = CustomNamedCurves.getByName(curveName(s)).getN();
        List<byte[]> bad = new ArrayList<>();
        bad.add(hex("30"));
        bad.add(hex("3000"));
        bad.add(hex("3006020101020101"));                            // r = s = 1: well formed, wrong
        bad.add(hex("3006020100020101"));                            // r = 0
        bad.add(hex("3006020101020100"));                            // s = 0
        bad.add(hex("3006020180020101"));                            // r negative
        bad.add(hex("300702020001020101"));                          // r with a non-minimal leading zero
        bad.add(hex("3080020101020101" + "0000"));                   // BER indefinite length
        bad.add(hex("3184ffffffff"));                                // SET with an absurd length
        bad.add(hex("3084ffffffff020101"));                          // SEQUENCE claiming 4 GiB
        bad.add(hex("30060201010201010000"));                        // trailing bytes after the SEQUENCE
        bad.add(concat(sig, new byte[] {0}));                        // trailing byte after a valid signature
        bad.add(der(rs[0], rs[1].add(n)));                           // s + n: same value mod n, out of range
        bad.add(der(rs[0].add(n), rs[1]));                           // r + n
        bad.add(der(rs[1], rs[0]));                                  // r and s swapped
        bad.add(der(n, rs[1]));                                      // r = n
        bad.add(der(rs[0].negate(), rs[1]));                         // negative r
        byte[] asSet = sig.clone();
        asSet[0] = 0x31;
        bad.add(asSet);
        byte[] longer = sig.clone();
        longer[1]++;                                                 // outer length one too long
        bad.add(longer);
        byte[] shorter = sig.clone();
        shorter[1]--;                                                // outer length one too short
        bad.add(shorter);
        byte[] raw = concat(fixed(rs[0], s.privateKeyLength()), fixed(rs[1], s.privateKeyLength()));
        bad.add(raw);                                                // IEEE P1363 r||s instead of DER
        for (int i = 0; i < 64; i++) {
            byte[] junk = RANDOM.bytes(2 + i * 3);
            junk[0] = 0x30;
            junk[1] = (byte) (junk.length - 2);
            bad.add(junk);
        }
        for (byte[] b : bad) {
            assertFalse(s.verify(kp.publicKey(), MESSAGE, b), () -> "accepted " + toHex(b));
        }
        assertTrue(s.verify(kp.publicKey(), MESSAGE, sig));
    }

    // ---- bad keys -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void wrongLengthKeysAreInvalidKey(CipherSuite cs) {
        SignatureScheme s = cs.signatureScheme();
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] pub = kp.publicKey();
        byte[] priv = kp.privateKey();
        byte[] sig = s.sign(priv, MESSAGE);
        for (byte[] p : new byte[][] {new byte[0], Arrays.copyOf(pub, pub.length - 1), concat(pub, new byte[1]),
            Arrays.copyOf(pub, 32), Arrays.copyOf(pub, 57)}) {
            if (p.length == pub.length) {
                continue;
            }
            assertMls(ErrorCode.INVALID_KEY, () -> s.verify(p, MESSAGE, sig));
            assertMls(ErrorCode.INVALID_KEY, () -> cs.verifyWithLabel(p, "x", MESSAGE, sig));
        }
        boolean ecdsa = pub[0] == 0x04 && pub.length > 57;
        // An ECDSA scalar may come without leading zero bytes; an EdDSA seed has one exact length.
        byte[][] bad = ecdsa ? new byte[][] {new byte[0], concat(priv, new byte[1])}
            : new byte[][] {new byte[0], Arrays.copyOf(priv, priv.length - 1), concat(priv, new byte[1])};
        for (byte[] k : bad) {
            assertMls(ErrorCode.INVALID_KEY, () -> s.sign(k, MESSAGE));
            assertMls(ErrorCode.INVALID_KEY, () -> s.publicKey(k));
            assertMls(ErrorCode.INVALID_KEY, () -> cs.signWithLabel(k, "x", MESSAGE));
        }
        if (ecdsa) {
            byte[] padded = concat(new byte[1], Arrays.copyOfRange(priv, 1, priv.length));
            byte[] stripped = Arrays.copyOfRange(padded, 1, padded.length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(s.publicKey(padded), s.publicKey(stripped));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ECDSA_SECP256R1_SHA256", "ECDSA_SECP384R1_SHA384",
        "ECDSA_SECP521R1_SHA512"})
    void ecdsaOffCurveAndMalformedPointsAreInvalidKey(SignatureScheme s) {
        KeyPair kp = s.generateKeyPair(RANDOM);
        byte[] pub = kp.publicKey();
        byte[] sig = s.sign(kp.privateKey(), MESSAGE);
        int len = s.privateKeyLength();
        X9ECParameters curve = CustomNamedCurves.getByName(curveName(s));
        BigInteger p = curve.getCurve().getField().getCharacteristic();

        List<byte[]> bad = new ArrayList<>();
        bad.add(flipByte(pub, pub.length - 1));                      // y changed: off the curve
        bad.add(flipByte(pub, 1 + len / 2));                         // x changed: off the curve
        bad.add(new byte[pub.length]);                               // 00 00..: no valid prefix
        byte[] zeroXY = new byte[pub.length];
        zeroXY[0] = 0x04;
        bad.add(zeroXY);                                             // (0, 0) is not on these curves
        byte[] compressedPrefix = pub.clone();
        compressedPrefix[0] = (byte) (0x02 | (pub[pub.length - 1] & 1));
        bad.add(compressedPrefix);                                   // uncompressed length, compressed prefix
        byte[] hybrid = pub.clone();
        hybrid[0] = 0x06;
        bad.add(hybrid);                                             // X9.62 hybrid form
        bad.add(concat(new byte[] {0x04}, fixed(p, len), Arrays.copyOfRange(pub, 1 + len, pub.length))); // x = p
        bad.add(concat(new byte[] {0x04}, Arrays.copyOfRange(pub, 1, 1 + len),
                fixed(new BigInteger(1, Arrays.copyOfRange(pub, 1 + len, pub.length)).add(p), len))); // y + p, if it fits
        for (byte[] b : bad) {
            if (b.length != pub.length) {
                continue; // y + p may need an extra byte; that is the wrong-length case, tested elsewhere
            }
            assertMls(ErrorCode.INVALID_KEY, () -> s.verify(b, MESSAGE, sig));
        }
        byte[] compressed = curve.getCurve().decodePoint(pub).getEncoded(true);
        // RFC 9420 §5.1.1 asks for uncompressed points, but a valid compressed one names the same key
        // and deployed implementations send them: accepted on receipt (docs/validation.md).
        assertTrue(s.verify(compressed, MESSAGE, sig));
        assertArrayEquals(pub, s.canonicalPublicKey(compressed));
        byte[] otherY = compressed.clone();
        otherY[0] ^= 1;
        assertFalse(s.verify(otherY, MESSAGE, sig)); // the other point with this x
        byte[] wrongPrefix = compressed.clone();
        wrongPrefix[0] = 0x04;
        assertMls(ErrorCode.INVALID_KEY, () -> s.verify(wrongPrefix, MESSAGE, sig));
        byte[] xIsP = concat(new byte[] {compressed[0]}, fixed(p, len));
        assertMls(ErrorCode.INVALID_KEY, () -> s.verify(xIsP, MESSAGE, sig));
        assertMls(ErrorCode.INVALID_KEY, () -> s.canonicalPublicKey(xIsP));
        assertMls(ErrorCode.INVALID_KEY, () -> s.verify(new byte[] {0x00}, MESSAGE, sig)); // point at infinity
        assertTrue(s.verify(pub, MESSAGE, sig));
    }

    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ECDSA_SECP256R1_SHA256", "ECDSA_SECP384R1_SHA384",
        "ECDSA_SECP521R1_SHA512"})
    void ecdsaPrivateScalarOutOfRangeIsInvalidKey(SignatureScheme s) {
        int len = s.privateKeyLength();
        BigInteger n = CustomNamedCurves.getByName(curveName(s)).getN();
        byte[] ones = new byte[len];
        Arrays.fill(ones, (byte) 0xff);
        for (byte[] k : new byte[][] {new byte[len], fixed(n, len), fixed(n.add(BigInteger.ONE), len), ones}) {
            assertMls(ErrorCode.INVALID_KEY, () -> s.sign(k, MESSAGE));
            assertMls(ErrorCode.INVALID_KEY, () -> s.publicKey(k));
        }
        // n - 1 is the largest valid scalar
        byte[] max = fixed(n.subtract(BigInteger.ONE), len);
        assertTrue(s.verify(s.publicKey(max), MESSAGE, s.sign(max, MESSAGE)));
    }

    /**
     * EdDSA public keys that do not decode to a curve point (y = 2 is not on edwards25519 nor on
     * edwards448; y >= p is non-canonical) must be INVALID_KEY like every other bad key.
     */
    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ED25519", "ED448"})
    void eddsaOffCurvePublicKeyIsInvalidKey(SignatureScheme s) {
        int len = s == SignatureScheme.ED25519 ? 32 : 57;
        byte[] sig = s.sign(s.generateKeyPair(RANDOM).privateKey(), MESSAGE);
        byte[] yIsTwo = new byte[len];
        yIsTwo[0] = 2;
        byte[] nonCanonical = new byte[len];
        Arrays.fill(nonCanonical, (byte) 0xff);
        nonCanonical[len - 1] = (byte) (s == SignatureScheme.ED25519 ? 0x7f : 0x00);
        assertMls(ErrorCode.INVALID_KEY, () -> s.verify(yIsTwo, MESSAGE, sig));
        assertMls(ErrorCode.INVALID_KEY, () -> s.verify(nonCanonical, MESSAGE, sig));
    }

    /** What does work today for EdDSA: a valid key of another signer gives false. */
    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"ED25519", "ED448"})
    void eddsaSignatureOfAnotherKeyIsFalse(SignatureScheme s) {
        KeyPair a = s.generateKeyPair(RANDOM);
        KeyPair b = s.generateKeyPair(RANDOM);
        byte[] sig = s.sign(a.privateKey(), MESSAGE);
        assertFalse(s.verify(b.publicKey(), MESSAGE, sig));
        assertTrue(s.verify(a.publicKey(), MESSAGE, sig));
        // EdDSA is deterministic too (RFC 8032)
        assertArrayEquals(sig, s.sign(a.privateKey(), MESSAGE));
        assertEquals(s == SignatureScheme.ED25519 ? 64 : 114, sig.length);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Parses a strict DER Ecdsa-Sig-Value (short or one-byte long form) into {r, s}. */
    private static BigInteger[] parseDer(byte[] sig) {
        assertEquals(0x30, sig[0] & 0xff, "DER SEQUENCE tag");
        int pos = 1;
        int seqLen = sig[pos++] & 0xff;
        if (seqLen == 0x81) {
            seqLen = sig[pos++] & 0xff;
            assertTrue(seqLen >= 0x80, "minimal long-form length");
        } else {
            assertTrue(seqLen < 0x80, "short-form length");
        }
        assertEquals(sig.length, pos + seqLen, "SEQUENCE length covers the whole signature");
        BigInteger[] out = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            assertEquals(0x02, sig[pos++], "INTEGER tag");
            int l = sig[pos++] & 0xff;
            assertTrue(l > 0 && l < 0x80);
            byte[] v = Arrays.copyOfRange(sig, pos, pos + l);
            pos += l;
            out[i] = new BigInteger(v);
        }
        assertEquals(sig.length, pos);
        return out;
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        byte[] body = concat(new byte[] {0x02, (byte) rb.length}, rb, new byte[] {0x02, (byte) sb.length}, sb);
        byte[] head = body.length < 0x80 ? new byte[] {0x30, (byte) body.length} : new byte[] {0x30, (byte) 0x81, (byte) body.length};
        return concat(head, body);
    }

    /** Big-endian, left-padded to len bytes (may be longer if the value does not fit). */
    private static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        if (b.length > len && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        if (b.length >= len) {
            return b;
        }
        return concat(new byte[len - b.length], b);
    }

    private static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
