package org.mlskit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.ScaleBench;

/**
 * One run of {@link ScaleBench} at sizes too big for JMH's repetitions (10,000 members): the batch
 * add and the cold join, each in wall-clock and thread CPU time, and the peak heap in use. Not part
 * of the test command.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 *   /usr/bin/time -v java -Xmx4g -cp mls-core/target/test-classes:mls-core/target/classes:$(cat /tmp/cp.txt) \
 *     org.mlskit.bench.ScaleRun 10000 [suite]
 * </pre>
 */
public final class ScaleRun {
    private ScaleRun() {
    }

    public static void main(String[] args) {
        int members = Integer.parseInt(args[0]);
        int suite = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        ScaleBench b = ScaleBench.build(suite, members, new SecureRandomSource());
        b.prepareAdd();
        long t1 = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        b.add();
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        b.prepareJoin();
        long t3 = System.nanoTime();
        long c3 = cpu.getCurrentThreadCpuTime();
        b.join();
        long t4 = System.nanoTime();
        long c4 = cpu.getCurrentThreadCpuTime();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("jvm members=%d suite=%d setup=%.0f ms add=%.0f ms (cpu %.0f) join=%.0f ms (cpu %.0f) peak-heap=%d MiB%n",
                members, suite, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (c2 - c1) / 1e6, (t4 - t3) / 1e6, (c4 - c3) / 1e6, peak >> 20);
    }
}
