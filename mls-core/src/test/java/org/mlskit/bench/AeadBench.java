package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.Aead;
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
 * {@link Aead#seal} / {@link Aead#open} with 16 bytes of AAD, on 1 KiB and 64 KiB plaintexts.
 * Each call builds a fresh BouncyCastle cipher (key schedule included), as mlskit does. The nonce
 * is fixed across calls: harmless for a benchmark, never do it for real.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AeadBench {
    @Param({"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    public Aead aead;

    @Param({"1024", "65536"})
    public int size;

    private byte[] key;
    private byte[] nonce;
    private byte[] aad;
    private byte[] plaintext;
    private byte[] ciphertext;

    @Setup
    public void setup() {
        SecureRandomSource random = new SecureRandomSource();
        key = random.bytes(aead.keyLength());
        nonce = random.bytes(aead.nonceLength());
        aad = random.bytes(16);
        plaintext = random.bytes(size);
        ciphertext = aead.seal(key, nonce, aad, plaintext);
        if (!java.util.Arrays.equals(plaintext, open())) {
            throw new IllegalStateException("AEAD round trip failed");
        }
    }

    @Benchmark
    public byte[] seal() {
        return aead.seal(key, nonce, aad, plaintext);
    }

    @Benchmark
    public byte[] open() {
        return aead.open(key, nonce, aad, ciphertext);
    }
}
