package org.mlskit.ds.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load benchmark, small and short, against SQLite: it must deliver every accepted message to
 * every member of its group exactly once and report figures that make sense. The full run is
 * {@code bin/mlskit bench ds} (docs/benchmarks/delivery-service.md).
 */
class DsBenchSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deliversEveryMessageOnceAndReportsFigures() throws Exception {
        BenchOptions o = BenchOptions.parse(new String[] {"--engine", "sqlite", "--seconds", "2", "--groups", "4",
                "--members", "3", "--big", "8", "--window", "16", "--pool", "4", "--commits-per-second", "4", "--warmup", "1", "--warmup-max", "1", "--settle", "0",
                "--lead-in", "0.5"}); // the lead-ins' messages count in the exactly-once check too
        DsBench.Result r = DsBench.run(o);

        assertTrue(r.problems().isEmpty(), () -> "delivery problems: " + r.problems());
        assertTrue(r.accepted() > 50, () -> "too few messages accepted: " + r.accepted());
        assertEquals(r.expectedDeliveries(), r.deliveries(), "deliveries = accepted messages x members of their group");
        assertEquals(2, r.figures().size());
        for (Figures f : r.figures()) {
            assertEquals(0, f.refused, () -> f.name + ": refused " + f.errors);
            assertTrue(f.acceptedPerSecond > 0 && f.deliveriesPerSecond > 0, f.name);
            assertTrue(f.commits > 0, () -> f.name + ": no commit accepted");
            assertTrue(f.latencyMs[0] > 0 && f.latencyMs[0] <= f.latencyMs[1] && f.latencyMs[1] <= f.latencyMs[2],
                    () -> f.name + ": delivery p50/p99/max out of order");
            assertTrue(f.commitMs[0] > 0 && f.commitMs[0] <= f.commitMs[2], f.name);
        }
        Figures half = r.figures().get(1);
        assertEquals(r.figures().get(0).acceptedPerSecond / 2, half.targetRate, 1e-9);
        assertTrue(half.acceptedPerSecond > half.targetRate * 0.7,
                () -> "half-rate run reached only " + half.acceptedPerSecond + "/s of " + half.targetRate);
        assertTrue(r.table().lines().count() == 4, r.table());
    }
}
