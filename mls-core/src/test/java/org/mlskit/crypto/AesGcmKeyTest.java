package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** AesGcmKey against the GCM specification's test case and, differentially, BouncyCastle's GCMBlockCipher. */
class AesGcmKeyTest {
    @Test
    void specificationTestCaseFour() {
        // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte plaintext, 20-byte AAD).
        byte[] key = Hex.decode("feffe9928665731c6d6a8f9467308308");
        byte[] nonce = Hex.decode("cafebabefacedbaddecaf888");
        byte[] aad = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] pt = Hex.decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] expected = Hex.decode("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47");
        assertArrayEquals(expected, new AesGcmKey(key).seal(nonce, aad, pt));
        assertArrayEquals(pt, new AesGcmKey(key).open(nonce, aad, expected));
    }

    @Test
    void agreesWithBouncyCastleForEveryLengthAndAadSplit() throws Exception {
        Random r = new Random(38);
        int[] lengths = {0, 1, 12, 15, 16, 17, 31, 32, 33, 47, 64, 100, 1024, 1041};
        for (int keyLength : new int[] {16, 32}) {
            for (int len : lengths) {
                for (int aadLen : new int[] {0, 1, 15, 16, 17, 40}) {
                    byte[] key = bytes(r, keyLength);
                    byte[] nonce = bytes(r, 12);
                    byte[] aad = bytes(r, aadLen);
                    byte[] pt = bytes(r, len);
                    byte[] ref = bouncyCastle(true, key, nonce, aad, pt);
                    AesGcmKey k = new AesGcmKey(key);
                    assertArrayEquals(ref, k.seal(nonce, aad, pt), keyLength + "/" + len + "/" + aadLen);
                    // The same AAD in two parts, split anywhere, and the output at an offset.
                    int split = aadLen == 0 ? 0 : r.nextInt(aadLen + 1);
                    byte[] out = new byte[len + 16 + 3];
                    k.seal(nonce, aad, split, Arrays.copyOfRange(aad, split, aadLen), pt, 0, len, out, 3);
                    assertArrayEquals(ref, Arrays.copyOfRange(out, 3, out.length));
                    byte[] back = new byte[len + 5];
                    assertTrue(k.open(nonce, aad, split, Arrays.copyOfRange(aad, split, aadLen), out, 3, len + 16, back, 5));
                    assertArrayEquals(pt, Arrays.copyOfRange(back, 5, back.length));
                    assertArrayEquals(pt, k.open(nonce, aad, ref));
                }
            }
        }
    }

    @Test
    void everyFlippedBitOrChangedInputFailsAndWritesNothing() {
        Random r = new Random(7);
        byte[] key = bytes(r, 16);
        byte[] nonce = bytes(r, 12);
        byte[] aad = bytes(r, 21);
        byte[] pt = bytes(r, 37);
        AesGcmKey k = new AesGcmKey(key);
        byte[] sealed = k.seal(nonce, aad, pt);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] bad = sealed.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = new byte[pt.length];
            assertFalse(k.open(nonce, aad, aad.length, new byte[0], bad, 0, bad.length, out, 0), "bit " + bit);
            assertArrayEquals(new byte[pt.length], out, "nothing written for bit " + bit);
        }
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertNull(k.open(nonce, otherAad, sealed));
        byte[] otherNonce = nonce.clone();
        otherNonce[11] ^= 1;
        assertNull(k.open(otherNonce, aad, sealed));
        assertNull(k.open(nonce, aad, Arrays.copyOf(sealed, 15)));
        assertNull(new AesGcmKey(bytes(r, 16)).open(nonce, aad, sealed));
        assertThrows(IllegalArgumentException.class, () -> k.seal(new byte[16], aad, pt));
        // Still usable after all that.
        assertArrayEquals(pt, k.open(nonce, aad, sealed));
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] bouncyCastle(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in) throws Exception {
        GCMBlockCipher c = new GCMBlockCipher(new AESEngine());
        c.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(in.length)];
        int n = c.processBytes(in, 0, in.length, out, 0);
        c.doFinal(out, n);
        return out;
    }
}
