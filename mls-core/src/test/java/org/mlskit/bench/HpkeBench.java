package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
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
 * EncryptWithLabel / DecryptWithLabel (HPKE base mode, RFC 9420 §5.1.3) of a 32-byte plaintext
 * (the size of a path secret) for each KEM, through the suite named in {@link BenchSuites}.
 * seal = ephemeral key generation (fixed-base multiplication, randomness from SecureRandom) + one
 * DH + key schedule + AEAD; open = private-key decoding (which recomputes the public key: a
 * fixed-base multiplication) + one DH + key schedule + AEAD.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HpkeBench {
    private static final String LABEL = "UpdatePathNode";

    @Param({"X25519", "X448", "P256", "P384", "P521"})
    public String kem;

    private CipherSuite suite;
    private RandomSource random;
    private byte[] publicKey;
    private byte[] privateKey;
    private byte[] context;
    private byte[] plaintext;
    private byte[] kemOutput;
    private byte[] ciphertext;

    @Setup
    public void setup() {
        suite = BenchSuites.forKem(kem);
        random = new SecureRandomSource();
        KeyPair kp = suite.hpke().generateKeyPair(random);
        publicKey = kp.publicKey();
        privateKey = kp.privateKey();
        context = random.bytes(64);
        plaintext = random.bytes(32);
        HpkeCiphertext ct = suite.encryptWithLabel(publicKey, LABEL, context, plaintext, random);
        kemOutput = ct.kemOutput();
        ciphertext = ct.ciphertext();
        if (!java.util.Arrays.equals(plaintext, open())) {
            throw new IllegalStateException("HPKE round trip failed");
        }
    }

    @Benchmark
    public HpkeCiphertext seal() {
        return suite.encryptWithLabel(publicKey, LABEL, context, plaintext, random);
    }

    @Benchmark
    public byte[] open() {
        return suite.decryptWithLabel(privateKey, LABEL, context, kemOutput, ciphertext);
    }
}
