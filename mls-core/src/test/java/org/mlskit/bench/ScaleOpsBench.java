package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.ScaleBench;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Group size at scale (suite 1), each run timed alone (single shot, set-up untimed): adding N - 1
 * members to a group of one in one commit (Welcome included), and a new member joining from that
 * Welcome with the whole tree in it and every check of RFC 9420 §12.4.3.1, its verifier's key
 * caches emptied first as in a fresh process. The scenario is {@link ScaleBench} in mls-core.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main -prof gc ScaleOpsBench"
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
public class ScaleOpsBench {

    @State(Scope.Benchmark)
    public static class Scenario {
        @Param({"1000", "3000"})
        public int members;

        ScaleBench bench;

        @Setup(Level.Trial)
        public void build() {
            bench = ScaleBench.build(1, members, new SecureRandomSource());
        }
    }

    @State(Scope.Thread)
    public static class AddState {
        @Setup(Level.Invocation)
        public void fresh(Scenario s) {
            s.bench.prepareAdd();
        }
    }

    @State(Scope.Thread)
    public static class JoinState {
        @Setup(Level.Invocation)
        public void fresh(Scenario s) {
            s.bench.prepareJoin();
        }
    }

    @Benchmark
    public int batchAdd(Scenario s, AddState a) {
        return s.bench.add();
    }

    @Benchmark
    public int joinBigWelcome(Scenario s, JoinState j) {
        return s.bench.join();
    }
}
