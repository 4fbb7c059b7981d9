package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlskit.crypto.CryptoTestSupport.RANDOM;
import static org.mlskit.crypto.CryptoTestSupport.assertMls;
import static org.mlskit.crypto.CryptoTestSupport.concat;
import static org.mlskit.crypto.CryptoTestSupport.flipBit;
import static org.mlskit.crypto.CryptoTestSupport.flipByte;
import static org.mlskit.crypto.CryptoTestSupport.hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlskit.ErrorCode;

/** The three AEADs: round trips, known answers, and typed errors for tampering and bad keys. */
class AeadBadInputTest {
    private static final byte[] AAD = "additional data".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(Aead.class)
    void roundTrip(Aead aead) {
        byte[] key = RANDOM.bytes(aead.keyLength());
        byte[] nonce = RANDOM.bytes(aead.nonceLength());
        for (int len : new int[] {0, 1, 15, 16, 17, 1024, 65536}) {
            byte[] pt = RANDOM.bytes(len);
            byte[] ct = aead.seal(key, nonce, AAD, pt);
            assertEquals(len + Aead.TAG_LENGTH, ct.length);
            assertArrayEquals(pt, aead.open(key, nonce, AAD, ct));
        }
        assertArrayEquals(new byte[3], aead.open(key, nonce, new byte[0], aead.seal(key, nonce, new byte[0], new byte[3])));
    }

    @ParameterizedTest
    @EnumSource(Aead.class)
    void tamperedTagIsDecryptionFailed(Aead aead) {
        byte[] key = RANDOM.bytes(aead.keyLength());
        byte[] nonce = RANDOM.bytes(aead.nonceLength());
        byte[] pt = RANDOM.bytes(100);
        byte[] ct = aead.seal(key, nonce, AAD, pt);
        for (int bit = pt.length * 8; bit < ct.length * 8; bit++) { // every bit of the 16-byte tag
            byte[] bad = flipBit(ct, bit);
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, AAD, bad));
        }
        byte[] zeroTag = ct.clone();
        Arrays.fill(zeroTag, pt.length, ct.length, (byte) 0);
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, AAD, zeroTag));
        assertArrayEquals(pt, aead.open(key, nonce, AAD, ct));
    }

    @ParameterizedTest
    @EnumSource(Aead.class)
    void tamperedBodyAadNonceOrKeyIsDecryptionFailed(Aead aead) {
        byte[] key = RANDOM.bytes(aead.keyLength());
        byte[] nonce = RANDOM.bytes(aead.nonceLength());
        byte[] pt = RANDOM.bytes(100);
        byte[] ct = aead.seal(key, nonce, AAD, pt);
        for (int i = 0; i < pt.length; i++) {
            byte[] bad = flipByte(ct, i);
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, AAD, bad));
        }
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, flipByte(AAD, 3), ct));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, new byte[0], ct));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, flipByte(nonce, 11), AAD, ct));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(flipByte(key, 0), nonce, AAD, ct));
        // truncated below, at and just above the tag length, and extended
        for (byte[] bad : new byte[][] {new byte[0], Arrays.copyOf(ct, Aead.TAG_LENGTH - 1), Arrays.copyOf(ct, Aead.TAG_LENGTH),
            Arrays.copyOf(ct, ct.length - 1), concat(ct, new byte[1])}) {
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> aead.open(key, nonce, AAD, bad));
        }
    }

    @ParameterizedTest
    @EnumSource(Aead.class)
    void wrongKeyOrNonceLengthIsInvalidKey(Aead aead) {
        byte[] nonce = new byte[aead.nonceLength()];
        byte[] ct = aead.seal(new byte[aead.keyLength()], nonce, AAD, new byte[8]);
        for (int len : new int[] {0, 1, 15, 16, 24, 31, 32, 33, 64}) {
            if (len == aead.keyLength()) {
                continue;
            }
            byte[] key = new byte[len];
            assertMls(ErrorCode.INVALID_KEY, () -> aead.seal(key, nonce, AAD, new byte[8]));
            assertMls(ErrorCode.INVALID_KEY, () -> aead.open(key, nonce, AAD, ct));
        }
        byte[] key = new byte[aead.keyLength()];
        for (int len : new int[] {0, 8, 11, 13, 16}) {
            byte[] n = new byte[len];
            assertMls(ErrorCode.INVALID_KEY, () -> aead.seal(key, n, AAD, new byte[8]));
            assertMls(ErrorCode.INVALID_KEY, () -> aead.open(key, n, AAD, ct));
        }
    }

    /** GCM specification test case 2 (AES-128, zero key, zero IV, one zero block). */
    @Test
    void aes128GcmKnownAnswer() {
        byte[] ct = Aead.AES_128_GCM.seal(new byte[16], new byte[12], new byte[0], new byte[16]);
        assertArrayEquals(hex("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf"), ct);
    }

    /** GCM specification test case 14 (AES-256, zero key, zero IV, one zero block). */
    @Test
    void aes256GcmKnownAnswer() {
        byte[] ct = Aead.AES_256_GCM.seal(new byte[32], new byte[12], new byte[0], new byte[16]);
        assertArrayEquals(hex("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"), ct);
    }

    @Test
    void keyLengths() {
        assertEquals(16, Aead.AES_128_GCM.keyLength());
        assertEquals(32, Aead.AES_256_GCM.keyLength());
        assertEquals(32, Aead.CHACHA20_POLY1305.keyLength());
        assertEquals(1, Aead.AES_128_GCM.hpkeId());
        assertEquals(2, Aead.AES_256_GCM.hpkeId());
        assertEquals(3, Aead.CHACHA20_POLY1305.hpkeId());
    }
}
