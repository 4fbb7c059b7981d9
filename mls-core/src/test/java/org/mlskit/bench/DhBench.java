package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.RawAgreement;
import org.bouncycastle.crypto.agreement.BasicRawAgreement;
import org.bouncycastle.crypto.agreement.ECDHCBasicAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.agreement.X448Agreement;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.Hpke;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.SecureRandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One elliptic-curve scalar multiplication per operation, for each HPKE KEM curve.
 *
 * <ul>
 *   <li>{@code derivePublicKey}: {@link Hpke#publicKey(byte[])}, which deserializes a private key
 *       and computes its public key: one fixed-base scalar multiplication (BouncyCastle's
 *       X25519/X448 base-point ladder, or its fixed-point comb for the NIST curves) plus encoding.
 *       Hpke.open pays this once per call.</li>
 *   <li>{@code dh}: the Diffie-Hellman that DHKEM's Encap/Decap perform, with the very
 *       RawAgreement class BouncyCastle's DHKEM uses (X25519Agreement, X448Agreement,
 *       BasicRawAgreement(ECDHCBasicAgreement)) on keys deserialized by the same HPKE instance:
 *       one variable-base scalar multiplication. Hpke.seal and Hpke.open each pay this once.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DhBench {
    @Param({"X25519", "X448", "P256", "P384", "P521"})
    public String kem;

    private Hpke hpke;
    private byte[] privateKey;
    private AsymmetricKeyParameter rawPrivate;
    private AsymmetricKeyParameter rawPeerPublic;
    private RawAgreement agreement;
    private byte[] shared;

    @Setup
    public void setup() {
        CipherSuite cs = BenchSuites.forKem(kem);
        SecureRandomSource random = new SecureRandomSource();
        hpke = cs.hpke();
        KeyPair mine = hpke.generateKeyPair(random);
        KeyPair peer = hpke.generateKeyPair(random);
        privateKey = mine.privateKey();

        HPKE bc = new HPKE(HPKE.mode_base, (short) cs.kem().id(), (short) 1, (short) 1);
        AsymmetricCipherKeyPair kp = bc.deserializePrivateKey(mine.privateKey(), null);
        rawPrivate = kp.getPrivate();
        rawPeerPublic = bc.deserializePublicKey(peer.publicKey());
        switch (kem) {
            case "X25519":
                agreement = new X25519Agreement();
                break;
            case "X448":
                agreement = new X448Agreement();
                break;
            default:
                agreement = new BasicRawAgreement(new ECDHCBasicAgreement());
        }
        agreement.init(rawPrivate); // the EC agreement knows its size only once it has a key
        shared = new byte[agreement.getAgreementSize()];
    }

    @Benchmark
    public byte[] derivePublicKey() {
        return hpke.publicKey(privateKey);
    }

    @Benchmark
    public byte[] dh() {
        agreement.init(rawPrivate);
        agreement.calculateAgreement(rawPeerPublic, shared, 0);
        return shared;
    }
}
