package org.mlskit.crypto;

import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;

/**
 * GHASH multiplication by H with 32-bit words only: Shoup's 8-bit table method (256 multiples of H,
 * 4 KiB, and a static 256-entry reduction table). BouncyCastle's multipliers work on {@code long}s,
 * which the TeaVM JS target emulates with BigInt; this one keeps GCM usable there, and with a byte
 * per step it is also faster than BouncyCastle's on the JVM. Building the table costs about as
 * much as hashing a dozen blocks, so it pays off from messages of a few hundred bytes, and SFrame
 * keeps it for the life of a key.
 *
 * <p>A 128-bit value is four ints, big-endian, in GCM's reflected bit order: bit 0 of the field
 * element is the top bit of byte 0, so multiplying by x is a right shift, reduced with
 * {@code 0xE1 || 0^120} when a bit falls off the end.
 */
public final class IntGcmMultiplier implements GCMMultiplier {
    /** The reduction of the eight bits a right shift by 8 drops, for the top of word 0. */
    private static final int[] REDUCE = new int[256];

    static {
        for (int rem = 0; rem < 256; rem++) {
            int[] v = {0, 0, 0, rem};
            for (int i = 0; i < 8; i++) {
                timesX(v);
            }
            REDUCE[rem] = v[0];
        }
    }

    /** table[4*i .. 4*i+3] = i * H, the byte i read in GCM bit order (0x80 is H itself). */
    private final int[] table = new int[1024];

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

    static int word(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    @Override
    public void init(byte[] h) {
        int[] v = {word(h, 0), word(h, 4), word(h, 8), word(h, 12)};
        for (int bit = 0x80; bit >= 1; bit >>= 1) {
            System.arraycopy(v, 0, table, 4 * bit, 4);
            timesX(v);
        }
        // Every other entry is the sum of its highest single bit's entry and the rest's.
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                int d = 4 * (i + j);
                int a = 4 * i;
                int b = 4 * j;
                table[d] = table[a] ^ table[b];
                table[d + 1] = table[a + 1] ^ table[b + 1];
                table[d + 2] = table[a + 2] ^ table[b + 2];
                table[d + 3] = table[a + 3] ^ table[b + 3];
            }
        }
    }

    @Override
    public void multiplyH(byte[] x) {
        int[] z = {word(x, 0), word(x, 4), word(x, 8), word(x, 12)};
        multiply(z);
        put(z[0], x, 0);
        put(z[1], x, 4);
        put(z[2], x, 8);
        put(z[3], x, 12);
    }

    /** z = z * H, on the four big-endian words of a block (what {@link AesGcmKey} keeps GHASH in). */
    public void multiply(int[] z) {
        int[] t = table;
        // Horner from the last byte of the block to the first: acc = acc * x^8 + byte * H
        int at = 4 * (z[3] & 0xff);
        int z0 = t[at];
        int z1 = t[at + 1];
        int z2 = t[at + 2];
        int z3 = t[at + 3];
        for (int wi = 3, shift = 8; wi >= 0; wi--, shift = 0) {
            int w = z[wi];
            for (; shift < 32; shift += 8) {
                int rem = z3 & 0xff;
                z3 = z3 >>> 8 | z2 << 24;
                z2 = z2 >>> 8 | z1 << 24;
                z1 = z1 >>> 8 | z0 << 24;
                z0 = z0 >>> 8 ^ REDUCE[rem];
                at = 4 * (w >>> shift & 0xff);
                z0 ^= t[at];
                z1 ^= t[at + 1];
                z2 ^= t[at + 2];
                z3 ^= t[at + 3];
            }
        }
        z[0] = z0;
        z[1] = z1;
        z[2] = z2;
        z[3] = z3;
    }

    static void put(int v, byte[] out, int off) {
        out[off] = (byte) (v >>> 24);
        out[off + 1] = (byte) (v >>> 16);
        out[off + 2] = (byte) (v >>> 8);
        out[off + 3] = (byte) v;
    }
}
