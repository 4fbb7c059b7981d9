package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.junit.jupiter.api.Test;

/** The int-only GHASH agrees with BouncyCastle's reference multiplier. */
class IntGcmMultiplierTest {
    @Test
    void agreesWithBouncyCastle() {
        Random r = new Random(9605);
        for (int n = 0; n < 2000; n++) {
            byte[] h = new byte[16];
            byte[] x = new byte[16];
            r.nextBytes(h);
            r.nextBytes(x);
            if (n < 16) {
                java.util.Arrays.fill(h, (byte) 0);
                h[n] = (byte) 0x80;
            }
            BasicGCMMultiplier ref = new BasicGCMMultiplier();
            ref.init(h.clone());
            IntGcmMultiplier mine = new IntGcmMultiplier();
            mine.init(h.clone());
            byte[] a = x.clone();
            byte[] b = x.clone();
            ref.multiplyH(a);
            mine.multiplyH(b);
            assertArrayEquals(a, b, "H and X of case " + n);
        }
    }
}
