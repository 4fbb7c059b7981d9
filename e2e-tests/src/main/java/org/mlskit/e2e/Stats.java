package org.mlskit.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles of a sample of milliseconds (nearest rank), for the bench tables. */
final class Stats {
    private final List<Double> sorted;

    Stats(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    int n() {
        return sorted.size();
    }

    /** The value at or below which {@code p} percent of the sample lies (nearest rank). */
    double p(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double max() {
        return sorted.get(sorted.size() - 1);
    }

    double mean() {
        double s = 0;
        for (double v : sorted) {
            s += v;
        }
        return s / sorted.size();
    }

    static String ms(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }
}
