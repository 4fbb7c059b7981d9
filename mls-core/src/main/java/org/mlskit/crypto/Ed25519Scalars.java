package org.mlskit.crypto;

import java.math.BigInteger;

/** Scalars modulo the order L of edwards25519's prime-order subgroup, and their signed-digit forms. */
final class Ed25519Scalars {
    static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private Ed25519Scalars() {
    }

    /** The unsigned little-endian integer in {@code bytes[off, off + len)}. */
    static BigInteger fromLittleEndian(byte[] bytes, int off, int len) {
        byte[] be = new byte[len + 1];
        for (int i = 0; i < len; i++) {
            be[len - i] = bytes[off + i];
        }
        return new BigInteger(be);
    }

    /** {@code s} (0 <= s < 2^256) as 32 little-endian bytes. */
    static byte[] toLittleEndian(BigInteger s) {
        byte[] be = s.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < be.length && i < 32; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    /**
     * Signed digits of width {@code c} bits: s = sum d[i] 2^(c i), each d[i] in [-2^(c-1), 2^(c-1)],
     * for 0 <= s < 2^256; {@code windows} digits (enough for 257 bits).
     */
    static int[] signedDigits(BigInteger s, int c, int windows) {
        byte[] le = toLittleEndian(s);
        int[] d = new int[windows];
        int carry = 0;
        int half = 1 << (c - 1);
        for (int i = 0; i < windows; i++) {
            int v = carry;
            for (int b = 0; b < c; b++) {
                int k = i * c + b;
                if (k < 256 && ((le[k >>> 3] >>> (k & 7)) & 1) != 0) {
                    v += 1 << b;
                }
            }
            if (v >= half) {
                v -= 1 << c;
                carry = 1;
            } else {
                carry = 0;
            }
            d[i] = v;
        }
        return d;
    }
}
