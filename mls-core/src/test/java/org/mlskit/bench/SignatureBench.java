package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.crypto.SignatureScheme;
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
 * {@link SignatureScheme#sign} and {@link SignatureScheme#verify} of a 64-byte message, as mlskit
 * calls them: keys arrive as bytes and are decoded on every call (ECDSA public keys are checked to
 * be on the curve; ECDSA nonces are RFC 6979 deterministic).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SignatureBench {
    @Param({"ED25519", "ED448", "ECDSA_SECP256R1_SHA256", "ECDSA_SECP384R1_SHA384", "ECDSA_SECP521R1_SHA512"})
    public SignatureScheme scheme;

    private byte[] privateKey;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setup() {
        SecureRandomSource random = new SecureRandomSource();
        KeyPair kp = scheme.generateKeyPair(random);
        privateKey = kp.privateKey();
        publicKey = kp.publicKey();
        message = random.bytes(64);
        signature = scheme.sign(privateKey, message);
        if (!scheme.verify(publicKey, message, signature)) {
            throw new IllegalStateException("signature does not verify");
        }
    }

    @Benchmark
    public byte[] sign() {
        return scheme.sign(privateKey, message);
    }

    @Benchmark
    public boolean verify() {
        return scheme.verify(publicKey, message, signature);
    }
}
