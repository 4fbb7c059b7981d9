package org.mlskit.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Excision of silent members (draft -02): by a majority only, followed by the session, late joiners included. */
class MultiSessionExcisionTest {
    static final MultiSessionConfig EXCISE_AFTER_2 = MultiSessionConfig.DEFAULT.withExciseSilentAfter(2);

    /** Entries for peers that are offline wait here until they come back. */
    final List<Object[]> held = new ArrayList<>();
    final Set<String> offline = new TreeSet<>();

    private void deliver(Peers p, String from, Step s) {
        p.events.get(from).addAll(s.events);
        for (LogEntry e : s.publish) {
            for (String n : p.sessions.keySet()) {
                if (n.equals(from)) {
                    continue;
                }
                if (offline.contains(n) || offline.contains(from)) {
                    held.add(new Object[] {n, e});
                } else {
                    deliver(p, n, p.get(n).receive(e));
                }
            }
        }
    }

    private void online(Peers p, String who) {
        offline.remove(who);
        List<Object[]> now = new ArrayList<>(held);
        held.clear();
        for (Object[] h : now) {
            deliver(p, (String) h[0], p.get((String) h[0]).receive((LogEntry) h[1]));
        }
    }

    private Peers started(List<String> names, List<String> all) {
        Peers p = new Peers();
        p.create(all, all, EXCISE_AFTER_2);
        for (String n : names) {
            deliver(p, n, p.get(n).start(p.keyPackagesFor(n, names)));
        }
        return p;
    }

    private static long count(Peers p, String who, SessionEvent.Kind kind, String peer) {
        return p.events.get(who).stream().filter(e -> e.kind == kind && e.peer.equals(peer)).count();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMajorityExcisesTheSilentMemberTheSessionFollowsAndTheMemberLearnsIt() {
        Peers p = started(List.of("alice", "bob", "carol"), List.of("alice", "bob", "carol"));
        offline.add("carol");
        deliver(p, "carol", p.get("carol").protect(utf8("written offline")));
        deliver(p, "alice", p.get("alice").update());
        deliver(p, "bob", p.get("bob").update());
        assertEquals(Set.of("bob", "carol"), p.get("alice").roster(), "silent for less than the bound");
        deliver(p, "alice", p.get("alice").update());
        deliver(p, "bob", p.get("bob").commit());
        deliver(p, "alice", p.get("alice").update());
        assertEquals(1, count(p, "alice", SessionEvent.Kind.EXCISED, "carol"));
        assertEquals(Set.of("bob"), p.get("alice").roster());
        assertEquals(Set.of("alice"), p.get("bob").roster(), "bob follows alice's excision");
        deliver(p, "alice", p.get("alice").protect(utf8("after carol")));
        online(p, "carol");
        assertEquals(1, count(p, "carol", SessionEvent.Kind.REMOVED, "alice"), "carol learns she was excised");
        assertEquals(1, count(p, "carol", SessionEvent.Kind.REMOVED, "bob"));
        assertEquals(0, count(p, "carol", SessionEvent.Kind.MESSAGE, "alice"), "nothing sent after her excision");
        assertEquals(1, count(p, "alice", SessionEvent.Kind.MESSAGE, "carol"), "what she wrote as a member is read");
    }

    @Test
    void withoutAMajorityNobodyIsExcised() {
        Peers p = started(List.of("alice", "bob"), List.of("alice", "bob"));
        offline.add("bob");
        for (int i = 0; i < 5; i++) {
            deliver(p, "alice", p.get("alice").update());
            deliver(p, "bob", p.get("bob").update()); // bob's side of the partition does the same
        }
        assertEquals(Set.of("bob"), p.get("alice").roster(), "one of two is no majority");
        assertEquals(Set.of("alice"), p.get("bob").roster());
        online(p, "bob");
        assertEquals(Set.of("bob"), p.get("alice").roster());
        assertEquals(0, count(p, "alice", SessionEvent.Kind.EXCISED, "bob") + count(p, "bob", SessionEvent.Kind.EXCISED, "alice"));
    }

    @Test
    void silenceSurvivesARestartAndALateJoinerFollowsAnExcisionItNeverSaw() {
        Peers p = started(List.of("alice", "bob", "carol"), List.of("alice", "bob", "carol", "dave"));
        offline.add("carol");
        deliver(p, "alice", p.get("alice").update());
        deliver(p, "bob", p.get("bob").update());
        p.sessions.put("alice", MultiSession.fromBytes(p.get("alice").toBytes(), EXCISE_AFTER_2, p.random));
        deliver(p, "alice", p.get("alice").update());
        deliver(p, "bob", p.get("bob").commit());
        deliver(p, "alice", p.get("alice").update());
        assertEquals(1, count(p, "alice", SessionEvent.Kind.EXCISED, "carol"), "the restored session kept who was silent");
        // dave joins afterwards, naming carol too (his app had not heard yet)
        deliver(p, "dave", p.get("dave").start(p.keyPackagesFor("dave", List.of("alice", "bob", "carol", "dave"))));
        deliver(p, "alice", p.get("alice").add(p.directory.get("alice").get("dave")));
        deliver(p, "bob", p.get("bob").add(p.directory.get("bob").get("dave")));
        for (String o : List.of("alice", "bob")) {
            for (LogEntry e : p.get(o).book().missingFor(p.get("dave").book().summary())) {
                deliver(p, "dave", p.get("dave").receive(e));
            }
        }
        assertEquals(Set.of("alice", "bob"), p.get("dave").roster(), "dave follows the excision from the commit's signed metadata");
        assertFalse(p.get("alice").roster().contains("carol"));
        assertTrue(p.get("dave").senders().containsAll(Set.of("alice", "bob")));
    }
}
