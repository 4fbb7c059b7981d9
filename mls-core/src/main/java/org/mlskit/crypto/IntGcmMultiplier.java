package org.mlskit.crypto;

import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;

/**
 * GHASH multiplication by H with 32-bit words only: Shoup's 4-bit table method (16 multiples of H
 * and a 16-entry reduction table). BouncyCastle's default multiplier works on {@code long}s,
 * which the TeaVM JS target emulates with BigInt; this one keeps GCM frames usable there and
 * costs about the same on the JVM and in wasm-gc.
 *
 * <p>A 128-bit value is four ints, big-endian, in GCM's reflected bit order: bit 0 of the field
 * element is the top bit of byte 0, so multiplying by x is a right shift, reduced with
 * {@code 0xE1 || 0^120} when a bit falls off the end.
 */
public final class IntGcmMultiplier implements GCMMultiplier {
    /** The 16-bit reduction of the four bits a 4-bit right shift drops, for the top of word 0. */
    private static final int[] REDUCE = new int[16];

    static {
        for (int rem = 0; rem < 16; rem++) {
            int[] v = {0, 0, 0, rem};
            for (int i = 0; i < 4; i++) {
                timesX(v);
            }
            REDUCE[rem] = v[0];
        }
    }

    /** table[4*i .. 4*i+3] = i * H, the nibble i read in GCM bit order (8 is H itself). */
    private final int[] table = new int[64];

    /** v = v * x in GF(2^128), GCM bit order. */
    private static void timesX(int[] v) {
        boolean carry = (v[3] & 1) != 0;
        v[3] = v[3] >>> 1 | v[2] << 31;
        v[2] = v[2] >>> 1 | v[1] << 31;
        v[1] = v[1] >>> 1 | v[0] << 31;
        v[0] = v[0] >>> 1;
        if (carry) {
            v[0] ^= 0xE1000000;
        }
    }

    private static int word(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    @Override
    public void init(byte[] h) {
        int[] v = {word(h, 0), word(h, 4), word(h, 8), word(h, 12)};
        for (int bit = 8; bit >= 1; bit >>= 1) {
            System.arraycopy(v, 0, table, 4 * bit, 4);
            timesX(v);
        }
        for (int i = 2; i < 16; i <<= 1) {
            for (int j = 1; j < i; j++) {
                for (int w = 0; w < 4; w++) {
                    table[4 * (i + j) + w] = table[4 * i + w] ^ table[4 * j + w];
                }
            }
        }
    }

    @Override
    public void multiplyH(byte[] x) {
        int z0 = 0;
        int z1 = 0;
        int z2 = 0;
        int z3 = 0;
        // Horner from the last nibble of x to the first: z = z * x^4 + nibble * H
        for (int i = 15; i >= 0; i--) {
            int b = x[i] & 0xff;
            for (int half = 0; half < 2; half++) {
                int nibble = half == 0 ? b & 0x0f : b >>> 4;
                int rem = z3 & 0x0f;
                z3 = z3 >>> 4 | z2 << 28;
                z2 = z2 >>> 4 | z1 << 28;
                z1 = z1 >>> 4 | z0 << 28;
                z0 = z0 >>> 4 ^ REDUCE[rem];
                int t = 4 * nibble;
                z0 ^= table[t];
                z1 ^= table[t + 1];
                z2 ^= table[t + 2];
                z3 ^= table[t + 3];
            }
        }
        put(z0, x, 0);
        put(z1, x, 4);
        put(z2, x, 8);
        put(z3, x, 12);
    }

    private static void put(int v, byte[] out, int off) {
        out[off] = (byte) (v >>> 24);
        out[off + 1] = (byte) (v >>> 16);
        out[off + 2] = (byte) (v >>> 8);
        out[off + 3] = (byte) v;
    }
}
