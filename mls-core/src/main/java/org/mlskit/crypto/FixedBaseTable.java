package org.mlskit.crypto;

import java.math.BigInteger;

/**
 * Multiples [j 256^i]P (j = 1..8, i = 0..31) of one point, affine, so that [s]P costs 64
 * additions and 4 doublings (signed radix-16 digits: odd positions first, times 16, then even
 * positions). Built once per point; immutable afterwards.
 */
final class FixedBaseTable {
    private final EdwardsPoint.Cached[] entries; // entries[8 i + j - 1] = [j 256^i]P

    private FixedBaseTable(EdwardsPoint.Cached[] entries) {
        this.entries = entries;
    }

    static FixedBaseTable of(EdwardsPoint p) {
        EdwardsPoint[] points = new EdwardsPoint[256];
        EdwardsPoint q = p.copy();
        for (int i = 0; i < 32; i++) {
            EdwardsPoint.Cached qc = q.cached();
            EdwardsPoint m = q.copy();
            points[8 * i] = m.copy();
            for (int j = 1; j < 8; j++) {
                m.add(qc, false);
                points[8 * i + j] = m.copy();
            }
            if (i < 31) {
                for (int k = 0; k < 8; k++) {
                    q.doubleInPlace(k == 7);
                }
            }
        }
        return new FixedBaseTable(EdwardsPoint.affine(points));
    }

    /** [s]P for 0 <= s < L. */
    EdwardsPoint multiply(BigInteger s) {
        return combined(this, s, null, null);
    }

    /** [s]P + [t]Q, P and Q being the points of {@code p} and {@code q} (q may be null). */
    static EdwardsPoint combined(FixedBaseTable p, BigInteger s, FixedBaseTable q, BigInteger t) {
        byte[] ds = Ed25519Scalars.radix16(s);
        byte[] dt = q == null ? null : Ed25519Scalars.radix16(t);
        EdwardsPoint acc = EdwardsPoint.identity();
        for (int parity = 1; parity >= 0; parity--) {
            for (int i = 0; i < 32; i++) {
                p.addDigit(acc, i, ds[2 * i + parity]);
                if (q != null) {
                    q.addDigit(acc, i, dt[2 * i + parity]);
                }
            }
            if (parity == 1) {
                acc.doubleInPlace(false);
                acc.doubleInPlace(false);
                acc.doubleInPlace(false);
                acc.doubleInPlace(true);
            }
        }
        return acc;
    }

    private void addDigit(EdwardsPoint acc, int position, int digit) {
        if (digit != 0) {
            acc.add(entries[8 * position + Math.abs(digit) - 1], digit < 0);
        }
    }
}
