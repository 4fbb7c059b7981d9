package org.mlskit.ds.bench;

import java.util.ArrayList;
import java.util.List;

/** The load generator's options ({@code bin/mlskit bench ds --help}). */
public final class BenchOptions {
    public static final String USAGE = String.join("\n",
            "usage: DsBench [--engine sqlite|postgres|postgres2] [--pg-url JDBC_URL] [--seconds S] [--groups N]",
            "               [--members M] [--big B] [--rate R] [--window W] [--commits-per-second C] [--pool P] [--warmup S]",
            "               [--warmup-max S] [--jit-settled CORES] [--settle S] [--lead-in S] [--out FILE]",
            "  --engine     sqlite (a fresh file in a temporary directory), postgres (one DS instance) or postgres2",
            "               (two DS instances on one database, devices spread over both); default sqlite",
            "  --pg-url     an administrative JDBC URL of a PostgreSQL cluster (a fresh database is created in it)",
            "  --seconds    length of each timed run (saturation, then half rate); default 10",
            "  --warmup     seconds of untimed saturation load first, so the JIT has compiled the message path; default 20",
            "  --warmup-max the warm-up goes on in 10 s steps until the JIT compilers use less than --jit-settled of a core",
            "               (default 0.10), or this many seconds in all (default 120; no more than --warmup to turn it off)",
            "  --groups/--members  the small groups (default 100 of 10 devices); --big  one more group of B devices (default 100, 0 for none)",
            "  --rate       messages/s of the latency run (default: half the accepted rate the saturation run reached)",
            "  --window     requests in flight during the saturation run (default 256)",
            "  --commits-per-second  update commits mixed in, spread over the groups (default 5)",
            "  --pool       pre-encrypted application messages per device, sent round robin (default 16)",
            "  --settle     seconds idle, after a full garbage collection, before each timed run (default 3)",
            "  --lead-in    seconds of a timed run's own load, not timed, right before it (after the settle), so that the",
            "               run measures that load's steady state rather than the switch to it (default 3; 0 for none)",
            "  --out FILE   also write the figures as Markdown to FILE");

    public String engine = "sqlite";
    public String pgUrl;
    public double seconds = 10;
    public double warmup = 20;
    public double warmupMax = 120;
    public double jitSettled = 0.10;
    public double settle = 3;
    public double leadIn = 3;
    public int groups = 100;
    public int members = 10;
    public int big = 100;
    public double rate;
    public int window = 256;
    public double commitsPerSecond = 5;
    public int pool = 16;
    public String out;
    /** The smoke test skips the half-rate run when it only checks delivery. */
    public boolean latencyRun = true;

    public static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            if (k.equals("-h") || k.equals("--help")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException(k + " needs a value\n" + USAGE);
            }
            String v = a.get(++i);
            try {
                switch (k) {
                    case "--engine" -> o.engine = v;
                    case "--pg-url" -> o.pgUrl = v;
                    case "--seconds" -> o.seconds = Double.parseDouble(v);
                    case "--warmup" -> o.warmup = Double.parseDouble(v);
                    case "--warmup-max" -> o.warmupMax = Double.parseDouble(v);
                    case "--jit-settled" -> o.jitSettled = Double.parseDouble(v);
                    case "--groups" -> o.groups = Integer.parseInt(v);
                    case "--members" -> o.members = Integer.parseInt(v);
                    case "--big" -> o.big = Integer.parseInt(v);
                    case "--rate" -> o.rate = Double.parseDouble(v);
                    case "--window" -> o.window = Integer.parseInt(v);
                    case "--commits-per-second" -> o.commitsPerSecond = Double.parseDouble(v);
                    case "--pool" -> o.pool = Integer.parseInt(v);
                    case "--settle" -> o.settle = Double.parseDouble(v);
                    case "--lead-in" -> o.leadIn = Double.parseDouble(v);
                    case "--out" -> o.out = v;
                    default -> throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " needs a number, got " + v);
            }
        }
        if (!List.of("sqlite", "postgres", "postgres2").contains(o.engine)) {
            throw new IllegalArgumentException("--engine must be sqlite, postgres or postgres2");
        }
        if (!o.engine.equals("sqlite") && o.pgUrl == null) {
            throw new IllegalArgumentException("--engine " + o.engine + " needs --pg-url (bin/mlskit bench ds starts a cluster)");
        }
        if (o.members < 2 || o.groups < 0 || (o.big != 0 && o.big < 2) || o.groups + o.big == 0 || o.pool < 1
                || o.window < 1 || o.seconds <= 0 || o.warmup < 0 || o.settle < 0 || o.leadIn < 0) {
            throw new IllegalArgumentException("groups need at least 2 members; pool, window and seconds must be positive;"
                    + " warm-up, settle and lead-in not negative");
        }
        return o;
    }

    /** DS instances the engine runs. */
    public int instances() {
        return engine.equals("postgres2") ? 2 : 1;
    }
}
