package org.mlskit.distributed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Many seeded schedules of Multi-MLS peers over a lossy, duplicating, reordering network with
 * partitions, a removal, a late joiner, an equivocating owner, restarts from saved state and, in
 * a third of them, excision of members silent for 2 to 4 epochs.
 * Invariants per schedule: every
 * honest member decrypts each message sent to it while a member, exactly once; nobody decrypts a
 * message sent when it was not a member; after the last heal views converge (rosters and every send
 * group's epoch authenticator) among the peers nobody removed or excised; equivocation is always
 * detected, with evidence that verifies.
 *
 * <p>CI size: {@code -Dmmls.schedules=1000 -Dmmls.maxPeers=10} plus a few 50-peer schedules. Long
 * form: {@code mvn -B -ntp -pl mls-core test -Dtest=MultiMlsSimulationTest -Dmmls.schedules=20000
 * -Dmmls.bigSchedules=20}. Replay one seed with {@code -Dmmls.seed=S} (and {@code -Dmmls.maxPeers}).
 */
class MultiMlsSimulationTest {
    static final int SCHEDULES = Integer.getInteger("mmls.schedules", 1000);
    static final int MAX_PEERS = Integer.getInteger("mmls.maxPeers", 10);
    static final int BIG_SCHEDULES = Integer.getInteger("mmls.bigSchedules", 1);
    static final long FIRST_SEED = Long.getLong("mmls.firstSeed", 1);
    static final Long ONE_SEED = Long.getLong("mmls.seed");

    @Test
    void manySchedules() {
        if (ONE_SEED != null) {
            check(ONE_SEED, MAX_PEERS);
            return;
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = mx.getCurrentThreadCpuTime();
        int[] byPeers = new int[MAX_PEERS + 2];
        long[] cpuByPeers = new long[MAX_PEERS + 2];
        int withExcisions = 0;
        int excised = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) {
            long t = mx.getCurrentThreadCpuTime();
            MmlsSim sim = check(seed, MAX_PEERS);
            int n = sim.plan.peers;
            byPeers[n]++;
            cpuByPeers[n] += (mx.getCurrentThreadCpuTime() - t) / 1_000_000;
            int x = sim.excised().size();
            withExcisions += x > 0 ? 1 : 0;
            excised += x;
        }
        System.out.println("CPU ms by peer count " + Arrays.toString(cpuByPeers));
        System.out.println("Multi-MLS simulation: " + withExcisions + " schedules excised " + excised + " silent peers");
        assertTrue(SCHEDULES < 200 || withExcisions > 0, "the schedules exercise excision");
        System.out.println("Multi-MLS simulation: " + SCHEDULES + " schedules, CPU " + (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000
                + " ms, schedules by peer count " + Arrays.toString(byPeers));
    }

    @Test
    void fiftyPeers() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = mx.getCurrentThreadCpuTime();
        for (long seed = 1; seed <= BIG_SCHEDULES; seed++) {
            MmlsSim sim = check(1_000_000 + seed, 50, 50);
            System.out.println("Multi-MLS 50 peers, seed " + sim.seed + " [" + sim.plan + "]: " + sim.sent.size()
                    + " messages, " + sim.deliveries + " deliveries");
        }
        System.out.println("Multi-MLS simulation: " + BIG_SCHEDULES + " 50-peer schedules, CPU "
                + (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000 + " ms");
    }

    private static MmlsSim check(long seed, int maxPeers) {
        return check(seed, maxPeers, 0);
    }

    private static MmlsSim check(long seed, int maxPeers, int exactPeers) {
        MmlsSim sim = new MmlsSim(seed, maxPeers);
        if (exactPeers > 0) {
            sim.plan.peers = exactPeers;
            sim.plan.actions = 6;
        }
        String replay = "replay: mvn -B -ntp -pl mls-core test -Dtest=MultiMlsSimulationTest#manySchedules -Dmmls.seed=" + seed
                + " -Dmmls.maxPeers=" + maxPeers + (exactPeers > 0 ? " (50-peer plan)" : "") + " [" + sim.plan + "]";
        try {
            sim.run();
            invariants(sim);
            return sim;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(replay + ": " + e.getMessage(), e);
        }
    }

    private static void invariants(MmlsSim sim) {
        Set<String> honest = sim.honest();
        Set<String> excised = sim.excised();
        // Each message: delivered once to each honest recipient, never to anyone else.
        for (MmlsSim.Sent m : sim.sent) {
            String key = m.sender + ":" + m.text;
            for (String r : sim.peers.sessions.keySet()) {
                if (r.equals(m.sender)) {
                    continue;
                }
                int times = sim.delivered.getOrDefault(r, Map.of()).getOrDefault(key, 0);
                assertTrue(times <= 1, r + " decrypted " + key + " " + times + " times");
                if (!m.recipients.contains(r)) {
                    assertTrue(times == 0, r + " decrypted " + key + " though not a member when it was sent");
                } else if (honest.contains(r) && honest.contains(m.sender) && !forked(sim, r, m.sender)
                        && !excised.contains(m.sender)) {
                    // An excised sender's messages may need secrets the others erased after the excision
                    // (draft -02 accepts that: "she may stop receiving messages from Bob").
                    assertTrue(times == 1, r + " never decrypted " + key + "; events: " + tail(sim, r));
                }
            }
        }
        // No honest item was refused.
        for (String p : honest) {
            for (SessionEvent e : sim.peers.events.get(p)) {
                if (e.kind == SessionEvent.Kind.REJECTED) {
                    assertTrue(e.peer.equals(sim.equivocator), p + ": " + e);
                }
                if (e.kind == SessionEvent.Kind.FORKED_DEPENDENCY) {
                    assertTrue(sim.equivocator != null, p + ": " + e);
                }
            }
        }
        // Equivocation: detected by every honest peer that knew the equivocator; never otherwise.
        for (String p : honest) {
            Set<String> flagged = sim.peers.get(p).equivocators();
            if (sim.equivocator == null || !sim.initial.contains(p)) {
                assertTrue(flagged.isEmpty() || sim.equivocator != null, p + " flagged " + flagged);
                continue;
            }
            assertTrue(flagged.equals(Set.of(sim.equivocator)), p + " flagged " + flagged + " not " + sim.equivocator);
            Equivocation ev = sim.peers.get(p).book().evidence(sim.equivocator);
            if (ev == null) {
                ev = evidenceFromEvents(sim, p);
            }
            assertTrue(ev != null && ev.verify(Peers.SUITE, sim.peers.identities.get(sim.equivocator).signaturePublicKey()),
                    p + ": evidence that a third party verifies");
        }
        // Views converge among the active honest peers. Without excisions: every one sends to all the
        // others. With them, pairwise: two peers send to each other, or one of them removed the other
        // (who has its REMOVED event: it knows); an excised peer's own roster may stay stale.
        Set<String> active = new TreeSet<>(honest);
        active.removeAll(sim.departed);
        for (String p : active) {
            Set<String> roster = sim.peers.get(p).roster();
            if (excised.isEmpty()) {
                Set<String> expected = new TreeSet<>(active);
                expected.remove(p);
                assertTrue(roster.equals(expected), p + " sends to " + roster + " not " + expected);
                assertTrue(sim.peers.get(p).senders().containsAll(expected), p + " receives from " + sim.peers.get(p).senders());
                continue;
            }
            for (String q : active) {
                if (q.equals(p)) {
                    continue;
                }
                boolean pq = roster.contains(q);
                boolean qp = sim.peers.get(q).roster().contains(p);
                if (pq && qp) {
                    assertTrue(sim.peers.get(p).senders().contains(q), p + " sends to " + q + " but does not read its send group");
                } else if (pq) {
                    assertTrue(removedBy(sim, p, q), q + " dropped " + p + " without removing it (" + p + " still sends to it)");
                } else if (!qp) {
                    assertTrue(removedBy(sim, p, q) || removedBy(sim, q, p) || excised.contains(p) || excised.contains(q),
                            p + " and " + q + " left each other out with no removal or excision");
                }
            }
        }
        for (String owner : sim.peers.sessions.keySet()) {
            byte[] ref = null;
            String refPeer = null;
            if (!honest.contains(owner) || excised.contains(owner)
                    || (sim.late != null && !sim.lateStarted && owner.equals(sim.late))) {
                continue;
            }
            for (String p : active) {
                if (forked(sim, p, owner)) {
                    continue;
                }
                byte[] a = sim.peers.get(p).epochAuthenticator(owner);
                if (a == null) {
                    continue;
                }
                if (ref == null) {
                    ref = a;
                    refPeer = p;
                } else {
                    assertTrue(Arrays.equals(ref, a), p + " and " + refPeer + " disagree on " + owner + "'s send group");
                }
            }
        }
    }

    /** Whether {@code p} learned that {@code q} removed it from q's send group. */
    private static boolean removedBy(MmlsSim sim, String p, String q) {
        for (SessionEvent e : sim.peers.events.get(p)) {
            if (e.kind == SessionEvent.Kind.REMOVED && e.peer.equals(q)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code r} reported that {@code sender}'s log depends on the branch of an equivocation it did not follow. */
    private static boolean forked(MmlsSim sim, String r, String sender) {
        for (SessionEvent e : sim.peers.events.get(r)) {
            if (e.kind == SessionEvent.Kind.FORKED_DEPENDENCY && e.peer.equals(sender)) {
                return true;
            }
        }
        return false;
    }

    private static Equivocation evidenceFromEvents(MmlsSim sim, String p) {
        for (SessionEvent e : sim.peers.events.get(p)) {
            if (e.kind == SessionEvent.Kind.EQUIVOCATION) {
                return e.evidence;
            }
        }
        return null;
    }

    private static String tail(MmlsSim sim, String p) {
        List<SessionEvent> ev = sim.peers.events.get(p);
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, ev.size() - 8); i < ev.size(); i++) {
            out.add(ev.get(i).toString());
        }
        return out.toString();
    }

    @SuppressWarnings("unused")
    private static Set<String> set(String... s) {
        return new HashSet<>(Arrays.asList(s));
    }
}
