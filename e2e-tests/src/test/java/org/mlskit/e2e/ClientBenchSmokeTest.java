package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of {@code bin/mlskit bench client} (ClientBench) at tiny sizes: one wasm-gc
 * device in Chromium, 10 members, one message each way per storage, one send-to-render with the
 * engine in a worker. No time is asserted; the run itself fails if a measured message does not
 * arrive and decrypt to the text sent, or a page reports an error. The full bench is not part of
 * the test command (docs/benchmarks/client.md).
 */
class ClientBenchSmokeTest {
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyMeasuredMessageArrives() throws Exception {
        String md = ClientBench.run(ClientBench.Options.parse(new String[] {"--smoke", "--parts", "durable,render", "--workers", "on"}));
        System.out.println(md);
        for (String row : new String[] {
            "| wasm-gc | 10 | IndexedDB, sealed (default) | send → 'sent' | 1 |",
            "| wasm-gc | 10 | IndexedDB, sealed (default) | frame → 'message' | 1 |",
            "| wasm-gc | 10 | memory | send → 'sent' | 1 |",
            "| wasm-gc | 10 | memory | frame → 'message' | 1 |",
            "| wasm-gc | 10 | on | 1 |"}) {
            assertTrue(md.contains(row), () -> "no row " + row + " in\n" + md);
        }
    }
}
