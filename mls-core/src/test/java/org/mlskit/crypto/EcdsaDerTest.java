package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;

import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Differential test: EcdsaDer encodes as BouncyCastle's strict DER encoding does and accepts exactly what it accepts. */
class EcdsaDerTest {
    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "P-521"})
    void agreesWithBouncyCastle(String curve) throws Exception {
        BigInteger n = NistCurves.byName(curve).getN();
        Random rnd = new Random(curve.hashCode()); // reproducible; these are test inputs, not keys
        for (int i = 0; i < 2000; i++) {
            // Values of every length, including ones with the top bit set and tiny ones.
            BigInteger r = new BigInteger(1 + rnd.nextInt(n.bitLength()), rnd).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            BigInteger s = i % 7 == 0 ? BigInteger.valueOf(1 + rnd.nextInt(300)) : new BigInteger(n.bitLength(), rnd).mod(n);
            if (s.signum() == 0) {
                s = BigInteger.ONE;
            }
            byte[] ours = EcdsaDer.INSTANCE.encode(n, r, s);
            assertArrayEquals(StandardDSAEncoding.INSTANCE.encode(n, r, s), ours);
            BigInteger[] back = EcdsaDer.INSTANCE.decode(n, ours);
            assertEquals(r, back[0]);
            assertEquals(s, back[1]);

            byte[] damaged = ours.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                damaged[rnd.nextInt(damaged.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            if (rnd.nextInt(4) == 0) {
                damaged = java.util.Arrays.copyOf(damaged, damaged.length + (rnd.nextBoolean() ? 1 : -1));
            }
            assertEquals(decodes(StandardDSAEncoding.INSTANCE, n, damaged), decodes(EcdsaDer.INSTANCE, n, damaged),
                    () -> "disagreement on " + org.bouncycastle.util.encoders.Hex.toHexString(ours));
        }
    }

    private static String decodes(org.bouncycastle.crypto.signers.DSAEncoding e, BigInteger n, byte[] der) {
        try {
            BigInteger[] rs = e.decode(n, der);
            return rs[0] + "," + rs[1];
        } catch (Exception x) {
            return "rejected";
        }
    }
}
