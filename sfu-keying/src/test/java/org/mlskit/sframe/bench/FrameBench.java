package org.mlskit.sframe.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.sframe.SFrameBench;
import org.mlskit.sframe.SFrameSuite;
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
 * SFrame frame encryption and decryption ({@link SFrameBench}) per cipher suite, for a 100-byte
 * audio frame and a 6,250-byte frame (the average 720p30 video frame at 1.5 Mbit/s).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FrameBench {
    @Param({"AES_128_CTR_HMAC_SHA256_80", "AES_128_CTR_HMAC_SHA256_64", "AES_128_CTR_HMAC_SHA256_32",
        "AES_128_GCM_SHA256_128", "AES_256_GCM_SHA512_128",
        "AES_256_CTR_HMAC_SHA512_80", "AES_256_CTR_HMAC_SHA512_64", "AES_256_CTR_HMAC_SHA512_32"})
    public SFrameSuite suite;

    @Param({"100", "6250"})
    public int size;

    private SFrameBench bench;

    @Setup
    public void setup() {
        bench = new SFrameBench(suite, size);
    }

    @Benchmark
    public byte[] encrypt() {
        return bench.encrypt();
    }

    @Benchmark
    public byte[] decrypt() {
        return bench.decrypt();
    }
}
