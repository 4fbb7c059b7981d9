package org.mlskit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.interop.runner.TestRunner;
import org.mlskit.interop.server.InteropServer;

/**
 * mlskit against itself through the working group's harness: two mlskit servers on loopback
 * ports, the runner assigning actors to either. Every step of every run must pass, and the
 * runner's own checks (epoch authenticators, unprotect results, the final group verification)
 * are what "pass" means. The full matrix (deep_random in every suite, every assignment) is
 * documented in interop/README.md; here deep_random runs once, in a suite the seed picks.
 */
class InteropSelfTest {
    private static final long SEED = 9420;
    private static final List<InteropServer> SERVERS = new ArrayList<>();
    private static final List<String> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        for (int i = 0; i < 2; i++) {
            InteropServer s = InteropServer.start("127.0.0.1", 0);
            SERVERS.add(s);
            CLIENTS.add("127.0.0.1:" + s.port());
        }
    }

    @AfterAll
    static void stop() {
        for (InteropServer s : SERVERS) {
            s.close();
        }
    }

    private static TestRunner.Options options() {
        TestRunner.Options o = new TestRunner.Options();
        o.clients.addAll(CLIENTS);
        o.random = true;
        o.seed = SEED;
        return o;
    }

    private static List<TestRunner.Result> run(TestRunner.Options o) throws IOException {
        List<TestRunner.Result> failed = new ArrayList<>();
        List<TestRunner.Result> all = TestRunner.run(o, r -> {
            if (!r.passed()) {
                failed.add(r);
            }
        });
        assertEquals(List.of(), failed, "failed runs");
        return all;
    }

    /** Scripts in each config, as shipped: every one runs in every suite and both handshake settings. */
    private static final int[][] SCRIPTS = {{/* application */ 3}, {/* branch */ 4}, {/* commit */ 9},
        {/* external_join */ 5}, {/* external_proposals */ 8}, {/* reinit */ 6}, {/* welcome_join */ 4}};

    @Test
    void everyConfigInEverySuiteAndHandshakeSetting() throws IOException {
        TestRunner.Options o = options();
        o.configs.addAll(List.of("application", "branch", "commit", "external_join", "external_proposals", "reinit",
                "welcome_join"));
        List<TestRunner.Result> all = run(o);
        int scripts = 0;
        for (int[] n : SCRIPTS) {
            scripts += n[0];
        }
        assertEquals(scripts * 7 * 2, all.size(), "one run per script, suite (7) and handshake setting (2)");
        Set<Integer> suites = new HashSet<>();
        Set<Boolean> settings = new HashSet<>();
        boolean mixed = false;
        for (TestRunner.Result r : all) {
            suites.add(r.suite);
            settings.add(r.encrypt);
            mixed |= new HashSet<>(r.actors.values()).size() > 1;
            assertTrue(r.rpcs > 0);
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7), suites);
        assertEquals(Set.of(true, false), settings);
        assertTrue(mixed, "some runs put actors on both servers");
    }

    @Test
    void deepRandomOnce() throws IOException {
        TestRunner.Options o = options();
        o.configs.add("deep_random");
        o.suite = 1 + (int) (SEED % 3); // one of the fast suites (X25519 with AES-128, ChaCha20 or P-256)
        o.privateOnly = SEED % 2 == 0;
        o.publicOnly = !o.privateOnly;
        List<TestRunner.Result> all = run(o);
        assertEquals(1, all.size());
        assertTrue(all.get(0).rpcs > 1670, "every step ran");
    }

    @Test
    void aFailingStepIsReportedWithItsIndex() throws IOException {
        // Unprotecting the same ciphertext twice is a replay: mlskit refuses it (DUPLICATE_MESSAGE).
        java.nio.file.Path config = java.nio.file.Files.createTempFile("replay", ".json");
        java.nio.file.Files.writeString(config, "{\"scripts\": {\"replay\": ["
                + "{\"action\": \"createGroup\", \"actor\": \"alice\", \"members\": [\"bob\"]},"
                + "{\"action\": \"protect\", \"actor\": \"alice\", \"authenticatedData\": \"a\", \"plaintext\": \"p\"},"
                + "{\"action\": \"unprotect\", \"actor\": \"bob\", \"ciphertext\": 1},"
                + "{\"action\": \"unprotect\", \"actor\": \"bob\", \"ciphertext\": 1}]}}");
        TestRunner.Options o = options();
        o.configs.add(config.toString());
        o.suite = 1;
        o.privateOnly = true;
        List<TestRunner.Result> all = TestRunner.run(o, r -> { });
        java.nio.file.Files.delete(config);
        assertEquals(1, all.size());
        TestRunner.Result r = all.get(0);
        assertFalse(r.passed());
        assertEquals(3, r.failedStep);
        assertTrue(r.error.contains("DUPLICATE_MESSAGE"), r.error);
        assertNotEquals(null, r.failedStepJson);
    }
}
