package org.mlskit.ds.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.TestDevice;
import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.Subscription;
import org.mlskit.group.Group;
import org.mlskit.group.StagedCommit;

/** Two DS instances on one PostgreSQL database: they order, hand out and fan out as one. */
class TwoInstanceRaceTest {
    static DeliveryService one;
    static DeliveryService two;

    @BeforeAll
    static void start() {
        String db = Engines.freshDb("postgres");
        DeliveryServiceConfig.Limits limits = DeliveryServiceConfig.Limits.DEFAULT.withClaims(6000, 1000);
        one = Engines.start(db, limits);
        two = Engines.start(db, limits);
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
    }

    static String base(int i) {
        return (i % 2 == 0 ? one : two).baseUrl();
    }

    @Test
    void twentyCommitsForOneEpochOverTwoInstancesOneWins() throws Exception {
        int n = 20;
        TestDevice alice = TestDevice.registered(base(0), "race2-alice", "laptop");
        List<TestDevice> members = new ArrayList<>();
        String[] users = new String[n];
        for (int i = 0; i < n; i++) {
            users[i] = "race2-" + i;
            TestDevice d = TestDevice.registered(base(i), users[i], "d");
            d.upload(1);
            members.add(d);
        }
        byte[] id = ("race2-" + System.nanoTime()).getBytes();
        Group ga = alice.createGroup(id);
        byte[] welcome = alice.invite(ga, users);
        List<StagedCommit> commits = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        List<byte[]> infos = new ArrayList<>();
        for (TestDevice d : members) {
            Group g = d.join(welcome);
            StagedCommit c = g.update();
            groups.add(g);
            commits.add(c);
            infos.add(g.groupInfo(c, true, true));
        }
        List<java.util.concurrent.Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            tasks.add(() -> {
                members.get(k).ds.commit(id, commits.get(k).message(), null, infos.get(k));
                return "ok:" + k;
            });
        }
        List<String> outcomes = AtOnce.run(tasks);
        List<String> ok = outcomes.stream().filter(o -> o.startsWith("ok:")).toList();
        assertEquals(1, ok.size(), outcomes.toString());
        assertEquals(n - 1, outcomes.stream().filter("WRONG_EPOCH:2"::equals).count(), outcomes.toString());
        // Everyone, on either instance, sees the winner's commit as the one after the Welcome.
        int winner = Integer.parseInt(ok.get(0).substring(3));
        for (int i = 0; i < n; i++) {
            List<DsClient.Entry> box = members.get(i).ds.fetch(0, 10).entries();
            assertEquals(2, box.size());
            if (i == winner) {
                groups.get(i).merge(commits.get(i));
            } else {
                groups.get(i).discard(commits.get(i));
                var pm = groups.get(i).process(box.get(1).message());
                groups.get(i).merge(pm.commit);
            }
            assertEquals(2, groups.get(i).epoch());
        }
    }

    @Test
    void twentyClaimsOfTheLastKeyPackageOverTwoInstancesOneGetsIt() throws Exception {
        int n = 20;
        TestDevice bob = TestDevice.registered(base(1), "last-bob", "phone");
        bob.upload(1);
        List<TestDevice> askers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            askers.add(TestDevice.registered(base(i), "last-ask-" + i, "d"));
        }
        List<java.util.concurrent.Callable<String>> tasks = new ArrayList<>();
        for (TestDevice a : askers) {
            tasks.add(() -> a.ds.claim("last-bob", 1).get(0).status());
        }
        List<String> outcomes = AtOnce.run(tasks);
        assertEquals(1, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertEquals(n - 1, outcomes.stream().filter("keyMaterialExhausted"::equals).count(), outcomes.toString());
    }

    @Test
    void aMessageAcceptedByOneInstanceIsPushedByTheOther() throws Exception {
        TestDevice alice = TestDevice.registered(base(0), "x2-alice", "laptop");
        TestDevice bob = TestDevice.registered(base(1), "x2-bob", "phone");
        bob.upload(1);
        byte[] id = ("x2-" + System.nanoTime()).getBytes();
        Group ga = alice.createGroup(id);
        byte[] welcome = alice.invite(ga, "x2-bob");
        Group gb = bob.join(welcome);
        List<DsClient.Entry> got = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        try (Subscription s = bob.ds.subscribe(0, entries -> entries.forEach(e -> {
            got.add(e);
            three.countDown();
        }))) {
            alice.ds.send(id, ga.encrypt("x2: one".getBytes(), new byte[0]));
            alice.ds.send(id, ga.encrypt("x2: two".getBytes(), new byte[0]));
            assertTrue(three.await(20, TimeUnit.SECONDS), "Welcome and both messages pushed by the other instance");
        }
        assertEquals("x2: one", new String(gb.process(got.get(1).message()).applicationData()), "in order");
        assertEquals("x2: two", new String(gb.process(got.get(2).message()).applicationData()));
    }
    /**
     * Members on both instances send at once: every subscriber, on either instance, gets every
     * entry once and in order, whether the other instance's NOTIFY carried it or (a message too
     * large for a notice) it had to be read back.
     */
    @Test
    void concurrentSendsOverBothInstancesReachEverySubscriberOnceInOrder() throws Exception {
        int n = 6;
        int each = 40;
        TestDevice alice = TestDevice.registered(base(0), "mix2-alice", "laptop");
        String[] users = new String[n];
        List<TestDevice> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users[i] = "mix2-" + i;
            TestDevice d = TestDevice.registered(base(i), users[i], "d");
            d.upload(1);
            members.add(d);
        }
        byte[] id = ("mix2-" + System.nanoTime()).getBytes();
        Group ga = alice.createGroup(id);
        byte[] welcome = alice.invite(ga, users);
        List<Group> groups = new ArrayList<>();
        for (TestDevice d : members) {
            groups.add(d.join(welcome));
        }
        List<List<Long>> got = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        int senders = 4;
        CountDownLatch everything = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            List<Long> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            subs.add(members.get(i).ds.subscribe(0, entries -> {
                entries.forEach(e -> mine.add(e.seq()));
                if (mine.size() == 1 + senders * each) {
                    everything.countDown();
                }
            }));
        }
        List<Long> accepted = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < senders; k++) {
            final int s = k;
            Thread t = new Thread(() -> {
                for (int m = 0; m < each; m++) {
                    // One message per sender too large for a notice (the other instance reads it back).
                    byte[] text = (m == 7 ? "x".repeat(9_000) : "mix2 " + s + "/" + m).getBytes();
                    accepted.add(members.get(s).ds.send(id, groups.get(s).encrypt(text, new byte[0])).seq());
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertEquals(senders * each, accepted.size(), "every send accepted");
        boolean all = everything.await(30, TimeUnit.SECONDS);
        subs.forEach(Subscription::close);
        List<Long> want = new ArrayList<>(accepted);
        java.util.Collections.sort(want);
        for (int i = 0; i < n; i++) {
            List<Long> seqs = got.get(i);
            assertTrue(all || seqs.size() == 1 + want.size(), "mix2-" + i + " got " + seqs.size() + " of " + (1 + want.size()));
            assertEquals(want, seqs.subList(1, seqs.size()), "mix2-" + i + ": every message once, in order");
        }
    }
}
