package org.mlskit.bench;

import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.GroupBench;
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
 * Group operations of the complete client at 10 to 10,000 members (suite 1), in a group built by
 * one commit adding everyone and in one where every member has since updated: create and process a commit with an UpdatePath, add and remove one
 * member, join from a Welcome with the tree, encrypt and encrypt+decrypt a 1 KiB application
 * message. The scenario is {@link GroupBench} in mls-core, which the TeaVM harness runs too.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main -f 1 -wi 2 -i 3 -w 1s -r 1s GroupOpsBench"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GroupOpsBench {

    @State(Scope.Benchmark)
    public static class Scenario {
        @Param({"10", "100", "1000", "10000"})
        public int members;

        @Param({GroupBench.UPDATED, GroupBench.ADDS})
        public String shape;

        GroupBench bench;

        @Setup(Level.Trial)
        public void setup() {
            bench = GroupBench.build(shape, 1, members, new SecureRandomSource());
            System.out.println("\n[sizes] " + shape + " members=" + members + " " + bench.sizes());
        }
    }

    @Benchmark
    public int commitCreate(Scenario s) {
        return s.bench.run(GroupBench.COMMIT_CREATE);
    }

    @Benchmark
    public int commitProcess(Scenario s) {
        return s.bench.run(GroupBench.COMMIT_PROCESS);
    }

    @Benchmark
    public int addOne(Scenario s) {
        return s.bench.run(GroupBench.ADD);
    }

    @Benchmark
    public int removeOne(Scenario s) {
        return s.bench.run(GroupBench.REMOVE);
    }

    @Benchmark
    public int join(Scenario s) {
        return s.bench.run(GroupBench.JOIN);
    }

    @Benchmark
    public int encrypt1k(Scenario s) {
        return s.bench.run(GroupBench.ENCRYPT);
    }

    @Benchmark
    public int encryptDecrypt1k(Scenario s) {
        return s.bench.run(GroupBench.ROUND_TRIP);
    }

    /** Messages encrypted before each iteration, so that {@link #decrypt1k} times decryption alone. */
    @State(Scope.Thread)
    public static class Inbox {
        static final int BATCH = 40_000; // more than one 2 s iteration decrypts
        byte[][] messages;
        int next;

        /** Tops the inbox up to BATCH, keeping the messages not decrypted yet (the ratchet must see them in order). */
        @Setup(Level.Iteration)
        public void fill(Scenario s) {
            int left = messages == null ? 0 : messages.length - next;
            byte[][] fresh = s.bench.encryptBatch(BATCH - left);
            byte[][] all = new byte[BATCH][];
            if (left > 0) {
                System.arraycopy(messages, next, all, 0, left);
            }
            System.arraycopy(fresh, 0, all, left, fresh.length);
            messages = all;
            next = 0;
        }
    }

    @Benchmark
    public int decrypt1k(Scenario s, Inbox inbox) {
        if (inbox.next == inbox.messages.length) {
            inbox.fill(s); // not expected within one iteration; keeps the ratchet in order if it happens
        }
        return s.bench.decrypt(inbox.messages[inbox.next++]);
    }
}
