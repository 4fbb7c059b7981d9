package org.mlskit.ds.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.ds.DeliveryServiceMain;
import org.mlskit.ds.TestDevice;
import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.DsException;
import org.mlskit.group.Group;

/**
 * Kills the DS with SIGKILL while clients send, restarts it on the same database, and checks that
 * every message it had acknowledged is in the mailbox exactly once (acknowledged = durable).
 */
class DurabilityTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void everyAcknowledgedMessageSurvivesSigkill(String engine) throws Exception {
        String db = Engines.freshDb(engine);
        Path tmp = Files.createTempDirectory("ds-kill");
        Server first = Server.start(db, tmp);
        TestDevice alice = TestDevice.registered(first.base, "kill-alice", "laptop");
        byte[] id = ("kill-" + System.nanoTime()).getBytes();
        Group ga = alice.createGroup(id);
        List<byte[]> pool = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            pool.add(ga.encrypt(("kill: message " + i).getBytes(StandardCharsets.UTF_8), new byte[0]));
        }
        Map<Long, byte[]> acked = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            senders.add(new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < pool.size(); ) {
                    try {
                        DsClient.Accepted a = alice.ds.send(id, pool.get(i));
                        acked.put(a.seq(), pool.get(i));
                    } catch (DsException e) {
                        refused.incrementAndGet(); // the server is gone: not acknowledged, may or may not be stored
                    }
                }
            }));
        }
        senders.forEach(Thread::start);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (acked.size() < 300 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        first.kill();
        int ackedAtKill = acked.size();
        for (Thread t : senders) {
            t.join(60_000);
        }
        assertTrue(ackedAtKill >= 300, "sending was under way when the server died: " + ackedAtKill);
        assertTrue(refused.get() > 0, "some sends were cut off by the kill");

        Server second = Server.start(db, tmp);
        try {
            DsClient again = new DsClient(second.base, "kill-alice", "laptop", alice.identity);
            List<DsClient.Entry> all = new ArrayList<>();
            long after = 0;
            while (true) {
                DsClient.Page p = again.fetch(after, 1000);
                all.addAll(p.entries());
                after = p.next();
                if (!p.more()) {
                    break;
                }
            }
            Set<Long> seqs = new HashSet<>();
            Set<String> bodies = new HashSet<>();
            for (DsClient.Entry e : all) {
                assertTrue(seqs.add(e.seq()), "sequence numbers are unique");
                assertTrue(bodies.add(java.util.Base64.getEncoder().encodeToString(e.message())), "no message twice");
            }
            Map<Long, DsClient.Entry> bySeq = new java.util.HashMap<>();
            all.forEach(e -> bySeq.put(e.seq(), e));
            for (Map.Entry<Long, byte[]> a : acked.entrySet()) {
                DsClient.Entry stored = bySeq.get(a.getKey());
                assertNotNull(stored, "acknowledged message " + a.getKey() + " survived");
                assertArrayEquals(a.getValue(), stored.message());
            }
            // The group still works after the restart.
            assertEquals(0, again.send(id, ga.encrypt("kill: after restart".getBytes(), new byte[0])).epoch());
        } finally {
            second.kill();
        }
    }

    /** A DS in its own JVM, so it can be SIGKILLed. */
    static final class Server {
        final Process process;
        final String base;

        private Server(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        static Server start(String db, Path tmp) throws Exception {
            Files.createDirectories(tmp.resolve("web"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    DeliveryServiceMain.class.getName(), "--port", "0", "--db", db, "--data", tmp.resolve("data").toString(),
                    "--web", tmp.resolve("web").toString(), "--teavm", tmp.resolve("teavm").toString(),
                    "--vectors", tmp.resolve("vectors").toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                int at = line.indexOf("delivery service on http://");
                if (at >= 0) {
                    String url = line.substring(line.indexOf("http://", at)).replaceAll("/$", "");
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling up
                            }
                        } catch (java.io.IOException ignored) {
                            // the process died
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    return new Server(p, url);
                }
            }
            throw new AssertionError("the DS did not start:\n" + seen);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        }
    }
}
