package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.client.PersistBench;
import org.mlskit.crypto.SecureRandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A durable application message in a group of 1,000 (issue 15): sending it (encrypt, then the
 * saves of the send, the DS's acceptance and the echo) and receiving it (decrypt, then the save),
 * by the client engine with its records ({@code *Records}) and as before, a bare group saved whole
 * with Group.toBytes ({@code *Whole}). Bytes written per message are printed at the end of each
 * run. The scenario is {@link PersistBench} in mls-core.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main MessagePersistBench"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MessagePersistBench {
    @Param({"1000"})
    public int members;

    PersistBench bench;
    byte[] message;
    long bytes;
    long ops;
    String what = "";

    @Setup(Level.Trial)
    public void build() {
        bench = PersistBench.build(members, new SecureRandomSource());
    }

    /** A fresh message from carol for each receive (not measured). */
    @Setup(Level.Invocation)
    public void nextMessage() {
        message = bench.next();
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println();
        System.out.println(what + " at " + members + " members: " + (ops == 0 ? 0 : bytes / ops) + " bytes written per message ("
                + ops + " messages)");
    }

    private int count(String name, int written) {
        what = name;
        bytes += written;
        ops++;
        return written;
    }

    @Benchmark
    public int sendRecords() {
        return count("sendRecords", bench.send());
    }

    @Benchmark
    public int sendWhole() {
        return count("sendWhole", bench.sendWhole());
    }

    @Benchmark
    public int receiveRecords() {
        return count("receiveRecords", bench.receive(message));
    }

    @Benchmark
    public int receiveWhole() {
        return count("receiveWhole", bench.receiveWhole(message));
    }
}
