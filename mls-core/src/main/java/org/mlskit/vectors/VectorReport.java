package org.mlskit.vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pass and fail counts of one vector file, per cipher suite (0 for suite-independent vectors). */
public final class VectorReport {
    private final String type;
    private final Map<Integer, int[]> bySuite = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int passed;
    private int failed;

    public VectorReport(String type) {
        this.type = type;
    }

    void pass(int suite) {
        counts(suite)[0]++;
        passed++;
    }

    void fail(int suite, int entry, String why) {
        counts(suite)[1]++;
        failed++;
        failures.add(type + " entry " + entry + (suite == 0 ? "" : " (suite " + suite + ")") + ": " + why);
    }

    private int[] counts(int suite) {
        int[] c = bySuite.get(suite);
        if (c == null) {
            c = new int[2];
            bySuite.put(suite, c);
        }
        return c;
    }

    public String type() {
        return type;
    }

    public int passed() {
        return passed;
    }

    public int failed() {
        return failed;
    }

    public List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** Passed entries for one suite (0: suite-independent). */
    public int passed(int suite) {
        int[] c = bySuite.get(suite);
        return c == null ? 0 : c[0];
    }

    /** Per-suite lines, the failures, and last the line {@code N passed, M failed}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, int[]> e : bySuite.entrySet()) {
            int s = e.getKey();
            sb.append(type).append(' ').append(s == 0 ? "all suites" : "suite " + s).append(": ")
                    .append(e.getValue()[0]).append(" passed, ").append(e.getValue()[1]).append(" failed\n");
        }
        for (String f : failures) {
            sb.append("FAILED ").append(f).append('\n');
        }
        sb.append(passed).append(" passed, ").append(failed).append(" failed");
        return sb.toString();
    }
}
