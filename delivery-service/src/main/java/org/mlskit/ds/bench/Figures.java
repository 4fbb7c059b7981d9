package org.mlskit.ds.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The figures of one timed run, computed after it from the receipts every device recorded. */
final class Figures {
    final String name;
    final double seconds;
    final double targetRate;
    final long accepted;
    final long refused;
    final String errors;
    final double acceptedPerSecond;
    final long deliveriesInWindow;
    final double deliveriesPerSecond;
    final long deliveries;
    final long[] latencyMs;
    final long[] commitMs;
    /** Send to acknowledgement (stored durably) of application messages: p50, p99, max. */
    final long[] ackMs;
    final int commits;
    final long late;
    /**
     * Where the slowest 1 % of deliveries spent their time, mean ms: the generator starting the send
     * behind schedule, the send's acknowledgement after that, and the delivery after the acknowledgement.
     */
    final double[] tailMs;
    /** How many distinct messages the slowest 1 % were, and their count per 100 ms window of the run. */
    final String tailWindows;
    final Cpu.Split cpu;

    private Figures(Load.Run run, List<Fleet.Device> devices, Cpu.Split cpu) {
        name = run.name;
        seconds = run.seconds();
        targetRate = run.targetRate;
        accepted = run.accepted.get();
        refused = run.refused.get();
        errors = run.errors.toString();
        acceptedPerSecond = accepted / seconds;
        commits = run.commits;
        late = run.late;
        this.cpu = cpu;
        long inWindow = 0;
        long all = 0;
        long[] lat = new long[1024];
        long[] seqOf = new long[1024];
        int n = 0;
        for (Fleet.Device d : devices) {
            Receipts r = d.receipts;
            int count = r.count();
            for (int i = 0; i < count; i++) {
                Long sent = run.sentAt.get(r.seq(i));
                if (sent == null) {
                    continue;
                }
                long t = r.time(i);
                all++;
                if (t >= run.start && t <= run.end) {
                    inWindow++;
                }
                if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                    seqOf = Arrays.copyOf(seqOf, n * 2);
                }
                seqOf[n] = r.seq(i);
                lat[n++] = t - sent;
            }
        }
        deliveries = all;
        deliveriesInWindow = inWindow;
        deliveriesPerSecond = inWindow / seconds;
        long[] sorted = Arrays.copyOf(lat, n);
        latencyMs = percentiles(sorted);
        Tail t = n == 0 ? new Tail(new double[] {0, 0, 0}, "none") : tail(run, lat, seqOf, n, at(sorted, 0.99));
        tailMs = t.ms();
        tailWindows = t.windows();
        commitMs = percentiles(run.commitLatencies.clone());
        ackMs = percentiles(run.ackedAfter.values().stream().mapToLong(Long::longValue).toArray());
    }

    /** See {@link #tailMs} and {@link #tailWindows}. */
    private record Tail(double[] ms, String windows) {
    }

    /** The tail breakdown of the deliveries slower than {@code cut} among the first {@code n}. */
    private static Tail tail(Load.Run run, long[] lat, long[] seqs, int n, long cut) {
        double late = 0;
        double acked = 0;
        double after = 0;
        int counted = 0;
        java.util.TreeMap<Long, Integer> windows = new java.util.TreeMap<>();
        java.util.Set<Long> messages = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            Long ack = run.ackedAfter.get(seqs[i]);
            if (lat[i] < cut || ack == null) {
                continue; // commits have no acknowledgement figure
            }
            messages.add(seqs[i]);
            windows.merge((run.sentAt.get(seqs[i]) - run.start) / 100_000_000L, 1, Integer::sum);
            long l = run.startedLate.getOrDefault(seqs[i], 0L);
            late += l;
            acked += ack - l;
            after += lat[i] - ack;
            counted++;
        }
        String where = messages.size() + " messages sent in " + windows.size() + " windows of 100 ms: " + windows;
        return new Tail(counted == 0 ? new double[] {0, 0, 0} : new double[] {late / counted / 1e6, acked / counted / 1e6, after / counted / 1e6},
                where);
    }

    static Figures of(Load.Run run, List<Fleet.Device> devices, Cpu.Split cpu) {
        return new Figures(run, devices, cpu);
    }

    /** p50, p99, max in milliseconds (tenths kept as ×10 would be overkill: microseconds / 1000). */
    private static long[] percentiles(long[] nanos) {
        if (nanos.length == 0) {
            return new long[] {-1, -1, -1};
        }
        Arrays.sort(nanos);
        return new long[] {at(nanos, 0.50) / 1000, at(nanos, 0.99) / 1000, nanos[nanos.length - 1] / 1000};
    }

    /** The {@code p} quantile of sorted, non-empty {@code values}. */
    private static long at(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /** One Markdown table row. */
    String row(String engine) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %,d | %,.0f | %,.0f | %s / %s / %s | %d: %s / %s / %s | %s | %.0f | %s |",
                engine, name, targetRate > 0 ? String.format(Locale.ROOT, "%,.0f/s", targetRate) : "window",
                seconds, accepted, acceptedPerSecond, deliveriesPerSecond, ms(latencyMs[0]), ms(latencyMs[1]), ms(latencyMs[2]),
                commits, ms(commitMs[0]), ms(commitMs[1]), ms(commitMs[2]), cpu,
                accepted == 0 ? 0 : cpu.ds() * seconds / accepted * 1e6, refused == 0 && late == 0 ? "none"
                        : refused + " refused " + errors + (late > 0 ? ", " + late + " late sends" : ""));
    }

    static String header() {
        return "| engine | run | load | s | accepted | accepted/s | deliveries/s | delivery p50 / p99 / max ms"
                + " | commits: p50 / p99 / max ms | CPU cores: DS + generator | DS CPU µs per message | errors |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    /** Every device received exactly the messages accepted in its group during the runs, in order, once. */
    static List<String> checkExactlyOnce(Fleet fleet) {
        List<String> problems = new ArrayList<>();
        for (Fleet.Device d : fleet.devices) {
            Fleet.Room room = fleet.roomOf[d.index];
            long[] want;
            synchronized (room) {
                want = room.accepted.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            Receipts r = d.receipts;
            int count = r.count();
            long[] got = new long[count];
            for (int i = 0; i < count; i++) {
                got[i] = r.seq(i);
            }
            if (!Arrays.equals(want, got)) {
                long[] sorted = got.clone();
                Arrays.sort(sorted);
                int dup = 0;
                for (int i = 1; i < sorted.length; i++) {
                    dup += sorted[i] == sorted[i - 1] ? 1 : 0;
                }
                problems.add(d.ds.user() + ": expected " + want.length + " entries, got " + got.length + " (" + dup
                        + " duplicates" + (Arrays.equals(sorted, got) ? "" : ", out of order") + ")");
            }
        }
        return problems;
    }
}
