package org.mlskit.ds.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of the DS's threads and of the generator's, which share one JVM (and the machine's
 * two cores): threads are told apart by name (the generator's are bench-*, and java.net.http's during set-up).
 */
final class Cpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Cores used on average by each side over a run, and by each family of threads (name without its number). */
    record Split(double ds, double generator, double machine, Map<String, Double> threads) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f + %.2f (machine %.2f of %d)", ds, generator, machine,
                    Runtime.getRuntime().availableProcessors());
        }

        /** The families above 0.01 cores, busiest first: where the CPU went. */
        String breakdown() {
            StringBuilder b = new StringBuilder();
            threads.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                    .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                    .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey())
                            .append(String.format(Locale.ROOT, " %.2f", e.getValue())));
            return b.toString();
        }
    }

    private final Map<Long, Long> start = new HashMap<>();
    private final Map<Long, Boolean> generator = new HashMap<>();
    private long wallStart;
    private long[] machineStart;

    void begin() {
        start.clear();
        wallStart = System.nanoTime();
        machineStart = Machine.ticks();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                start.put(t.getThreadId(), THREADS.getThreadCpuTime(t.getThreadId()));
                generator.put(t.getThreadId(), isGenerator(t.getThreadName()));
            }
        }
    }

    Split end() {
        double wall = System.nanoTime() - wallStart;
        long ds = 0;
        long gen = 0;
        Map<String, Double> families = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - start.getOrDefault(t.getThreadId(), 0L);
            families.merge(t.getThreadName().replaceAll("[-#]?\\d+$", ""), used / wall, Double::sum);
            if (isGenerator(t.getThreadName())) {
                gen += used;
            } else {
                ds += used;
            }
        }
        return new Split(ds / wall, gen / wall, Machine.busy(machineStart, Machine.ticks()), families);
    }

    private static boolean isGenerator(String name) {
        return name.startsWith("HttpClient") || name.startsWith("bench") || name.equals("main")
                || name.startsWith("ForkJoinPool.commonPool");
    }

    /** Whole-machine busy cores from /proc/stat (0 where it is missing). */
    static final class Machine {
        static long[] ticks() {
            try {
                String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
                String[] f = first.trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {total, idle};
            } catch (Exception e) {
                return new long[] {0, 0};
            }
        }

        static double busy(long[] a, long[] b) {
            long total = b[0] - a[0];
            if (total <= 0) {
                return 0;
            }
            return (double) (total - (b[1] - a[1])) / total * Runtime.getRuntime().availableProcessors();
        }
    }
}
