package org.mlskit.crypto;

import java.math.BigInteger;

/**
 * Affine multiples of one point for fast [s]P: s is written in signed 6-bit digits d_i (43 of
 * them), and d_i = d_(3p + r) weighs 2^(6r) 2^(18p), so the table holds [j 2^(18p)]P for
 * j = 1..32 and p = 0..14 (480 points, about 58 KB). Then [s]P costs 43 additions and 12
 * doublings, and two tables ({@link #combined}) share the doublings. Built once per point.
 */
final class FixedBaseTable {
    private static final int W = 6;
    private static final int DIGITS = 43;
    private static final int WAYS = 3;
    private static final int POSITIONS = (DIGITS + WAYS - 1) / WAYS;
    private static final int MULTIPLES = 1 << (W - 1);

    private final EdwardsPoint.Cached[] entries; // entries[MULTIPLES p + j - 1] = [j 2^(W WAYS p)]P

    private FixedBaseTable(EdwardsPoint.Cached[] entries) {
        this.entries = entries;
    }

    static FixedBaseTable of(EdwardsPoint p) {
        EdwardsPoint[] points = new EdwardsPoint[POSITIONS * MULTIPLES];
        EdwardsPoint q = p.copy();
        for (int pos = 0; pos < POSITIONS; pos++) {
            EdwardsPoint.Cached qc = q.cached();
            EdwardsPoint m = q.copy();
            points[MULTIPLES * pos] = m.copy();
            for (int j = 1; j < MULTIPLES; j++) {
                m.add(qc, false);
                points[MULTIPLES * pos + j] = m.copy();
            }
            if (pos < POSITIONS - 1) {
                for (int k = 0; k < W * WAYS; k++) {
                    q.doubleInPlace(k == W * WAYS - 1);
                }
            }
        }
        return new FixedBaseTable(EdwardsPoint.affine(points));
    }

    /** [s]P for 0 <= s < 2^256. */
    EdwardsPoint multiply(BigInteger s) {
        return combined(this, s, null, null);
    }

    /** [s]P + [t]Q, P and Q being the points of {@code p} and {@code q} (q may be null). */
    static EdwardsPoint combined(FixedBaseTable p, BigInteger s, FixedBaseTable q, BigInteger t) {
        int[] ds = Ed25519Scalars.signedDigits(s, W, DIGITS);
        int[] dt = q == null ? null : Ed25519Scalars.signedDigits(t, W, DIGITS);
        EdwardsPoint acc = EdwardsPoint.identity();
        for (int r = WAYS - 1; r >= 0; r--) {
            if (r < WAYS - 1) {
                for (int k = 0; k < W; k++) {
                    acc.doubleInPlace(k == W - 1);
                }
            }
            for (int i = r; i < DIGITS; i += WAYS) {
                p.addDigit(acc, i / WAYS, ds[i]);
                if (q != null) {
                    q.addDigit(acc, i / WAYS, dt[i]);
                }
            }
        }
        return acc;
    }

    private void addDigit(EdwardsPoint acc, int position, int digit) {
        if (digit != 0) {
            acc.add(entries[MULTIPLES * position + Math.abs(digit) - 1], digit < 0);
        }
    }
}
