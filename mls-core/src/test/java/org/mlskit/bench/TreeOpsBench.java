package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.tree.UpdatePath;
import org.mlskit.vectors.TreeBench;
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
 * Ratchet-tree operations at 10 to 10,000 members, in a tree where every member has updated
 * (parents populated) and in one built by adds only (parents blank): the tree hash after one leaf
 * changes, a committer's UpdatePath (create + encrypt) and a receiver's processing of it
 * (merge + decrypt). The scenario is {@link TreeBench} in mls-core (the TeaVM harness runs the
 * same one); its public-key operation counts come from {@link TreeOpsCounts}.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main -f 1 -wi 2 -i 3 -w 1s -r 1s TreeOpsBench"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TreeOpsBench {

    @State(Scope.Benchmark)
    public static class Scenario {
        @Param({"10", "100", "1000", "10000"})
        public int leaves;

        @Param({TreeBench.UPDATED, TreeBench.ADDS})
        public String shape;

        TreeBench bench;

        @Setup(Level.Trial)
        public void setup() {
            bench = TreeBench.build(shape, leaves, new SecureRandomSource());
        }
    }

    /**
     * No parameters, so JMH runs these once: the DeriveKeyPair floor, and the HPKE open floor as
     * TreeKEM calls it (with the recipient's public key, unlike {@code HpkeBench.open}).
     */
    @State(Scope.Benchmark)
    public static class Floor {
        TreeBench bench;

        @Setup(Level.Trial)
        public void setup() {
            bench = TreeBench.build(TreeBench.ADDS, 2, new SecureRandomSource());
        }
    }

    @Benchmark
    public byte[] treeHashAfterOneLeafChange(Scenario s) {
        return s.bench.treeHashAfterOneLeafChange();
    }

    @Benchmark
    public UpdatePath createPath(Scenario s) {
        return s.bench.createPath();
    }

    @Benchmark
    public byte[] processPath(Scenario s) {
        return s.bench.processPath();
    }

    @Benchmark
    public byte[] deriveKeyPair(Floor f) {
        return f.bench.deriveKeyPair();
    }

    @Benchmark
    public byte[] hpkeOpenWithPublicKey(Floor f) {
        return f.bench.hpkeOpen();
    }
}
