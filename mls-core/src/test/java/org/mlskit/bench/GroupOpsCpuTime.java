package org.mlskit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.GroupBench;

/**
 * The {@link GroupBench} operations timed in the thread's CPU time rather than wall-clock time,
 * for machines that other work keeps busy (JMH measures wall-clock time only). Per operation: three
 * warm-up runs, then five rounds of at least 1.5 s of CPU time; prints a Markdown row with the
 * median and the best round.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 *   java -cp mls-core/target/test-classes:mls-core/target/classes:$(cat /tmp/cp.txt) \
 *     org.mlskit.bench.GroupOpsCpuTime 10,100,1000 updated,adds
 * </pre>
 */
public final class GroupOpsCpuTime {
    private GroupOpsCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String shape : args[1].split(",")) {
            for (String members : args[0].split(",")) {
                GroupBench bench = GroupBench.build(shape, 1, Integer.parseInt(members), new SecureRandomSource());
                for (String op : GroupBench.OPERATIONS) {
                    for (int w = 0; w < 3; w++) {
                        bench.run(op);
                    }
                    double[] rounds = new double[5];
                    for (int r = 0; r < rounds.length; r++) {
                        long start = cpu.getCurrentThreadCpuTime();
                        int n = 0;
                        while (n < 3 || cpu.getCurrentThreadCpuTime() - start < 1_500_000_000L) {
                            bench.run(op);
                            n++;
                        }
                        rounds[r] = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / n;
                    }
                    Arrays.sort(rounds);
                    System.out.printf("| %s | %s | %s | %s | %s |%n", shape, members, op, format(rounds[2]), format(rounds[0]));
                }
                // Decryption alone: messages encrypted first, outside the timed loop.
                double[] rounds = new double[5];
                for (int r = 0; r < rounds.length; r++) {
                    byte[][] inbox = bench.encryptBatch(5000);
                    long start = cpu.getCurrentThreadCpuTime();
                    for (byte[] m : inbox) {
                        bench.decrypt(m);
                    }
                    rounds[r] = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / inbox.length;
                }
                Arrays.sort(rounds);
                System.out.printf("| %s | %s | decrypt | %s | %s |%n", shape, members, format(rounds[2]), format(rounds[0]));
            }
        }
    }

    private static String format(double micros) {
        return micros >= 1000 ? String.format("%.2f ms", micros / 1000) : String.format("%.0f µs", micros);
    }
}
