package org.mlskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fuzz}: a short run, a replay of the corpus' reproducers, seed files, and bad command lines. */
class FuzzCommandTest {
    static final Path CORPUS = Paths.get("../mls-core/src/test/resources/fuzz/corpus");

    @Test
    void shortRunReportsEachTargetAndNoFailure() {
        CliRun r = CliRun.of("fuzz", "--target", "sender-data,credential", "--seed", "3", "--iterations", "40", "--suites", "1,3", "--max-members", "2",
                "--progress", "20");
        assertEquals(Main.OK, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("sender-data seed=3: 40 executions"), r.out());
        assertTrue(r.out().contains("credential seed=3: 40 executions"), r.out());
        assertTrue(r.out().contains("sender-data: 20 executions"), "progress line: " + r.out());
        assertTrue(r.lastLine().startsWith("fuzz seed=3: 80 executions"), r.lastLine());
    }

    @Test
    void replaysTheReproducersAsTypedRejections() {
        CliRun r = CliRun.of("fuzz", "--replay", CORPUS.resolve("repro-join-blank-node-on-committer-path-npe.case").toString(),
                CORPUS.resolve("repro-key-package-duplicate-extension.case").toString());
        assertEquals(Main.OK, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("join -> rejected:INVALID_TREE"), r.out());
        assertTrue(r.out().contains("key-package-validation -> rejected:"), r.out());
    }

    @Test
    void writesSeedCases(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("fuzz", "--target", "ratchet-tree,welcome", "--suites", "1", "--max-members", "2",
                "--write-seeds", dir.toString());
        assertEquals(Main.OK, r.status(), r.out() + r.err());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void badCommandLines() {
        assertEquals(Main.USAGE, CliRun.of("fuzz", "--target", "nope").status());
        assertEquals(Main.USAGE, CliRun.of("fuzz", "--seed", "x").status());
        assertEquals(Main.USAGE, CliRun.of("fuzz", "--seed").status());
        assertEquals(Main.USAGE, CliRun.of("fuzz", "--suites", "9").status());
    }
}
