package org.mlskit.ds.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/**
 * The delivery service's load benchmark ({@code bin/mlskit bench ds}): starts the DS in this JVM
 * (one instance, or two on one PostgreSQL database), builds groups of real MLS devices through
 * its API, subscribes every device to its mailbox by WebSocket, then runs a saturation run and
 * a run at half the rate it reached, each after a settle and a few seconds of its own load, not
 * timed. Prints a Markdown table and checks that every device got every message of its group
 * exactly once.
 */
public final class DsBench {
    /** The outcome: the figures of each run and the delivery problems (none when all is well). */
    public record Result(List<String> rows, List<String> problems, long accepted, long deliveries, long expectedDeliveries,
            double setupSeconds, List<Figures> figures) {
        public String table() {
            return Figures.header() + "\n" + String.join("\n", rows);
        }
    }

    private DsBench() {
    }

    public static void main(String[] args) throws Exception {
        // With one common-pool thread (2 cores) CompletableFuture runs every async stage on a new
        // thread, and java.net.http completes each response through one: a thread per request.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(o);
        String report = r.table() + "\n";
        System.out.println(report);
        if (o.out != null) {
            Files.writeString(Path.of(o.out), report, StandardCharsets.UTF_8);
        }
        if (!r.problems().isEmpty()) {
            System.err.println("DELIVERY PROBLEMS (" + r.problems().size() + " devices):");
            r.problems().stream().limit(20).forEach(p -> System.err.println("  " + p));
            System.exit(1);
        }
        System.exit(0);
    }

    public static Result run(BenchOptions o) throws Exception {
        List<Path> temporary = new ArrayList<>();
        try {
            return run(o, temporary);
        } finally {
            for (Path dir : temporary) {
                deleteTree(dir);
            }
        }
    }

    private static Result run(BenchOptions o, List<Path> temporary) throws Exception {
        String db = database(o, temporary);
        List<DeliveryService> servers = new ArrayList<>();
        Fleet fleet = null;
        ExecutorService setup = Fleet.pool(16);
        try {
            for (int i = 0; i < o.instances(); i++) {
                servers.add(start(db, temporary));
            }
            List<String> bases = servers.stream().map(DeliveryService::baseUrl).toList();
            fleet = new Fleet(Fleet.newHttpClient());
            long t0 = System.nanoTime();
            log("%s: %d groups of %d + %s, %d instance(s); setting up", o.engine, o.groups, o.members,
                    o.big > 0 ? "one of " + o.big : "no big group", o.instances());
            fleet.build(bases, o.groups, o.members, o.big, o.pool, setup);
            fleet.subscribe();
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            log("%d devices subscribed after %.1f s of set-up", fleet.devices.size(), setupSeconds);
            Load load = new Load(fleet);
            Checked checked = new Checked();
            if (o.warmup > 0) {
                warmUp(fleet, load, o);
                checked.checkAndForget(fleet, "warm-up");
            }
            List<String> rows = new ArrayList<>();
            List<Figures> figures = new ArrayList<>();
            prepare(load, "saturation", 0, o);
            Figures sat = timed(servers, o.engine, fleet, load, "saturation", o.seconds, 0, o.window, o.commitsPerSecond, rows);
            figures.add(sat);
            checked.checkAndForget(fleet, "saturation");
            if (o.latencyRun) {
                double rate = o.rate > 0 ? o.rate : Math.max(1, sat.acceptedPerSecond / 2);
                prepare(load, "half rate", rate, o);
                figures.add(timed(servers, o.engine, fleet, load, "half rate", o.seconds, rate, o.window, o.commitsPerSecond, rows));
                checked.checkAndForget(fleet, "half rate");
            }
            log("%,d accepted, %,d deliveries, %s", checked.accepted, checked.deliveries,
                    checked.problems.isEmpty() ? "every device got its group's messages exactly once, in order"
                            : checked.problems.size() + " device checks with delivery problems");
            return new Result(rows, checked.problems, checked.accepted, checked.deliveries, checked.expected, setupSeconds, figures);
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            setup.shutdownNow();
            for (DeliveryService s : servers) {
                s.close();
            }
        }
    }

    /**
     * Untimed saturation load so that the JIT has compiled the message path: at least
     * {@code --warmup} seconds, then slices of {@link #SLICE} seconds until the compilers used less
     * than {@code --jit-settled} of a core over the last slice, or {@code --warmup-max} seconds in all.
     * On two cores C2 still took a third of a core 60 s in, competing with what is measured. Its
     * messages count in the exactly-once check like any other.
     */
    private static void warmUp(Fleet fleet, Load load, BenchOptions o) throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        log("warm-up: at least %.0f s of saturation load, not timed, until the JIT uses less than %.2f of a core (at most %.0f s)",
                o.warmup, o.jitSettled, Math.max(o.warmup, o.warmupMax));
        long start = System.nanoTime();
        long accepted = 0;
        double slice = o.warmup;
        while (true) {
            long c0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            accepted += load.run("warm-up", slice, 0, o.window, o.commitsPerSecond).accepted.get();
            double cores = (jit.getTotalCompilationTime() - c0) / ((System.nanoTime() - t0) / 1e6);
            double elapsed = (System.nanoTime() - start) / 1e9;
            log("warm-up: %.0f s, %,d accepted; the JIT used %.2f of a core over the last %.0f s", elapsed, accepted, cores, slice);
            if (cores < o.jitSettled || elapsed + SLICE > Math.max(o.warmup, o.warmupMax)) {
                break;
            }
            slice = SLICE;
        }
        log("warm-up: all delivered %d ms after it", drain(fleet, 60));
    }

    /**
     * The exactly-once check, phase by phase: after each phase has drained, every device's receipts
     * are checked against its group's accepted messages and then forgotten. Kept for the whole
     * bench, the warm-up's millions of receipts were most of the JVM's live heap, which the server's
     * garbage collector (same JVM) marked in every cycle.
     */
    private static final class Checked {
        long accepted;
        long deliveries;
        long expected;
        final List<String> problems = new ArrayList<>();

        void checkAndForget(Fleet fleet, String phase) {
            for (String p : Figures.checkExactlyOnce(fleet)) {
                problems.add(phase + ": " + p);
            }
            for (Fleet.Room r : fleet.rooms) {
                synchronized (r) {
                    accepted += r.accepted.size();
                    expected += (long) r.accepted.size() * r.members.size();
                    r.accepted.clear();
                }
            }
            for (Fleet.Device d : fleet.devices) {
                deliveries += d.receipts.count();
                d.receipts.forget();
            }
        }
    }

    /**
     * What comes before each timed run. First the settle ({@code --settle}): one full collection,
     * then that many seconds idle; the half-rate run used to start while the saturation run's
     * garbage was being collected and PostgreSQL was writing its dirty pages back. Then the lead-in
     * ({@code --lead-in}): the run's own load, not timed, whose messages count in the exactly-once
     * check of the run that follows. Without it the half-rate run began with a switch from idle to
     * its full rate, and C2 recompiling what the new load runs differently (0.3 of a core for about
     * a second): its first 200-450 ms delivered at p50 5-20 ms against 1-3 ms for the rest, and
     * held much of its slowest 1 % (docs/benchmarks/delivery-service.md).
     */
    private static void prepare(Load load, String name, double rate, BenchOptions o) throws InterruptedException {
        if (o.settle > 0) {
            System.gc();
            Thread.sleep((long) (o.settle * 1000));
        }
        if (o.leadIn > 0) {
            load.run(name + " lead-in", o.leadIn, rate, o.window, o.commitsPerSecond);
        }
    }

    /** Seconds of each warm-up step after the first. */
    private static final double SLICE = 10;

    private static Figures timed(List<DeliveryService> servers, String engine, Fleet fleet, Load load, String name, double seconds, double rate, int window,
            double commits, List<String> rows) throws Exception {
        Cpu cpu = new Cpu();
        long[] w0 = writerStats(servers);
        long[] f0 = feedStats(servers);
        // -Ddsbench.jfr=DIR records each timed run (not the set-up) with JFR's profiling settings.
        String jfrDir = System.getProperty("dsbench.jfr");
        jdk.jfr.Recording jfr = null;
        if (jfrDir != null) {
            jfr = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            jfr.setDestination(Path.of(jfrDir, engine + "-" + name.replace(' ', '-') + ".jfr"));
            jfr.start();
        }
        cpu.begin();
        Load.Run run = load.run(name, seconds, rate, window, commits);
        Cpu.Split split = cpu.end();
        if (jfr != null) {
            jfr.stop();
            jfr.close();
        }
        long[] w1 = writerStats(servers);
        long batches = Math.max(1, w1[0] - w0[0]);
        log("%s: writer: %,d batches of %.1f operations on average, %.2f ms running them and %.2f ms committing per batch,"
                + " %.2f statements per operation", name, w1[0] - w0[0], (w1[1] - w0[1]) / (double) batches,
                (w1[2] - w0[2]) / 1e6 / batches, (w1[3] - w0[3]) / 1e6 / batches,
                (w1[4] - w0[4]) / (double) Math.max(1, w1[1] - w0[1]));
        long[] f1 = feedStats(servers);
        long drains = Math.max(1, f1[0] - f0[0]);
        log("%s: feed: %,d batches of %.1f entries (%,d handed over by a writer and delivered from memory, %,d read back instead),"
                + " per batch %.2f ms from wake-up, %.2f ms reading entries, %.2f ms routing, %.2f ms handing to sockets",
                name, f1[0] - f0[0], (f1[1] - f0[1]) / (double) drains, f1[6] - f0[6], f1[7] - f0[7],
                (f1[2] - f0[2]) / 1e6 / drains, (f1[3] - f0[3]) / 1e6 / drains, (f1[4] - f0[4]) / 1e6 / drains,
                (f1[5] - f0[5]) / 1e6 / drains);
        log("%s: cores by thread: %s", name, split.breakdown());
        long drained = drain(fleet, 60);
        Figures f = Figures.of(run, fleet.devices, split);
        rows.add(f.row(engine));
        log("%s: %,d accepted (%,.0f/s), %,.0f deliveries/s, delivery p50 %.1f ms p99 %.1f ms (acknowledged p50 %.1f ms"
                + " p99 %.1f ms); all delivered %d ms after the run", name, f.accepted, f.acceptedPerSecond, f.deliveriesPerSecond,
                f.latencyMs[0] / 1000.0, f.latencyMs[1] / 1000.0, f.ackMs[0] / 1000.0, f.ackMs[1] / 1000.0, drained);
        log("%s (from %s): the slowest 1 %% of deliveries: %s; mean: started %.1f ms behind schedule, acknowledged %.1f ms"
                + " after that, delivered %.1f ms after the acknowledgement", name, run.startedAt, f.tailWindows, f.tailMs[0],
                f.tailMs[1], f.tailMs[2]);
        return f;
    }

    private static long[] feedStats(List<DeliveryService> servers) {
        return sum(servers, s -> s.feed().stats());
    }

    private static long[] writerStats(List<DeliveryService> servers) {
        return sum(servers, s -> s.database().writerStats());
    }

    /** Counters of every instance, added up. */
    private static long[] sum(List<DeliveryService> servers, java.util.function.Function<DeliveryService, long[]> counters) {
        long[] sum = null;
        for (DeliveryService s : servers) {
            long[] c = counters.apply(s);
            sum = sum == null ? new long[c.length] : sum;
            for (int i = 0; i < c.length; i++) {
                sum[i] += c[i];
            }
        }
        return sum;
    }

    /** Waits until every accepted message reached every member (or {@code maxSeconds}); returns the ms waited. */
    private static long drain(Fleet fleet, int maxSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
            long want = 0;
            for (Fleet.Room r : fleet.rooms) {
                synchronized (r) {
                    want += (long) r.accepted.size() * r.members.size();
                }
            }
            long got = fleet.devices.stream().mapToLong(d -> d.receipts.count()).sum();
            if (got >= want) {
                break;
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** A fresh database: a SQLite file in a temporary directory or a new PostgreSQL database. */
    private static String database(BenchOptions o, List<Path> temporary) throws Exception {
        if (o.engine.equals("sqlite")) {
            Path dir = Files.createTempDirectory("ds-bench");
            temporary.add(dir);
            return "sqlite:" + dir.resolve("ds.sqlite");
        }
        String name = "dsbench_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(o.pgUrl); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = o.pgUrl.replaceFirst("(jdbc:postgresql://[^/?]+)/[^?]*", "$1/" + name);
        return "postgres:" + url;
    }

    private static DeliveryService start(String db, List<Path> temporary) throws Exception {
        Path tmp = Files.createTempDirectory("ds-bench");
        temporary.add(tmp);
        DeliveryServiceConfig.Limits limits = DeliveryServiceConfig.Limits.DEFAULT.withClaims(1_000_000, 1_000_000);
        DeliveryServiceConfig c = new DeliveryServiceConfig("127.0.0.1", 0, tmp.resolve("web"), tmp.resolve("teavm"),
                tmp.resolve("vectors"), tmp.resolve("pkg"), db, tmp.resolve("data"), limits);
        return new DeliveryService(c).start();
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            log("could not remove %s: %s", dir, e.getMessage());
        }
    }

    static void log(String format, Object... args) {
        System.err.println("bench ds: " + String.format(Locale.ROOT, format, args));
    }
}
