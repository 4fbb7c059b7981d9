package org.mlskit.crypto;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ECPoint;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP384R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP521R1Curve;

/**
 * The three NIST curves MLS uses (P-256, P-384, P-521; FIPS 186-5 / SEC 2), built directly on
 * BouncyCastle's fast curve classes. BouncyCastle's own registry ({@code CustomNamedCurves})
 * defines some thirty curves, and referencing it pulls every one of them into the TeaVM output;
 * the js-bindings build has TeaVM compile a stand-in that delegates here wherever BouncyCastle
 * names the registry ({@code org.mlskit.js.teavm.BouncyCastleSubstitutions}).
 */
public final class NistCurves {
    private NistCurves() {
    }

    /** The curve named {@code P-256}, {@code P-384} or {@code P-521} (or its SEC 2 name), or null for any other name. */
    public static X9ECParameters byName(String name) {
        switch (name) {
            case "P-256":
            case "secp256r1":
                return build(new SecP256R1Curve(),
                        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
            case "P-384":
            case "secp384r1":
                return build(new SecP384R1Curve(),
                        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
                                + "5502f25dbf55296c3a545e3872760ab7",
                        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
                                + "0a60b1ce1d7e819d7a431d7c90ea0e5f");
            case "P-521":
            case "secp521r1":
                return build(new SecP521R1Curve(),
                        "c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
                                + "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
                        "11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e6"
                                + "62c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650");
            default:
                return null;
        }
    }

    private static X9ECParameters build(ECCurve curve, String gx, String gy) {
        // The curve classes carry their order and cofactor; only the base point is given here.
        return new X9ECParameters(curve,
                new X9ECPoint(curve.validatePoint(new BigInteger(gx, 16), new BigInteger(gy, 16)), false),
                curve.getOrder(), curve.getCofactor(), null);
    }
}
