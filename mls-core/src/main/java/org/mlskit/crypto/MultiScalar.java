package org.mlskit.crypto;

import java.math.BigInteger;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * sum [s_i]P_i over many points at once: Pippenger's bucket method with signed digits of c bits.
 * Each window costs one addition per point with a non-zero digit plus two per bucket, instead
 * of the ~250 doublings each point would need on its own.
 */
final class MultiScalar {
    private MultiScalar() {
    }

    /** Scalars are below 2^256; points are in cached form. */
    static EdwardsPoint multiply(EdwardsPoint.Cached[] points, BigInteger[] scalars) {
        int n = points.length;
        int c = windowBits(n);
        int windows = (257 + c - 1) / c;
        int[][] digits = new int[n][];
        for (int i = 0; i < n; i++) {
            digits[i] = Ed25519Scalars.signedDigits(scalars[i], c, windows);
        }
        int buckets = 1 << (c - 1);
        EdwardsPoint acc = EdwardsPoint.identity();
        // Buckets, running sums and the cached form are allocated once and reused by every window.
        EdwardsPoint[] bucket = new EdwardsPoint[buckets];
        for (int b = 0; b < buckets; b++) {
            bucket[b] = EdwardsPoint.identity();
        }
        boolean[] used = new boolean[buckets];
        EdwardsPoint running = EdwardsPoint.identity();
        EdwardsPoint total = EdwardsPoint.identity();
        EdwardsPoint.Cached scratch = new EdwardsPoint.Cached();
        scratch.z2 = X25519Field.create();
        for (int w = windows - 1; w >= 0; w--) {
            for (int k = 0; k < c; k++) {
                acc.doubleInPlace(k == c - 1);
            }
            java.util.Arrays.fill(used, false);
            for (int i = 0; i < n; i++) {
                int d = digits[i][w];
                if (d != 0) {
                    int b = Math.abs(d) - 1;
                    if (!used[b]) {
                        bucket[b].setIdentity();
                        used[b] = true;
                    }
                    bucket[b].add(points[i], d < 0);
                }
            }
            // sum_b (b+1) bucket[b] as a running sum from the top bucket down.
            boolean runningSet = false;
            boolean totalSet = false;
            for (int b = buckets - 1; b >= 0; b--) {
                if (used[b]) {
                    if (!runningSet) {
                        running.set(bucket[b]);
                        runningSet = true;
                    } else {
                        bucket[b].cachedInto(scratch);
                        running.add(scratch, false);
                    }
                }
                if (runningSet) {
                    if (!totalSet) {
                        total.set(running);
                        totalSet = true;
                    } else {
                        running.cachedInto(scratch);
                        total.add(scratch, false);
                    }
                }
            }
            if (totalSet) {
                total.cachedInto(scratch);
                acc.add(scratch, false);
            }
        }
        return acc;
    }

    /** The window width that minimises (windows) x (points + buckets) additions. */
    private static int windowBits(int n) {
        int best = 4;
        long bestCost = Long.MAX_VALUE;
        for (int c = 4; c <= 12; c++) {
            long cost = (long) ((257 + c - 1) / c) * (n + (2L << (c - 1)));
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }
}
