package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** The AES block function against FIPS 197's examples and, differentially, BouncyCastle's AESEngine. */
class AesBlockTest {
    @Test
    void fips197AppendixC() {
        byte[] plaintext = Hex.decode("00112233445566778899aabbccddeeff");
        assertArrayEquals(Hex.decode("69c4e0d86a7b0430d8cdb78070b4c55a"),
                encrypt(Hex.decode("000102030405060708090a0b0c0d0e0f"), plaintext));
        assertArrayEquals(Hex.decode("8ea2b7ca516745bfeafc49904b496089"),
                encrypt(Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), plaintext));
    }

    @Test
    void agreesWithBouncyCastle() {
        Random r = new Random(197);
        for (int n = 0; n < 4000; n++) {
            byte[] key = new byte[n % 2 == 0 ? 16 : 32];
            byte[] block = new byte[16];
            r.nextBytes(key);
            r.nextBytes(block);
            AESEngine ref = new AESEngine();
            ref.init(true, new KeyParameter(key));
            byte[] expected = new byte[16];
            ref.processBlock(block, 0, expected, 0);
            assertArrayEquals(expected, encrypt(key, block), "case " + n);
        }
    }

    @Test
    void otherKeySizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AesBlock(new byte[24]));
        assertThrows(IllegalArgumentException.class, () -> new AesBlock(new byte[15]));
    }

    private static byte[] encrypt(byte[] key, byte[] block) {
        int[] words = new int[4];
        for (int w = 0; w < 4; w++) {
            words[w] = IntGcmMultiplier.word(block, 4 * w);
        }
        new AesBlock(key).encrypt(words, words);
        byte[] out = new byte[16];
        for (int w = 0; w < 4; w++) {
            IntGcmMultiplier.put(words[w], out, 4 * w);
        }
        return out;
    }
}
