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
    private long wallStart;
    private long[] machineStart;

    private long processStart;

    /** CPU time of the whole JVM (every thread, GC and JIT included), or -1. */
    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private Map<Long, Task> tasksStart = Map.of();

    void begin() {
        processStart = processCpu();
        tasksStart = Task.all();
        start.clear();
        wallStart = System.nanoTime();
        machineStart = Machine.ticks();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                start.put(t.getThreadId(), THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
    }

    Split end() {
        double wall = System.nanoTime() - wallStart;
        long ds = 0;
        long gen = 0;

        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - start.getOrDefault(t.getThreadId(), 0L);

            if (isGenerator(t.getThreadName())) {
                gen += used;
            } else {
                ds += used;
            }
        }
        Map<String, Double> families = new HashMap<>();
        Map<Long, Task> tasksNow = Task.all();
        long named = 0;
        for (Map.Entry<Long, Task> e : tasksNow.entrySet()) {
            Task before = tasksStart.get(e.getKey());
            long used = e.getValue().cpuNanos() - (before == null ? 0 : before.cpuNanos());
            named += used;
            families.merge(e.getValue().family(), used / wall, Double::sum);
        }
        long process = processCpu();
        if (process >= 0 && processStart >= 0 && !tasksNow.isEmpty()) {
            families.put("(threads that ended)", Math.max(0, process - processStart - named) / wall);
        }
        return new Split(ds / wall, gen / wall, Machine.busy(machineStart, Machine.ticks()), families);
    }

    private static boolean isGenerator(String name) {
        return name.startsWith("HttpClient") || name.startsWith("bench") || name.equals("main")
                || name.startsWith("ForkJoinPool.commonPool");
    }

    /** One thread of this process as the kernel sees it: its name without its number, and its CPU time. */
    record Task(String family, long cpuNanos) {
        /**
         * Every thread from /proc/self/task by id (Linux; empty elsewhere). Unlike ThreadMXBean it
         * sees the VM's own threads (GC, JIT compilers); names are the kernel's (15 characters).
         */
        static Map<Long, Task> all() {
            Map<Long, Task> out = new HashMap<>();
            java.nio.file.Path dir = java.nio.file.Path.of("/proc/self/task");
            if (!java.nio.file.Files.isDirectory(dir)) {
                return out;
            }
            long tick = 10_000_000L; // USER_HZ is 100 on Linux
            try (var tasks = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                    try {
                        String stat = java.nio.file.Files.readString(t.resolve("stat"));
                        int close = stat.lastIndexOf(')');
                        String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("[-#]?\\d+$", "").trim();
                        String[] f = stat.substring(close + 2).split(" ");
                        long cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick; // utime, stime
                        out.put(Long.parseLong(t.getFileName().toString()), new Task(name, cpu));
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended while being read
                    }
                }
            } catch (java.io.IOException e) {
                return out;
            }
            return out;
        }
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
