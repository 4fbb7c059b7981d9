package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** Hmac (the JDK's Mac on the JVM) against RFC 4231 and, differentially, BouncyCastle's HMac (what TeaVM builds use). */
class HmacTest {
    @Test
    void rfc4231TestCaseTwo() {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(Hex.decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                mac(HashAlgorithm.SHA256, key, data));
        assertArrayEquals(Hex.decode("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                + "8e2240ca5e69e2c78b3239ecfab21649"), mac(HashAlgorithm.SHA384, key, data));
        assertArrayEquals(Hex.decode("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"), mac(HashAlgorithm.SHA512, key, data));
    }

    @Test
    void agreesWithBouncyCastleForEveryKeyLengthIncludingEmpty() {
        Random r = new Random(2104);
        for (HashAlgorithm hash : HashAlgorithm.values()) {
            for (int keyLength : new int[] {0, 1, 16, 32, 64, 127, 128, 129, 200}) {
                for (int dataLength : new int[] {0, 1, 21, 64, 200, 1100}) {
                    byte[] key = new byte[keyLength];
                    byte[] data = new byte[dataLength];
                    r.nextBytes(key);
                    r.nextBytes(data);
                    HMac ref = new HMac(hash.newDigest());
                    ref.init(new KeyParameter(key));
                    ref.update(data, 0, data.length);
                    byte[] expected = new byte[ref.getMacSize()];
                    ref.doFinal(expected, 0);
                    assertArrayEquals(expected, mac(hash, key, data), hash + " key " + keyLength + " data " + dataLength);
                }
            }
        }
    }

    @Test
    void doFinalReturnsToTheKeyedState() {
        byte[] key = new byte[32];
        Hmac h = new Hmac(HashAlgorithm.SHA256, key);
        byte[] first = new byte[32];
        h.update((byte) 7);
        h.doFinal(first, 0);
        byte[] second = new byte[32 + 5];
        h.update(new byte[] {7}, 0, 1);
        h.doFinal(second, 5);
        assertArrayEquals(first, java.util.Arrays.copyOfRange(second, 5, 37));
        assertArrayEquals(first, mac(HashAlgorithm.SHA256, key, new byte[] {7}));
    }

    private static byte[] mac(HashAlgorithm hash, byte[] key, byte[] data) {
        Hmac h = new Hmac(hash, key);
        h.update(data, 0, data.length);
        byte[] out = new byte[h.length()];
        h.doFinal(out, 0);
        return out;
    }
}
