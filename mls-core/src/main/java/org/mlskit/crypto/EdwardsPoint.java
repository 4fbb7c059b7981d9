package org.mlskit.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.util.encoders.Hex;

/**
 * A point of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates (X:Y:Z:T),
 * x = X/Z, y = Y/Z, T = XY/Z, with the variable-time arithmetic that signature verification
 * needs (all inputs are public). Field arithmetic is BouncyCastle's {@link X25519Field}; as in
 * BouncyCastle, a sum or difference of two reduced values may go straight into a multiplication.
 * Formulas: Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited" (a = -1).
 */
final class EdwardsPoint {
    /** d = -121665/121666 and 2d, in X25519Field limbs. */
    static final int[] D = fromBytes(Hex.decode("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352"));
    static final int[] D2 = new int[X25519Field.SIZE];

    static {
        X25519Field.add(D, D, D2);
        X25519Field.normalize(D2);
    }

    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();
    /** Scratch space for add and double, so the hot loops allocate nothing. */
    private final int[] s0 = X25519Field.create();
    private final int[] s1 = X25519Field.create();
    private final int[] s2 = X25519Field.create();
    private final int[] s3 = X25519Field.create();
    private final int[] s4 = X25519Field.create();
    private final int[] s5 = X25519Field.create();
    private final int[] s6 = X25519Field.create();

    /** The neutral element (0, 1). */
    static EdwardsPoint identity() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.one(p.y);
        X25519Field.one(p.z);
        return p;
    }

    /** Makes this the neutral element again, reusing its storage. */
    void setIdentity() {
        X25519Field.zero(x);
        X25519Field.one(y);
        X25519Field.one(z);
        X25519Field.zero(t);
    }

    /** Copies {@code p} into this. */
    void set(EdwardsPoint p) {
        X25519Field.copy(p.x, 0, x, 0);
        X25519Field.copy(p.y, 0, y, 0);
        X25519Field.copy(p.z, 0, z, 0);
        X25519Field.copy(p.t, 0, t, 0);
    }

    EdwardsPoint copy() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.copy(x, 0, p.x, 0);
        X25519Field.copy(y, 0, p.y, 0);
        X25519Field.copy(z, 0, p.z, 0);
        X25519Field.copy(t, 0, p.t, 0);
        return p;
    }

    /**
     * Decodes a point as RFC 8032 §5.1.3 says, or returns null: y must be canonical (below p),
     * x must exist, and x = 0 must not come with the sign bit set.
     */
    static EdwardsPoint decode(byte[] encoded, int off) {
        byte[] yBytes = new byte[32];
        System.arraycopy(encoded, off, yBytes, 0, 32);
        int sign = (yBytes[31] & 0x80) >>> 7;
        yBytes[31] &= 0x7f;
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.decode(yBytes, 0, p.y);
        X25519Field.normalize(p.y);
        byte[] canonical = new byte[32];
        X25519Field.encode(p.y, canonical, 0);
        if (!java.util.Arrays.equals(canonical, yBytes)) {
            return null;
        }
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(p.y, u);
        X25519Field.mul(D, u, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        if (!X25519Field.sqrtRatioVar(u, v, p.x)) {
            return null;
        }
        X25519Field.normalize(p.x);
        if (sign == 1 && X25519Field.isZeroVar(p.x)) {
            return null;
        }
        if ((p.x[0] & 1) != sign) {
            X25519Field.negate(p.x, p.x);
            X25519Field.normalize(p.x);
        }
        X25519Field.one(p.z);
        X25519Field.mul(p.x, p.y, p.t);
        return p;
    }

    /** Whether this is the neutral element. */
    /** True when this point's canonical encoding is the 32 bytes at {@code off}: one inversion, where decoding needs a square root. */
    boolean encodesTo(byte[] encoded, int off) {
        int[] zInv = X25519Field.create();
        X25519Field.invVar(z, zInv);
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        X25519Field.mul(x, zInv, ax);
        X25519Field.mul(y, zInv, ay);
        X25519Field.normalize(ax);
        X25519Field.normalize(ay);
        byte[] mine = new byte[32];
        X25519Field.encode(ay, mine, 0);
        mine[31] |= (byte) ((ax[0] & 1) << 7);
        for (int i = 0; i < 32; i++) {
            if (mine[i] != encoded[off + i]) {
                return false;
            }
        }
        return true;
    }

    boolean isIdentity() {
        int[] a = X25519Field.create();
        X25519Field.copy(x, 0, a, 0);
        X25519Field.normalize(a);
        if (!X25519Field.isZeroVar(a)) {
            return false;
        }
        X25519Field.sub(y, z, a);
        X25519Field.normalize(a);
        return X25519Field.isZeroVar(a);
    }

    /** this = 2 * this (dbl-2008-hwcd with a = -1, signs folded as BouncyCastle does). */
    void doubleInPlace() {
        doubleInPlace(true);
    }

    /** this = 2 * this; without T when only another doubling follows (T is not an input of doubling). */
    void doubleInPlace(boolean withT) {
        int[] a = s0;
        int[] b = s1;
        int[] c = s2;
        int[] e = s3;
        int[] h = s4;
        X25519Field.add(x, y, e);
        X25519Field.sqr(x, a);
        X25519Field.sqr(y, b);
        X25519Field.sqr(z, c);
        X25519Field.add(c, c, c);
        X25519Field.apm(a, b, h, b); // h = A + B, b = G = A - B
        X25519Field.sqr(e, e);
        X25519Field.sub(h, e, e);     // E
        X25519Field.add(c, b, a);     // F = C + G
        X25519Field.carry(a);
        X25519Field.mul(a, b, z);
        X25519Field.mul(a, e, x);
        X25519Field.mul(b, h, y);
        if (withT) {
            X25519Field.mul(e, h, t);
        }
    }

    /** this = this + q (or this - q when {@code negate}), q in cached form (add-2008-hwcd-3). */
    void add(Cached q, boolean negate) {
        int[] a = s0;
        int[] b = s1;
        int[] c = s2;
        int[] d = s3;
        int[] e = s4;
        int[] f = s5;
        int[] g = s6;
        X25519Field.apm(y, x, b, a);                       // b = Y1 + X1, a = Y1 - X1
        X25519Field.mul(a, negate ? q.yPlusX : q.yMinusX, a);
        X25519Field.mul(b, negate ? q.yMinusX : q.yPlusX, b);
        X25519Field.mul(t, q.t2d, c);
        if (q.z2 == null) {
            X25519Field.add(z, z, d);
        } else {
            X25519Field.mul(z, q.z2, d);
        }
        X25519Field.apm(b, a, g, e);                       // g = H = B + A, e = E = B - A
        if (negate) {
            X25519Field.apm(d, c, f, d);                   // f = F = D + C, d = G = D - C
        } else {
            X25519Field.apm(d, c, d, f);                   // d = G = D + C, f = F = D - C
        }
        X25519Field.mul(e, f, x);
        X25519Field.mul(d, g, y);
        X25519Field.mul(e, g, t);
        X25519Field.mul(f, d, z);
    }

    /** [k]this for 0 <= k < 2^253, variable time: signed radix-16 digits over [1..8]this. */
    EdwardsPoint times(java.math.BigInteger k) {
        Cached[] multiples = new Cached[8];
        EdwardsPoint m = copy();
        multiples[0] = m.cached();
        for (int j = 1; j < 8; j++) {
            m.add(multiples[0], false);
            multiples[j] = m.cached();
        }
        int[] digits = Ed25519Scalars.signedDigits(k, 4, 64);
        EdwardsPoint acc = identity();
        for (int i = 63; i >= 0; i--) {
            if (i < 63) {
                acc.doubleInPlace(false);
                acc.doubleInPlace(false);
                acc.doubleInPlace(false);
                acc.doubleInPlace(true);
            }
            int d = digits[i];
            if (d != 0) {
                acc.add(multiples[Math.abs(d) - 1], d < 0);
            }
        }
        return acc;
    }

    /** This point in cached form, ready to be added to others. */
    Cached cached() {
        Cached c = new Cached();
        c.z2 = X25519Field.create();
        cachedInto(c);
        return c;
    }

    /** This point's cached form written into {@code c} (whose z2 must be allocated), to reuse scratch space. */
    void cachedInto(Cached c) {
        X25519Field.apm(y, x, c.yPlusX, c.yMinusX);
        X25519Field.carry(c.yPlusX);
        X25519Field.carry(c.yMinusX);
        X25519Field.mul(t, D2, c.t2d);
        X25519Field.add(z, z, c.z2);
        X25519Field.carry(c.z2);
    }

    /**
     * The cached, affine (Z = 1) forms of {@code points}, with one field inversion for all of
     * them (Montgomery's trick); affine points add with one multiplication less.
     */
    static Cached[] affine(EdwardsPoint[] points) {
        int n = points.length;
        int[][] prefix = new int[n][];
        int[] acc = X25519Field.create();
        X25519Field.one(acc);
        for (int i = 0; i < n; i++) {
            prefix[i] = X25519Field.create();
            X25519Field.copy(acc, 0, prefix[i], 0);
            X25519Field.mul(acc, points[i].z, acc);
        }
        int[] inv = X25519Field.create();
        X25519Field.invVar(acc, inv);
        Cached[] out = new Cached[n];
        int[] zInv = X25519Field.create();
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        for (int i = n - 1; i >= 0; i--) {
            X25519Field.mul(inv, prefix[i], zInv);
            X25519Field.mul(inv, points[i].z, inv);
            X25519Field.mul(points[i].x, zInv, ax);
            X25519Field.mul(points[i].y, zInv, ay);
            Cached c = new Cached();
            X25519Field.apm(ay, ax, c.yPlusX, c.yMinusX);
            X25519Field.carry(c.yPlusX);
            X25519Field.carry(c.yMinusX);
            X25519Field.mul(ax, ay, c.t2d);
            X25519Field.mul(c.t2d, D2, c.t2d);
            out[i] = c;
        }
        return out;
    }

    /** (Y+X, Y-X, 2dT, 2Z); z2 is null for an affine point (Z = 1). */
    static final class Cached {
        final int[] yPlusX = X25519Field.create();
        final int[] yMinusX = X25519Field.create();
        final int[] t2d = X25519Field.create();
        int[] z2;
    }

    private static int[] fromBytes(byte[] littleEndian) {
        int[] f = X25519Field.create();
        X25519Field.decode(littleEndian, 0, f);
        return f;
    }
}
