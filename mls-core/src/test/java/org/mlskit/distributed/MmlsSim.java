package org.mlskit.distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.mlskit.fuzz.SeededRandomSource;
import org.mlskit.group.StagedCommit;

/**
 * A seeded discrete-event network for Multi-MLS peers: random delay, duplication, loss (repaired
 * by anti-entropy between random pairs), gossip relaying, a partition and its heal, a removal, a
 * late joiner, an equivocating owner and restarts from saved state. Everything, keys included,
 * derives from the seed, so a failing seed replays exactly. Records what each peer sent and
 * decrypted for the invariants.
 */
final class MmlsSim {
    /** What one schedule contains; derived from the seed. */
    static final class Plan {
        int peers;
        int actions;
        int ticks;
        double loss;
        double dup;
        int maxDelay;
        boolean partition;
        boolean remove;
        boolean lateJoiner;
        boolean equivocate;
        int restarts;
        /** Epochs of silence after which owners excise (0: never). */
        int exciseAfter;

        @Override
        public String toString() {
            return "peers=" + peers + " actions=" + actions + " loss=" + loss + " dup=" + dup + " partition=" + partition
                    + " remove=" + remove + " late=" + lateJoiner + " equivocate=" + equivocate + " restarts=" + restarts
                    + " exciseAfter=" + exciseAfter;
        }
    }

    /** A message a peer sent: to whom (its roster then). */
    static final class Sent {
        final String sender;
        final String text;
        final Set<String> recipients;

        Sent(String sender, String text, Set<String> recipients) {
            this.sender = sender;
            this.text = text;
            this.recipients = recipients;
        }
    }

    final long seed;
    final Plan plan;
    final Random rnd;
    final Peers peers;
    /** Every peer's policy (the plan's excision bound). */
    MultiSessionConfig config;
    final List<String> initial = new ArrayList<>();
    String late;
    /** Peers that stopped acting: the removed one and the equivocator (they still receive). */
    final Set<String> departed = new TreeSet<>();
    String equivocator;
    String victim;
    final List<Sent> sent = new ArrayList<>();
    /** receiver -> "sender:text" -> times decrypted. */
    final Map<String, Map<String, Integer>> delivered = new HashMap<>();
    /** Side of the partition per peer while it lasts (null: no partition). */
    Map<String, Integer> side;
    long now;
    long deliveries;
    /** Deliveries of entries new to their receiver. */
    long fresh;
    private long order;
    private final PriorityQueue<Object[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0]
            ? Long.compare((Long) a[0], (Long) b[0]) : Long.compare((Long) a[1], (Long) b[1]));

    MmlsSim(long seed, int maxPeers) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.plan = new Plan();
        // Mostly small sessions (cheap: many interleavings per CI second), some up to maxPeers.
        plan.peers = maxPeers <= 4 || rnd.nextInt(100) < 85 ? 2 + rnd.nextInt(Math.min(3, maxPeers - 1))
                : 5 + rnd.nextInt(maxPeers - 4);
        plan.actions = 4 + rnd.nextInt(10);
        plan.ticks = 200;
        plan.loss = rnd.nextInt(3) == 0 ? 0 : 0.2 * rnd.nextDouble();
        plan.dup = 0.2 * rnd.nextDouble();
        plan.maxDelay = 1 + rnd.nextInt(20);
        plan.partition = plan.peers >= 2 && rnd.nextInt(3) == 0;
        plan.remove = plan.peers >= 3 && rnd.nextInt(4) == 0;
        plan.lateJoiner = rnd.nextInt(4) == 0;
        plan.equivocate = plan.peers >= 3 && rnd.nextInt(6) == 0;
        plan.restarts = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0;
        plan.exciseAfter = rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(3) : 0;
        this.peers = new Peers(new SeededRandomSource((int) seed, (int) (seed >>> 32), 7));
    }

    // ---------------------------------------------------------------- the network

    private void at(long time, Runnable r) {
        queue.add(new Object[] {time, order++, r});
    }

    private boolean connected(String a, String b) {
        return side == null || side.get(a).equals(side.get(b));
    }

    /** Sends one entry over the lossy network. */
    void send(String from, String to, LogEntry e) {
        if (!connected(from, to) || rnd.nextDouble() < plan.loss) {
            return;
        }
        int copies = rnd.nextDouble() < plan.dup ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            at(now + 1 + rnd.nextInt(plan.maxDelay), () -> deliver(to, e));
        }
    }

    private void deliver(String to, LogEntry e) {
        if (to.equals(equivocator) && departed.contains(to)) {
            return; // a silent adversary: it does not extend either branch (see docs/multi-mls.md)
        }
        deliveries++;
        Step s = peers.get(to).receive(e);
        if (Boolean.getBoolean("mmls.trace") && e.author.equals(equivocator)) {
            System.out.println(now + " " + to + " got " + e + " " + org.bouncycastle.util.encoders.Hex.toHexString(
                    e.hash(Peers.SUITE)).substring(0, 8) + " new=" + s.received);
        }
        handle(to, s);
        if (s.received) {
            fresh++;
            // Gossip: relay what was new to two random peers (store-and-forward).
            for (int i = 0; i < 2; i++) {
                String q = randomPeer();
                if (!q.equals(to)) {
                    send(to, q, e);
                }
            }
        }
    }

    /** Records a step's events and broadcasts its entries. */
    void handle(String who, Step s) {
        if (Boolean.getBoolean("mmls.trace")) {
            System.out.println(now + " " + who + " " + s.events + " " + s.publish);
        }
        peers.events.get(who).addAll(s.events);
        for (SessionEvent ev : s.events) {
            if (ev.kind == SessionEvent.Kind.MESSAGE) {
                delivered.computeIfAbsent(who, k -> new HashMap<>())
                        .merge(ev.peer + ":" + new String(ev.data(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
        }
        for (LogEntry e : s.publish) {
            for (String q : peers.sessions.keySet()) {
                if (!q.equals(who)) {
                    send(who, q, e);
                }
            }
        }
    }

    /** Anti-entropy: {@code p} sends {@code q} what q's summary lacks (over the lossy network). */
    void sync(String p, String q) {
        for (LogEntry e : peers.get(p).book().missingFor(peers.get(q).book().summary())) {
            send(p, q, e);
        }
    }

    String randomPeer() {
        List<String> all = new ArrayList<>(peers.sessions.keySet());
        return all.get(rnd.nextInt(all.size()));
    }

    private List<String> actors() {
        List<String> out = new ArrayList<>();
        for (String n : peers.sessions.keySet()) {
            if (!departed.contains(n) && (late == null || !n.equals(late) || lateStarted)) {
                out.add(n);
            }
        }
        return out;
    }

    boolean lateStarted;

    // ---------------------------------------------------------------- the schedule

    void run() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < plan.peers; i++) {
            names.add("p" + i);
        }
        initial.addAll(names);
        List<String> all = new ArrayList<>(names);
        if (plan.lateJoiner) {
            late = "p" + plan.peers;
            all.add(late);
        }
        config = MultiSessionConfig.DEFAULT.withExciseSilentAfter(plan.exciseAfter);
        peers.create(all, all, config);
        for (String n : names) {
            handle(n, peers.get(n).start(peers.keyPackagesFor(n, names)));
        }
        if (plan.equivocate) {
            equivocator = names.get(rnd.nextInt(names.size()));
        }
        if (plan.remove) {
            do {
                victim = names.get(rnd.nextInt(names.size()));
            } while (victim.equals(equivocator));
        }
        long removeAt = 20 + rnd.nextInt(80);
        long lateAt = removeAt + 1 + rnd.nextInt(60);
        long equivocateAt = 10 + rnd.nextInt(120);
        if (plan.partition) {
            long cut = rnd.nextInt(100);
            long heal = cut + 20 + rnd.nextInt(plan.ticks);
            at(cut, () -> {
                side = new HashMap<>();
                for (String n : peers.sessions.keySet()) {
                    side.put(n, rnd.nextInt(2));
                }
            });
            at(heal, () -> side = null);
        }
        if (victim != null) {
            at(removeAt, () -> {
                List<String> a = actors();
                a.remove(victim);
                a.remove(equivocator);
                if (a.isEmpty()) {
                    return;
                }
                String remover = a.get(rnd.nextInt(a.size()));
                departed.add(victim);
                if (peers.get(remover).roster().contains(victim)) {
                    handle(remover, peers.get(remover).remove(victim));
                }
            });
        }
        if (late != null) {
            at(lateAt, () -> {
                List<String> members = new ArrayList<>(actors());
                members.remove(equivocator);
                members.add(late);
                lateStarted = true;
                handle(late, peers.get(late).start(peers.keyPackagesFor(late, members)));
                for (String p : members) {
                    if (!p.equals(late)) {
                        at(now + rnd.nextInt(40), () -> {
                            if (!departed.contains(p)) {
                                handle(p, peers.get(p).add(peers.directory.get(p).get(late)));
                            }
                        });
                    }
                }
            });
        }
        if (equivocator != null) {
            at(equivocateAt, this::equivocate);
        }
        for (int i = 0; i < plan.actions; i++) {
            at(rnd.nextInt(plan.ticks), this::randomAction);
        }
        for (int i = 0; i < plan.restarts; i++) {
            at(rnd.nextInt(plan.ticks), this::restart);
        }
        for (long t = 0; t < plan.ticks * 2; t += 15) {
            at(t, () -> {
                String p = randomPeer();
                String q = randomPeer();
                if (!p.equals(q)) {
                    sync(p, q);
                }
            });
        }
        drain();
        settle();
        if (Boolean.getBoolean("mmls.trace")) {
            for (String n : peers.sessions.keySet()) {
                StringBuilder b = new StringBuilder(n + ":");
                for (String a : peers.get(n).book().authors()) {
                    b.append(' ').append(a).append('=').append(peers.get(n).book().chain(a).size())
                            .append(peers.get(n).book().evidence(a) == null ? "" : "!");
                }
                System.out.println(b);
            }
        }
    }

    private int counter;

    /** A peer restarts from the state it saved after its last step (entries in flight still arrive). */
    private void restart() {
        String p = randomPeer();
        if (p.equals(equivocator) || (p.equals(late) && !lateStarted)) {
            return;
        }
        byte[] saved = peers.get(p).toBytes();
        peers.sessions.put(p, MultiSession.fromBytes(saved, config, peers.random));
    }

    private void randomAction() {
        List<String> a = actors();
        if (a.isEmpty()) {
            return;
        }
        String p = a.get(rnd.nextInt(a.size()));
        MultiSession s = peers.get(p);
        int r = rnd.nextInt(10);
        if (r < 6) {
            String text = p + "#" + (counter++);
            Step step = s.protect(text.getBytes(StandardCharsets.UTF_8));
            sent.add(new Sent(p, text, s.roster()));
            handle(p, step);
        } else if (r < 9) {
            handle(p, s.update());
        } else {
            handle(p, s.commit());
        }
    }

    /**
     * The equivocator makes two different commits for its send group's current epoch, with the
     * same log position, and sends each to a different half of the peers; then it stops acting.
     */
    private void equivocate() {
        MultiSession x = peers.get(equivocator);
        if (departed.contains(equivocator)) {
            return;
        }
        int seq = x.nextSeq;
        byte[] prev = x.head;
        long epoch = x.own.epoch();
        StagedCommit other = x.own.update();
        byte[] otherCommit = other.message();
        x.own.discard(other);
        Step honest = x.update();
        LogEntry first = honest.publish.get(0);
        // The same bundled proposals, so that both commits are valid for receivers.
        LogEntry second = LogEntry.sign(x.identity, x.me, seq, prev, List.of(LogItem.commit(x.own.groupId(), epoch,
                otherCommit, List.<LogItem.Import>of(), first.items.get(0).proposals)));
        departed.add(equivocator);
        peers.events.get(equivocator).addAll(honest.events);
        if (Boolean.getBoolean("mmls.trace")) {
            System.out.println(now + " " + equivocator + " equivocates at " + first + " epoch " + epoch);
        }
        boolean half = false;
        for (String q : peers.sessions.keySet()) {
            if (!q.equals(equivocator)) {
                // Delivered for sure (an equivocation nobody received is no equivocation).
                LogEntry e = half ? first : second;
                at(now + 1 + rnd.nextInt(plan.maxDelay), () -> deliver(q, e));
                half = !half;
            }
        }
    }

    void drain() {
        while (!queue.isEmpty()) {
            Object[] ev = queue.poll();
            now = (Long) ev[0];
            ((Runnable) ev[2]).run();
        }
    }

    /** After the last heal: lossless anti-entropy between every pair until nothing moves. */
    void settle() {
        side = null;
        plan.loss = 0;
        for (int round = 0; round < 20; round++) {
            long before = fresh;
            List<String> all = new ArrayList<>(peers.sessions.keySet());
            for (String p : all) {
                for (String q : all) {
                    if (!p.equals(q)) {
                        sync(p, q);
                    }
                }
            }
            drain();
            if (fresh == before) {
                return;
            }
        }
        throw new AssertionError("the logs did not settle after 20 lossless rounds");
    }

    /**
     * Peers some peer excised (EXCISED events): out of the session, like the removed one. (The
     * equivocator's excisions count too: peers follow the removals of both branches of a fork.)
     */
    Set<String> excised() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, List<SessionEvent>> evs : peers.events.entrySet()) {
            for (SessionEvent e : evs.getValue()) {
                if (e.kind == SessionEvent.Kind.EXCISED) {
                    out.add(e.peer);
                }
            }
        }
        return out;
    }

    Set<String> honest() {
        Set<String> out = new HashSet<>(peers.sessions.keySet());
        out.remove(equivocator);
        if (late != null && !lateStarted) {
            out.remove(late);
        }
        return out;
    }
}
