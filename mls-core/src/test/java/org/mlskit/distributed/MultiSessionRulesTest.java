package org.mlskit.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.group.Group;
import org.mlskit.group.StagedCommit;

/**
 * What a participant accepts and refuses in send groups, dependency waits, equivocation evidence
 * a third party checks, and a relay that reads nothing but stores and forwards every log.
 */
class MultiSessionRulesTest {
    static final List<String> ABC = List.of("alice", "bob", "carol");

    private Peers started() {
        Peers p = new Peers();
        p.create(ABC, ABC, MultiSessionConfig.DEFAULT);
        List<Step> steps = new ArrayList<>();
        for (String n : ABC) {
            steps.add(p.get(n).start(p.keyPackagesFor(n, ABC)));
        }
        for (int i = 0; i < ABC.size(); i++) {
            broadcast(p, ABC.get(i), steps.get(i));
        }
        return p;
    }

    private static void broadcast(Peers p, String from, Step s) {
        p.events.get(from).addAll(s.events);
        for (LogEntry e : s.publish) {
            for (String n : p.sessions.keySet()) {
                if (!n.equals(from)) {
                    broadcast(p, n, p.get(n).receive(e));
                }
            }
        }
    }

    private static List<SessionEvent> of(Peers p, String who, SessionEvent.Kind kind) {
        List<SessionEvent> out = new ArrayList<>();
        for (SessionEvent e : p.events.get(who)) {
            if (e.kind == kind) {
                out.add(e);
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An entry that {@code author} signs with the next position of its log. */
    private static LogEntry next(MultiSession s, List<LogItem> items) {
        LogEntry e = LogEntry.sign(s.identity, s.me, s.nextSeq, s.head, items);
        s.nextSeq++;
        s.head = e.hash(s.suite);
        return e;
    }

    @Test
    void ownerTakesOnlyUpdateProposals() {
        Peers p = started();
        MultiSession bob = p.get("bob");
        // Bob's view of Alice's group, reached through the package: he proposes to remove Carol there.
        Group inAlice = groupOf(bob, "alice");
        long epoch = inAlice.epoch();
        byte[] removal = inAlice.proposeRemove(2, null);
        LogEntry forged = next(bob, List.of(LogItem.updateProposal(inAlice.groupId(), epoch, removal)));
        long aliceEpoch = p.get("alice").epoch("alice");
        Step s = p.get("alice").receive(forged);
        assertEquals(1, s.events.size(), s.events.toString());
        assertEquals(SessionEvent.Kind.REJECTED, s.events.get(0).kind);
        assertEquals(ErrorCode.INVALID_PROPOSAL, s.events.get(0).code);
        p.events.get("alice").addAll(s.events);
        Step commit = p.get("alice").update();
        for (LogItem i : commit.publish.get(0).items) {
            assertTrue(i.proposals.isEmpty(), "the refused proposal is neither bundled nor committed");
        }
        broadcast(p, "alice", commit);
        assertEquals(aliceEpoch + 1, p.get("alice").epoch("alice"));
        assertTrue(p.get("alice").roster().contains("carol"), "carol was not removed by bob's proposal");
    }

    @Test
    void receiversRefuseMessagesOfNonOwners() {
        Peers p = started();
        MultiSession bob = p.get("bob");
        Group inAlice = groupOf(bob, "alice");
        // Bob encrypts an application message in Alice's send group and publishes it in his log.
        byte[] msg = inAlice.encrypt(utf8("not alice"), null);
        LogEntry forged = next(bob, List.of(LogItem.application(inAlice.groupId(), inAlice.epoch(), msg)));
        Step s = p.get("carol").receive(forged);
        assertEquals(SessionEvent.Kind.REJECTED, s.events.get(0).kind, s.events.toString());
        assertEquals(ErrorCode.UNKNOWN_MEMBER, s.events.get(0).code);
        for (SessionEvent e : s.events) {
            assertFalse(e.kind == SessionEvent.Kind.MESSAGE, e.toString());
        }
    }

    @Test
    void aCommitWaitsForItsImportThenApplies() {
        Peers p = started();
        // Bob updates; only Alice sees it. Alice commits (importing Bob's new epoch) and Carol gets
        // Alice's commit first: it waits, it is not an error.
        Step bobUpdate = p.get("bob").update();
        LogEntry bobEntry = bobUpdate.publish.get(0);
        p.get("alice").receive(bobEntry);
        Step aliceCommit = p.get("alice").commit();
        LogEntry aliceEntry = aliceCommit.publish.get(0);
        boolean namesBob = false;
        for (LogItem.Import i : importsOf(aliceEntry)) {
            namesBob |= "bob".equals(SendGroupId.owner(i.groupId)) && i.epoch == p.get("bob").epoch("bob");
        }
        assertTrue(namesBob, "Alice imports Bob's new epoch");
        Step carol1 = p.get("carol").receive(aliceEntry);
        assertEquals(SessionEvent.Kind.WAITING, carol1.events.get(0).kind, carol1.events.toString());
        long before = p.get("carol").epoch("alice");
        Step carol2 = p.get("carol").receive(bobEntry);
        for (SessionEvent e : carol2.events) {
            assertFalse(e.kind == SessionEvent.Kind.REJECTED, e.toString());
        }
        assertEquals(before + 1, p.get("carol").epoch("alice"));
        assertEquals(p.get("alice").epoch("alice"), p.get("carol").epoch("alice"));
        assertTrue(java.util.Arrays.equals(p.get("alice").epochAuthenticator("alice"),
                p.get("carol").epochAuthenticator("alice")));
    }

    private static List<LogItem.Import> importsOf(LogEntry e) {
        for (LogItem i : e.items) {
            if (i.kind == LogItem.COMMIT) {
                return i.imports;
            }
        }
        return List.of();
    }

    @Test
    void twoCommitsForOneEpochAreEvidenceAnyoneVerifies() {
        Peers p = started();
        MultiSession alice = p.get("alice");
        int seq = alice.nextSeq;
        byte[] prev = alice.head;
        long epoch = alice.own.epoch();
        StagedCommit other = alice.own.update();
        byte[] otherCommit = other.message();
        alice.own.discard(other);
        LogEntry first = alice.update().publish.get(0);
        LogEntry second = LogEntry.sign(alice.identity, alice.me, seq, prev, List.of(LogItem.commit(alice.own.groupId(),
                epoch, otherCommit, List.<LogItem.Import>of(), List.<LogItem.Bundled>of())));
        p.get("bob").receive(first);
        Step s = p.get("bob").receive(second);
        Equivocation ev = null;
        for (SessionEvent e : s.events) {
            if (e.kind == SessionEvent.Kind.EQUIVOCATION) {
                ev = e.evidence;
            }
        }
        assertNotNull(ev, s.events.toString());
        byte[] key = p.identities.get("alice").signaturePublicKey();
        // A third party with only the two entries (as bytes) and Alice's key.
        LogEntry a = LogEntry.fromBytes(ev.first.toBytes());
        LogEntry b = LogEntry.fromBytes(ev.second.toBytes());
        assertTrue(Equivocation.verify(Peers.SUITE, key, Equivocation.Kind.SAME_POSITION, a, b));
        assertTrue(Equivocation.verify(Peers.SUITE, key, Equivocation.Kind.SAME_EPOCH, a, b));
        assertFalse(Equivocation.verify(Peers.SUITE, p.identities.get("bob").signaturePublicKey(),
                Equivocation.Kind.SAME_POSITION, a, b), "not under another key");
        assertFalse(Equivocation.verify(Peers.SUITE, key, Equivocation.Kind.SAME_POSITION, a, a), "one entry is no proof");
        byte[] tampered = b.toBytes();
        tampered[tampered.length - 1] ^= 1;
        assertFalse(Equivocation.verify(Peers.SUITE, key, Equivocation.Kind.SAME_POSITION, a, LogEntry.fromBytes(tampered)));
        // Default policy: Bob removes Alice from his send group.
        assertFalse(p.get("bob").roster().contains("alice"));
        assertEquals(List.of("alice"), new ArrayList<>(p.get("bob").equivocators()));
    }

    @Test
    void aRelayStoresAndForwardsWhatItCannotRead() {
        Peers p = started();
        broadcast(p, "alice", p.get("alice").protect(utf8("one")));
        broadcast(p, "bob", p.get("bob").update());
        broadcast(p, "alice", p.get("alice").protect(utf8("two")));
        List<LogEntry> all = new ArrayList<>();
        for (String n : ABC) {
            all.addAll(p.get(n).book().chain(n));
        }
        // A relay knows no keys: it keeps everything unverified, in any order, with duplicates.
        LogBook relay = new LogBook(Peers.SUITE);
        List<LogEntry> shuffled = new ArrayList<>(all);
        shuffled.addAll(all);
        Collections.shuffle(shuffled, new Random(7));
        for (LogEntry e : shuffled) {
            relay.offer(e);
        }
        List<LogEntry> forwarded = relay.missingFor(new java.util.HashMap<>());
        assertEquals(all.size(), forwarded.size(), "each entry once");
        // A fresh copy of Carol's state is not possible, so a new reader with the keys checks them:
        LogBook reader = new LogBook(Peers.SUITE);
        for (LogEntry e : forwarded) {
            reader.offer(LogEntry.fromBytes(e.toBytes()));
        }
        for (String n : ABC) {
            assertEquals(0, reader.chain(n).size(), "nothing is chained before the key is known");
            reader.trust(n, p.identities.get(n).signaturePublicKey());
            assertEquals(p.get(n).book().chain(n).size(), reader.chain(n).size(), n);
            assertNull(reader.evidence(n));
        }
        // A forged entry under a known author is dropped, not relayed.
        LogEntry good = p.get("alice").book().chain("alice").get(0);
        byte[] bad = good.toBytes();
        bad[bad.length - 2] ^= 1;
        assertFalse(reader.offer(LogEntry.fromBytes(bad)).isNew);
    }

    private static Group groupOf(MultiSession s, String owner) {
        return s.sendGroup(owner);
    }
}
