package org.mlskit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.group.Group;

/**
 * Seeded interleavings of several devices against the simulated DS: latency, lost answers,
 * dropped sockets, racing commits, restarts. Every device must end on the same epoch
 * authenticator, every message must reach every member of its epoch exactly once, and no
 * intent may be lost to a race. A failing seed replays exactly.
 */
class ClientSimulationTest {
    static final ClientConfig CONFIG = ClientConfig.DEFAULT.withKeyPackages(4, 2);
    /** Chance per saving Output, while the devices talk, of a crash mid-save (-Dsim.crashRate=R). */
    static final double CRASH_RATE = Double.parseDouble(System.getProperty("sim.crashRate", "0.03"));

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.MethodSource("manySeeds")
    void convergesUnderRacesLossAndRestarts(long seed) {
        Sim sim = new Sim(seed, CONFIG);
        sim.lossRate = 0.05;
        sim.dropRate = 0.03;
        Sim.Dev alice = sim.device("alice", "laptop");
        Sim.Dev bob1 = sim.device("bob", "phone");
        Sim.Dev carol = sim.device("carol", "laptop");
        Sim.Dev dave = sim.device("dave", "laptop");
        sim.run(3_000);
        assertTrue(alice.engine.ready(), "registered and signed in despite lost answers");
        // bob's second device: registered by the DS as a further device of bob (the sim does not check who may).
        Sim.Dev bob2 = sim.device("bob", "tablet");
        sim.run(3_000);

        byte[] gid = groupWith(sim, alice, "bob", "carol");
        assertEquals(4, alice.engine.members(gid).size(), alice.engine.members(gid) + " " + alice.events);

        // Concurrent intents from several members, messages in between, a restart mid-way, and
        // crashes in the middle of saves (a random prefix of an Output's writes lands).
        Map<String, Set<String>> expected = new HashMap<>();
        Set<String> neverSent = new HashSet<>();
        List<Sim.Dev> talkers = List.of(alice, bob1, bob2, carol);
        int sent = 0;
        sim.crashRate = CRASH_RATE;
        for (int round = 0; round < 6; round++) {
            for (Sim.Dev d : talkers) {
                if (sim.rnd.nextInt(3) == 0) {
                    d.apply(d.engine.update(sim.now, gid));
                }
                String text = "seed " + seed + " round " + round + " from " + d.name;
                if (d.apply(d.engine.send(sim.now, gid, text.getBytes(StandardCharsets.UTF_8)))) {
                    sent++;
                    expected.put(text, new HashSet<>());
                } else {
                    neverSent.add(text); // the crash came before the send was saved: the app saw it fail
                }
            }
            if (round == 1) {
                talkers.get(sim.rnd.nextInt(talkers.size())).crashNext = true; // at least one crash mid-save
            }
            if (round == 2) {
                bob2.restart();
            }
            if (round == 3) {
                while (!alice.apply(alice.engine.invite(sim.now, gid, "dave"))) {
                    // torn before it was saved: the app asks again
                }
                carol.apply(carol.engine.update(sim.now, gid));
            }
            sim.run(300 + sim.rnd.nextInt(700));
        }
        sim.run(5_000);
        sim.crashRate = 0;
        sim.run(30_000);

        List<Sim.Dev> members = List.of(alice, bob1, bob2, carol, dave);
        Group ref = alice.engine.group(gid);
        for (Sim.Dev d : members) {
            Group g = d.engine.group(gid);
            assertNotNull(g, d.name + " is in the group");
            assertEquals(ref.epoch(), g.epoch(), d.name + " epoch");
            assertArrayEquals(ref.epochAuthenticator(), g.epochAuthenticator(), d.name + " epoch authenticator");
            assertEquals(0, d.engine.pendingIntents(gid), d.name + " has no intent left");
            assertEquals(5, d.engine.members(gid).size(), d.name + " sees five devices");
        }
        // Every message once to every member other than its sender that was in the group when it was sent.
        Map<String, Map<String, Integer>> got = new HashMap<>();
        for (Sim.Dev d : members) {
            Map<String, Integer> mine = new HashMap<>();
            for (ClientEvent e : d.events) {
                assertFalse(e.kind == ClientEvent.Kind.ERROR && !"DUPLICATE_MESSAGE".equals(e.code) && seed >= 0
                        && !e.text.contains("resyncing"), "seed " + seed + " " + d.name + ": " + e);
                if (e.kind == ClientEvent.Kind.MESSAGE) {
                    mine.merge(new String(e.data, StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
            got.put(d.name, mine);
        }
        for (String text : neverSent) {
            for (Sim.Dev d : members) {
                assertEquals(null, got.get(d.name).get(text), d.name + " got '" + text + "', whose send was never saved");
            }
        }
        for (String text : expected.keySet()) {
            String sender = text.substring(text.indexOf(" from ") + 6);
            for (Sim.Dev d : List.of(alice, bob1, bob2, carol)) {
                if (d.name.equals(sender)) {
                    continue;
                }
                Integer n = got.get(d.name).get(text);
                if (d.lostAfterCommit.contains(text)) {
                    // Its save was committed, then the device died before showing it: no store can prevent that.
                    assertEquals(null, n, d.name + " got '" + text + "' after it was processed and saved");
                } else if (resynced(d)) {
                    // It lost its state mid-commit (a restart before its accepted commit's echo) and joined
                    // again: messages of the epochs it skipped are not readable to it; never twice, though.
                    assertTrue(n == null || n == 1, d.name + " got '" + text + "' " + n + " times");
                } else {
                    assertEquals(Integer.valueOf(1), n, d.name + " got '" + text + "' once");
                }
            }
        }
        // What each device holds: one version per record, and no epoch beyond those it keeps.
        for (Sim.Dev d : members) {
            Map<String, Integer> versions = new HashMap<>();
            Set<String> bases = new HashSet<>();
            for (String k : d.store.keySet()) {
                if (k.contains("@")) {
                    String name = k.substring(0, k.lastIndexOf('@'));
                    versions.merge(name, 1, Integer::sum);
                    if (name.matches("group/[0-9a-f]+/e/[0-9]+")) {
                        bases.add(name);
                    }
                }
            }
            versions.forEach((name, n) -> assertEquals(1, n, d.name + " holds " + n + " versions of " + name));
            assertTrue(bases.size() <= 1 + CONFIG.groupConfig.retainedEpochs, d.name + " keeps " + bases);
            assertTrue(bases.contains(ClientEngine.keyOf(gid) + "/e/" + ref.epoch()), d.name + " saved the current epoch");
        }
        assertEquals(24, sent + neverSent.size());
        assertTrue(sent >= 12, "sent " + sent);
        assertTrue(sim.crashes > 0, "no device crashed mid-save");
        // The DS holds no plaintext.
        for (byte[] b : sim.ds.stored) {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            assertFalse(s.contains("round"), "a plaintext at the DS");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void removedMembersStopAndLeaversAreCommitted(long seed) {
        Sim sim = new Sim(seed, CONFIG);
        Sim.Dev alice = sim.device("alice", "laptop");
        Sim.Dev bob = sim.device("bob", "phone");
        Sim.Dev carol = sim.device("carol", "laptop");
        sim.run(3_000);
        byte[] gid = groupWith(sim, alice, "bob", "carol");
        alice.apply(alice.engine.removeUser(sim.now, gid, "bob"));
        sim.run(3_000);
        assertTrue(bob.events.stream().anyMatch(e -> e.kind == ClientEvent.Kind.REMOVED), "bob learns he was removed");
        alice.apply(alice.engine.send(sim.now, gid, "after bob left".getBytes(StandardCharsets.UTF_8)));
        carol.apply(carol.engine.leave(sim.now, gid));
        sim.run(10_000);
        assertTrue(bob.events.stream().noneMatch(e -> e.kind == ClientEvent.Kind.MESSAGE
                && new String(e.data, StandardCharsets.UTF_8).equals("after bob left")));
        assertTrue(carol.events.stream().anyMatch(e -> e.kind == ClientEvent.Kind.REMOVED), "carol's leave was committed");
        assertEquals(List.of("alice/laptop"), alice.engine.members(gid));
    }

    static java.util.stream.LongStream manySeeds() {
        // -Dsim.seed=S replays one seed (add -Dsim.trace=true to see every step); -Dsim.seeds=N runs seeds 1..N.
        Long one = Long.getLong("sim.seed");
        return one != null ? java.util.stream.LongStream.of(one) : java.util.stream.LongStream.rangeClosed(1, Long.getLong("sim.seeds", 20));
    }

    /** {@code owner} creates a group and invites {@code users}; returns its id once the invites had time. */
    static byte[] groupWith(Sim sim, Sim.Dev owner, String... users) {
        owner.apply(owner.engine.createGroup(sim.now));
        sim.run(2_000);
        byte[] gid = joined(owner);
        for (String u : users) {
            owner.apply(owner.engine.invite(sim.now, gid, u));
        }
        sim.run(5_000);
        return gid;
    }

    static boolean resynced(Sim.Dev d) {
        List<ClientEvent> all = new ArrayList<>(d.events);
        all.addAll(d.lostEvents); // a crash after the save that started it hid the event, not the resync
        return all.stream().anyMatch(e -> e.kind == ClientEvent.Kind.ERROR && e.text.contains("resyncing"));
    }

    static byte[] joined(Sim.Dev d) {
        for (ClientEvent e : d.events) {
            if (e.kind == ClientEvent.Kind.JOINED) {
                return e.groupId;
            }
        }
        throw new AssertionError(d.name + " joined nothing: " + d.events);
    }
}
