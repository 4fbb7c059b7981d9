package org.mlskit.js;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.ECDHCBasicAgreement;
import org.mlskit.crypto.NistCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X448;
import org.mlskit.crypto.Aead;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.Hpke;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.crypto.Kem;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SignatureScheme;
import org.teavm.jso.JSBody;

/**
 * The primitive floor measured inside the TeaVM outputs, with the same definitions as the JMH
 * benchmarks in mls-core ({@code org.mlskit.bench}): one variable-base DH per KEM group, sign and
 * verify of a 32-byte message per scheme, EncryptWithLabel/DecryptWithLabel of 32 bytes per
 * suite's KEM, and AEAD seal/open of 1 KiB and 64 KiB; beside them one UpdatePath seal per suite
 * and its public-key floor (keygen + DH): their ratio is what a commit or Welcome costs above its floor.
 */
final class PrimitiveBench {
    private static int sink;

    private PrimitiveBench() {
    }

    @JSBody(script = "return performance.now();")
    private static native double now();

    /** Microseconds per operation over {@code iterations} timed runs after a warm-up of a fifth as many. */
    static double run(String primitive, String variant, int iterations, RandomSource random) {
        Runnable op = setup(primitive, variant, random);
        for (int i = 0; i < Math.max(3, iterations / 5); i++) {
            op.run();
        }
        double t0 = now();
        for (int i = 0; i < iterations; i++) {
            op.run();
        }
        return (now() - t0) * 1000.0 / iterations;
    }

    private static Runnable setup(String primitive, String variant, RandomSource random) {
        switch (primitive) {
            case "dh":
                return dh(variant, random);
            case "sign": {
                SignatureScheme s = SignatureScheme.valueOf(variant);
                byte[] priv = s.generateKeyPair(random).privateKey();
                byte[] msg = random.bytes(32);
                return () -> sink ^= s.sign(priv, msg)[0];
            }
            case "verify": {
                SignatureScheme s = SignatureScheme.valueOf(variant);
                KeyPair kp = s.generateKeyPair(random);
                byte[] pub = kp.publicKey();
                byte[] msg = random.bytes(32);
                byte[] sig = s.sign(kp.privateKey(), msg);
                return () -> sink ^= s.verify(pub, msg, sig) ? 1 : 0;
            }
            case "hpke-seal": {
                CipherSuite cs = CipherSuite.of(Integer.parseInt(variant));
                byte[] pub = cs.hpke().generateKeyPair(random).publicKey();
                byte[] pt = random.bytes(32);
                byte[] ctx = new byte[0];
                return () -> sink ^= cs.encryptWithLabel(pub, "bench", ctx, pt, random).ciphertext()[0];
            }
            case "hpke-open": {
                CipherSuite cs = CipherSuite.of(Integer.parseInt(variant));
                KeyPair kp = cs.hpke().generateKeyPair(random);
                byte[] priv = kp.privateKey();
                byte[] ctx = new byte[0];
                HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), "bench", ctx, random.bytes(32), random);
                byte[] enc = ct.kemOutput();
                byte[] body = ct.ciphertext();
                return () -> sink ^= cs.decryptWithLabel(priv, "bench", ctx, enc, body)[0];
            }
            case "path-seal":
                return pathSeal(CipherSuite.of(Integer.parseInt(variant)), random);
            case "seal-floor":
                return sealFloor(CipherSuite.of(Integer.parseInt(variant)).kem(), random);
            case "aead-seal":
            case "aead-open": {
                String[] v = variant.split(":");
                Aead aead = Aead.valueOf(v[0]);
                byte[] key = random.bytes(aead.keyLength());
                byte[] nonce = random.bytes(Aead.NONCE_LENGTH);
                byte[] aad = new byte[0];
                byte[] pt = random.bytes(Integer.parseInt(v[1]));
                if (primitive.equals("aead-seal")) {
                    return () -> sink ^= aead.seal(key, nonce, aad, pt)[0];
                }
                byte[] ct = aead.seal(key, nonce, aad, pt);
                return () -> sink ^= aead.open(key, nonce, aad, ct)[0];
            }
            default:
                throw new IllegalArgumentException("unknown primitive " + primitive);
        }
    }

    /**
     * One seal of a commit's UpdatePath, exactly as {@code TreeKem} makes it per recipient:
     * EncryptWithLabel("UpdatePathNode") of an Nh-byte path secret to a leaf's HPKE key, under an
     * EncryptContext prepared once for the commit from a GroupContext of realistic size (a Welcome's
     * GroupSecrets take the same path with a prepared context). That is SetupBaseS (ephemeral key,
     * one DH, ExtractAndExpand, key schedule) and one AEAD seal.
     */
    private static Runnable pathSeal(CipherSuite cs, RandomSource random) {
        byte[] recipient = cs.hpke().generateKeyPair(random).publicKey();
        // version, suite, a 16-byte group id, epoch, tree hash, confirmed transcript hash, no extensions:
        // 96 bytes in suite 1
        byte[] groupContext = random.bytes(2 + 2 + 17 + 8 + 2 * (1 + cs.hash().length()) + 1);
        Hpke.Info context = cs.encryptContext("UpdatePathNode", groupContext);
        byte[] pathSecret = random.bytes(cs.hash().length());
        return () -> sink ^= cs.encryptWithLabel(recipient, context, pathSecret, random).ciphertext()[0];
    }

    /**
     * The public-key floor of one HPKE seal: the ephemeral key pair's fixed-base multiplication
     * and the DH with the recipient's key, on the same BouncyCastle routines DHKEM uses (X25519 /
     * X448 base-point and variable-point ladders; for the NIST curves the fixed-point comb and
     * ECDH with cofactor). Nothing else: no encoding, hashing, key schedule or AEAD.
     */
    private static Runnable sealFloor(Kem kem, RandomSource random) {
        switch (kem) {
            case DHKEM_X25519_SHA256: {
                byte[] k = random.bytes(X25519.SCALAR_SIZE);
                byte[] peer = new byte[X25519.POINT_SIZE];
                X25519.scalarMultBase(random.bytes(X25519.SCALAR_SIZE), 0, peer, 0);
                byte[] pub = new byte[X25519.POINT_SIZE];
                byte[] out = new byte[X25519.POINT_SIZE];
                return () -> {
                    X25519.scalarMultBase(k, 0, pub, 0);
                    X25519.scalarMult(k, 0, peer, 0, out, 0);
                    sink ^= pub[0] ^ out[0];
                };
            }
            case DHKEM_X448_SHA512: {
                byte[] k = random.bytes(X448.SCALAR_SIZE);
                byte[] peer = new byte[X448.POINT_SIZE];
                X448.scalarMultBase(random.bytes(X448.SCALAR_SIZE), 0, peer, 0);
                byte[] pub = new byte[X448.POINT_SIZE];
                byte[] out = new byte[X448.POINT_SIZE];
                return () -> {
                    X448.scalarMultBase(k, 0, pub, 0);
                    X448.scalarMult(k, 0, peer, 0, out, 0);
                    sink ^= pub[0] ^ out[0];
                };
            }
            default: {
                String name = kem == Kem.DHKEM_P256_SHA256 ? "P-256" : kem == Kem.DHKEM_P384_SHA384 ? "P-384" : "P-521";
                X9ECParameters p = NistCurves.byName(name);
                ECDomainParameters d = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
                BigInteger k = new BigInteger(1, random.bytes(kem.privateKeyLength())).mod(p.getN());
                ECPrivateKeyParameters priv = new ECPrivateKeyParameters(k, d);
                ECPublicKeyParameters peer = new ECPublicKeyParameters(
                        p.getG().multiply(new BigInteger(1, random.bytes(16))).normalize(), d);
                FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
                ECDHCBasicAgreement agreement = new ECDHCBasicAgreement();
                return () -> {
                    sink ^= comb.multiply(d.getG(), k).normalize().getAffineXCoord().toBigInteger().intValue();
                    agreement.init(priv);
                    sink ^= agreement.calculateAgreement(peer).intValue();
                };
            }
        }
    }

    /** One variable-base scalar multiplication: the DH inside every HPKE Encap and Decap. */
    private static Runnable dh(String group, RandomSource random) {
        switch (group) {
            case "X25519": {
                byte[] k = random.bytes(X25519.SCALAR_SIZE);
                byte[] u = new byte[X25519.POINT_SIZE];
                X25519.scalarMultBase(random.bytes(X25519.SCALAR_SIZE), 0, u, 0);
                byte[] out = new byte[X25519.POINT_SIZE];
                return () -> {
                    X25519.scalarMult(k, 0, u, 0, out, 0);
                    sink ^= out[0];
                };
            }
            case "X448": {
                byte[] k = random.bytes(X448.SCALAR_SIZE);
                byte[] u = new byte[X448.POINT_SIZE];
                X448.scalarMultBase(random.bytes(X448.SCALAR_SIZE), 0, u, 0);
                byte[] out = new byte[X448.POINT_SIZE];
                return () -> {
                    X448.scalarMult(k, 0, u, 0, out, 0);
                    sink ^= out[0];
                };
            }
            default: {
                X9ECParameters p = NistCurves.byName(group);
                ECDomainParameters d = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
                ECPrivateKeyParameters priv = new ECPrivateKeyParameters(new BigInteger(1, random.bytes(16)), d);
                ECPublicKeyParameters pub = new ECPublicKeyParameters(
                        p.getG().multiply(new BigInteger(1, random.bytes(16))).normalize(), d);
                ECDHBasicAgreement agreement = new ECDHBasicAgreement();
                agreement.init(priv);
                return () -> sink ^= agreement.calculateAgreement(pub).intValue();
            }
        }
    }
}
