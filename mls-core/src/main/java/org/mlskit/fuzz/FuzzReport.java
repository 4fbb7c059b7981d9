package org.mlskit.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one run: executions, acceptances, rejections by error code, and every failure with its replay. */
public final class FuzzReport {
    /** Failures kept in full; beyond this only counted. */
    private static final int KEPT = 20;

    public final String target;
    public final int seed;
    private int executions;
    private int accepted;
    private int failed;
    private final Map<String, Integer> rejected = new TreeMap<>();
    private final List<Failure> failures = new ArrayList<>();

    /** One bug: the iteration that found it (replay it with the seed), its case and what broke. */
    public static final class Failure {
        public final int iteration;
        public final FuzzCase fuzzCase;
        public final String detail;

        Failure(int iteration, FuzzCase fuzzCase, String detail) {
            this.iteration = iteration;
            this.fuzzCase = fuzzCase;
            this.detail = detail;
        }

        /** The one-line command that replays it. */
        public String replay() {
            return "bin/mlskit fuzz --target " + fuzzCase.target + " --seed " + fuzzCase.seed + " --from " + iteration
                    + " --iterations 1 --max-members " + fuzzCase.maxMembers + " --suites " + (fuzzCase.scenario + 1);
        }
    }

    FuzzReport(String target, int seed) {
        this.target = target;
        this.seed = seed;
    }

    void record(int iteration, FuzzCase c, Outcome o) {
        executions++;
        switch (o.kind) {
            case ACCEPTED:
                accepted++;
                break;
            case REJECTED: {
                String k = o.code.name();
                Integer n = rejected.get(k);
                rejected.put(k, n == null ? 1 : n + 1);
                break;
            }
            default:
                failed++;
                if (failures.size() < KEPT) {
                    failures.add(new Failure(iteration, c, o.detail));
                }
        }
    }

    /** This report and a later one of the same target and seed, added up. */
    public FuzzReport merge(FuzzReport later) {
        FuzzReport out = new FuzzReport(target, seed);
        for (FuzzReport r : new FuzzReport[] {this, later}) {
            out.executions += r.executions;
            out.accepted += r.accepted;
            out.failed += r.failed;
            for (Map.Entry<String, Integer> e : r.rejected.entrySet()) {
                Integer n = out.rejected.get(e.getKey());
                out.rejected.put(e.getKey(), n == null ? e.getValue() : n + e.getValue());
            }
            for (Failure f : r.failures) {
                if (out.failures.size() < KEPT) {
                    out.failures.add(f);
                }
            }
        }
        return out;
    }

    public int executions() {
        return executions;
    }

    public int accepted() {
        return accepted;
    }

    public int failed() {
        return failed;
    }

    public Map<String, Integer> rejected() {
        return rejected;
    }

    public List<Failure> failures() {
        return failures;
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(target).append(" seed=").append(seed).append(": ").append(executions).append(" executions, ")
                .append(accepted).append(" accepted, ").append(executions - accepted - failed).append(" rejected ")
                .append(rejected).append(", ").append(failed).append(" untyped/inconsistent");
        for (Failure f : failures) {
            sb.append("\n  FAIL iteration ").append(f.iteration).append(": ").append(f.detail).append("\n    replay: ")
                    .append(f.replay());
        }
        return sb.toString();
    }
}
