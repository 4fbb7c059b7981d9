package org.mlskit.crypto;

import java.util.Arrays;

/**
 * The AES forward block function (FIPS 197) for AES-128 and AES-256, which is all GCM needs, on
 * big-endian 32-bit columns with four round tables and a flat key schedule. BouncyCastle's
 * AESEngine (one table plus rotations, a two-level key schedule, byte-array packing per block)
 * does more array work per block, which costs most in the wasm-gc build, where every array
 * access is checked; this one keeps the state in locals. Like BouncyCastle's, it looks tables up
 * by secret-dependent index, so it is not hardened against cache-timing attackers on the same
 * machine.
 */
final class AesBlock {
    private static final int[] SBOX = new int[256];
    private static final int[] T0 = new int[256];
    private static final int[] T1 = new int[256];
    private static final int[] T2 = new int[256];
    private static final int[] T3 = new int[256];

    static {
        // S(x) = affine(x^-1) in GF(2^8) mod x^8 + x^4 + x^3 + x + 1, walking the powers of the generator 3.
        int[] exp = new int[256];
        int[] log = new int[256];
        for (int i = 0, x = 1; i < 255; i++) {
            exp[i] = x;
            log[x] = i;
            x ^= times2(x);
        }
        for (int x = 0; x < 256; x++) {
            int inv = x == 0 ? 0 : exp[(255 - log[x]) % 255];
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = s;
            // MixColumns' first column (2, 1, 1, 3), top byte first; the other tables are its rotations.
            int t = times2(s) << 24 | s << 16 | s << 8 | (times2(s) ^ s);
            T0[x] = t;
            T1[x] = Integer.rotateRight(t, 8);
            T2[x] = Integer.rotateRight(t, 16);
            T3[x] = Integer.rotateRight(t, 24);
        }
    }

    private static int times2(int x) {
        return (x << 1 ^ ((x >>> 7) * 0x1b)) & 0xff;
    }

    private static int rotl8(int x, int n) {
        return (x << n | x >>> (8 - n)) & 0xff;
    }

    private static int subWord(int w) {
        return SBOX[w >>> 24] << 24 | SBOX[w >>> 16 & 0xff] << 16 | SBOX[w >>> 8 & 0xff] << 8 | SBOX[w & 0xff];
    }

    /** Round keys, four words a round. */
    private final int[] rk;
    private final int rounds;

    /** A 16- or 32-byte key. */
    AesBlock(byte[] key) {
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("AES takes a 16- or 32-byte key here, got " + key.length);
        }
        int nk = key.length / 4;
        rounds = nk + 6;
        rk = new int[4 * (rounds + 1)];
        for (int i = 0; i < nk; i++) {
            rk[i] = IntGcmMultiplier.word(key, 4 * i);
        }
        int rcon = 1;
        for (int i = nk; i < rk.length; i++) {
            int t = rk[i - 1];
            if (i % nk == 0) {
                t = subWord(Integer.rotateLeft(t, 8)) ^ rcon << 24;
                rcon = times2(rcon);
            } else if (nk > 6 && i % nk == 4) {
                t = subWord(t);
            }
            rk[i] = rk[i - nk] ^ t;
        }
    }

    /** Encrypts the block in {@code in[0..4)} (big-endian words) into {@code out[0..4)}; they may be the same array. */
    void encrypt(int[] in, int[] out) {
        int[] k = rk;
        int s0 = in[0] ^ k[0];
        int s1 = in[1] ^ k[1];
        int s2 = in[2] ^ k[2];
        int s3 = in[3] ^ k[3];
        int r = 4;
        for (int round = 1; round < rounds; round++, r += 4) {
            int t0 = T0[s0 >>> 24] ^ T1[s1 >>> 16 & 0xff] ^ T2[s2 >>> 8 & 0xff] ^ T3[s3 & 0xff] ^ k[r];
            int t1 = T0[s1 >>> 24] ^ T1[s2 >>> 16 & 0xff] ^ T2[s3 >>> 8 & 0xff] ^ T3[s0 & 0xff] ^ k[r + 1];
            int t2 = T0[s2 >>> 24] ^ T1[s3 >>> 16 & 0xff] ^ T2[s0 >>> 8 & 0xff] ^ T3[s1 & 0xff] ^ k[r + 2];
            int t3 = T0[s3 >>> 24] ^ T1[s0 >>> 16 & 0xff] ^ T2[s1 >>> 8 & 0xff] ^ T3[s2 & 0xff] ^ k[r + 3];
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        // The last round has no MixColumns.
        out[0] = last(s0, s1, s2, s3) ^ k[r];
        out[1] = last(s1, s2, s3, s0) ^ k[r + 1];
        out[2] = last(s2, s3, s0, s1) ^ k[r + 2];
        out[3] = last(s3, s0, s1, s2) ^ k[r + 3];
    }

    private static int last(int a, int b, int c, int d) {
        return SBOX[a >>> 24] << 24 | SBOX[b >>> 16 & 0xff] << 16 | SBOX[c >>> 8 & 0xff] << 8 | SBOX[d & 0xff];
    }

    /** Overwrites the key schedule; the instance encrypts nothing useful afterwards. */
    void erase() {
        Arrays.fill(rk, 0);
    }
}
