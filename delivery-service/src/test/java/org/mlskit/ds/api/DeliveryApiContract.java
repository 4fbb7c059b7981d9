package org.mlskit.ds.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.TestDevice;
import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.DsException;
import org.mlskit.ds.client.Subscription;
import org.mlskit.group.Group;
import org.mlskit.group.MessageInfo;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.StagedCommit;

/**
 * What every storage engine must do, against a real DS on loopback: subclasses name the engine.
 * Each test uses its own user names, so they share one server.
 */
abstract class DeliveryApiContract {
    static DeliveryService ds;
    static String base;
    static final List<String> PLAINTEXTS = new CopyOnWriteArrayList<>();
    static final String[] ENGINE = new String[1];

    static void startServer(String engine) {
        ds = Engines.start(Engines.freshDb(engine), DeliveryServiceConfig.Limits.DEFAULT.withMaxBody(64 * 1024));
        ENGINE[0] = engine;
        base = ds.baseUrl();
    }

    @AfterAll
    static void stopServer() {
        if (ds != null) {
            ds.close();
        }
    }

    static byte[] gid(String name) {
        return ("group-" + name + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    }

    static String code(Runnable r) {
        return assertThrows(DsException.class, r::run).code();
    }

    static byte[] say(Group g, String text) {
        assertTrue(text.length() >= 8, "a plaintext long enough not to occur by chance");
        PLAINTEXTS.add(text);
        return g.encrypt(text.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    static String read(Group g, byte[] message) {
        ProcessedMessage m = g.process(message);
        return new String(m.applicationData(), StandardCharsets.UTF_8);
    }

    /** Processes a handshake and merges it when it is a commit. */
    static void apply(Group g, byte[] message) {
        ProcessedMessage m = g.process(message);
        if (m.commit != null) {
            g.merge(m.commit);
        }
    }

    @Test
    void aLinkTicketLetsExactlyItsDeviceRegisterOnce() {
        TestDevice a = TestDevice.registered(base, "link-a", "phone");
        TestDevice b = TestDevice.registered(base, "link-b", "phone");
        String ticket = a.ds.linkTicket("laptop");
        assertTrue(ticket.matches("([A-Z2-9]{4}-){5}[A-Z2-9]{4}"), ticket);
        byte[] ask = "{\"device\":\"laptop\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("UNAUTHENTICATED", code(() -> a.ds.send("POST", "/v1/devices/link-tickets", ask, "application/json", null)),
                "needs a token");
        assertEquals("DEVICE_EXISTS", code(() -> a.ds.linkTicket("phone")));
        assertEquals("BAD_REQUEST", code(() -> a.ds.linkTicket("no spaces")));
        // Another device name, another user, a changed letter: refused, and nothing registered.
        assertEquals("FORBIDDEN", code(() -> TestDevice.of(base, "link-a", "tablet", 1).ds.register(ticket)));
        assertEquals("FORBIDDEN", code(() -> TestDevice.of(base, "link-b", "laptop", 1).ds.register(ticket)));
        char c = ticket.charAt(0) == 'A' ? 'B' : 'A';
        assertEquals("FORBIDDEN", code(() -> TestDevice.of(base, "link-a", "laptop", 1).ds.register(c + ticket.substring(1))));
        assertEquals("FORBIDDEN", code(() -> TestDevice.of(base, "link-a", "laptop", 1).ds.register(b.ds.linkTicket("laptop"))),
                "a ticket of another user");
        TestDevice laptop = TestDevice.of(base, "link-a", "laptop", 1);
        laptop.ds.register(ticket.toLowerCase(java.util.Locale.ROOT).replace("-", " ")); // read aloud, typed loosely
        assertNotNull(laptop.ds.token());
        assertEquals("DEVICE_EXISTS", code(() -> TestDevice.of(base, "link-a", "laptop", 1).ds.register(ticket)), "used once");
    }

    @Test
    void registrationProvesTheKeyAndChallengesAreSingleUse() {
        TestDevice a = TestDevice.registered(base, "reg-a", "phone");
        assertNotNull(a.ds.token());
        // The same device again, a second device without the user's token, a name that is not an id.
        TestDevice again = TestDevice.of(base, "reg-a", "phone", 1);
        assertEquals("FORBIDDEN", code(again.ds::register));
        TestDevice second = TestDevice.of(base, "reg-a", "tablet", 1);
        assertEquals("FORBIDDEN", code(second.ds::register));
        TestDevice other = TestDevice.registered(base, "reg-b", "phone");
        assertEquals("FORBIDDEN", code(() -> second.ds.register(other.ds)), "another user's token");
        second.ds.register(a.ds);
        assertEquals("DEVICE_EXISTS", code(() -> TestDevice.of(base, "reg-a", "phone", 1).ds.register(a.ds)));
        assertEquals("BAD_REQUEST", code(() -> TestDevice.of(base, "reg a", "phone", 1).ds.register()));

        // A challenge answered twice, and a signature by another key.
        byte[] c = a.ds.challenge();
        JsonObject body = new JsonObject();
        body.addProperty("user", "reg-a");
        body.addProperty("device", "phone");
        body.addProperty("challenge", java.util.Base64.getEncoder().encodeToString(c));
        body.addProperty("signature", java.util.Base64.getEncoder().encodeToString(a.ds.sign(c)));
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        a.ds.send("POST", "/v1/tokens", json, "application/json", null);
        DsException replay = assertThrows(DsException.class, () -> a.ds.send("POST", "/v1/tokens", json, "application/json", null));
        assertEquals("BAD_CHALLENGE", replay.code());
        assertEquals(401, replay.status());
        byte[] c2 = a.ds.challenge();
        body.addProperty("challenge", java.util.Base64.getEncoder().encodeToString(c2));
        body.addProperty("signature", java.util.Base64.getEncoder().encodeToString(other.ds.sign(c2)));
        assertEquals("BAD_SIGNATURE", assertThrows(DsException.class, () -> a.ds.send("POST", "/v1/tokens",
                body.toString().getBytes(StandardCharsets.UTF_8), "application/json", null)).code());

        // No token, a forged token, a token of another device reads only that device's mailbox.
        assertEquals("UNAUTHENTICATED", assertThrows(DsException.class,
                () -> a.ds.send("GET", "/v1/mailbox", null, null, null)).code());
        String forged = a.ds.token().substring(0, a.ds.token().length() - 4) + "AAAA";
        assertEquals("UNAUTHENTICATED", assertThrows(DsException.class,
                () -> a.ds.send("GET", "/v1/mailbox", null, null, forged)).code());
    }

    @Test
    void keyPackagesOnePerDeviceThenLastResortThenExhausted() {
        TestDevice alice = TestDevice.registered(base, "kp-alice", "laptop");
        TestDevice bob1 = TestDevice.registered(base, "kp-bob", "phone");
        TestDevice bob2 = TestDevice.of(base, "kp-bob", "desk", 1);
        bob2.ds.register(bob1.ds);
        bob1.upload(2);
        bob2.upload(1);
        bob2.ds.uploadKeyPackages(bob2.keyPackages(1, true));
        JsonObject count = bob2.ds.keyPackageCount();
        assertEquals(1, count.getAsJsonObject("remaining").get("1").getAsInt());
        assertTrue(count.get("lastResort").getAsBoolean());

        // Someone else's KeyPackage is refused.
        assertEquals("INVALID_KEY_PACKAGE", code(() -> bob1.ds.uploadKeyPackages(bob2.keyPackages(1, false))));
        assertEquals("MALFORMED_MESSAGE", code(() -> bob1.ds.uploadKeyPackages(List.of(new byte[] {0, 1, 0, 5, 9}))));

        List<DsClient.Claimed> first = alice.ds.claim("kp-bob", 1);
        assertEquals(List.of("desk", "phone"), first.stream().map(DsClient.Claimed::device).toList());
        assertTrue(first.stream().allMatch(c -> c.ok() && !c.lastResort()));
        List<DsClient.Claimed> second = alice.ds.claim("kp-bob", 1);
        assertTrue(second.get(0).ok() && second.get(0).lastResort(), "desk: its last resort");
        assertTrue(second.get(1).ok() && !second.get(1).lastResort(), "phone: its second one-time KeyPackage");
        assertTrue(bob2.ds.keyPackageCount().get("rotateLastResort").getAsBoolean());
        assertFalse(bob1.ds.keyPackageCount().get("rotateLastResort").getAsBoolean());
        List<DsClient.Claimed> third = alice.ds.claim("kp-bob", 1);
        assertTrue(third.get(0).lastResort());
        assertEquals("keyMaterialExhausted", third.get(1).status());
        bob1.upload(1);
        assertEquals("nothingCompatible", alice.ds.claim("kp-bob", 2).get(1).status(), "suite 1 only");
        // Bob claiming his own user gets his other device only.
        assertEquals(List.of("desk"), bob1.ds.claim("kp-bob", 1).stream().map(DsClient.Claimed::device).toList());
        assertEquals("NOT_FOUND", code(() -> alice.ds.claim("kp-nobody", 1)));
        // A new last resort resets the rotation flag.
        bob2.ds.uploadKeyPackages(bob2.keyPackages(1, true));
        assertFalse(bob2.ds.keyPackageCount().get("rotateLastResort").getAsBoolean());
    }

    @Test
    void claimsAreRateLimited() {
        try (DeliveryService small = Engines.start(Engines.freshDb(ENGINE[0]), DeliveryServiceConfig.Limits.DEFAULT.withClaims(6, 5))) {
            TestDevice alice = TestDevice.registered(small.baseUrl(), "rl-alice", "laptop");
            TestDevice bob = TestDevice.registered(small.baseUrl(), "rl-bob", "phone");
            for (int i = 0; i < 5; i++) {
                alice.ds.claim("rl-bob", 1);
            }
            DsException e = assertThrows(DsException.class, () -> alice.ds.claim("rl-bob", 1));
            assertEquals("RATE_LIMITED", e.code());
            assertEquals(429, e.status());
            assertTrue(e.body().get("retryAfter").getAsLong() >= 1, "when to come back");
            assertEquals(1, bob.ds.claim("rl-alice", 1).size(), "per requester: bob still may");
        }
    }

    @Test
    void welcomesReachExactlyTheAddedDevicesAndMessagesFlow() {
        TestDevice alice = TestDevice.registered(base, "w-alice", "laptop");
        TestDevice bob1 = TestDevice.registered(base, "w-bob", "phone");
        TestDevice bob2 = TestDevice.of(base, "w-bob", "desk", 1);
        bob2.ds.register(bob1.ds);
        TestDevice carol = TestDevice.registered(base, "w-carol", "phone");
        bob1.upload(1);
        bob2.upload(1);
        carol.upload(1);
        byte[] id = gid("w");
        Group ga = alice.createGroup(id);
        byte[] welcome = alice.invite(ga, "w-bob");
        for (TestDevice b : List.of(bob1, bob2)) {
            List<DsClient.Entry> box = b.ds.fetch(0, 100).entries();
            assertEquals(1, box.size(), "the Welcome only");
            assertArrayEquals(welcome, box.get(0).message());
        }
        assertTrue(carol.ds.fetch(0, 100).entries().isEmpty());
        Group gb1 = bob1.join(welcome);
        Group gb2 = bob2.join(welcome);

        DsClient.Accepted sent = alice.ds.send(id, say(ga, "w: hello bob"));
        assertEquals(1, sent.epoch());
        for (Group g : List.of(gb1, gb2)) {
            TestDevice d = g == gb1 ? bob1 : bob2;
            List<DsClient.Entry> box = d.ds.fetch(0, 100).entries();
            assertEquals(2, box.size());
            assertEquals("w: hello bob", read(g, box.get(1).message()));
        }
        // Alice's own mailbox has her commit and her message (echoes).
        assertEquals(2, alice.ds.fetch(0, 100).entries().size());
        JsonObject state = bob1.ds.groupState(id);
        assertEquals(1, state.get("epoch").getAsLong());
        assertEquals(3, state.getAsJsonArray("members").size());
        assertEquals("NOT_MEMBER", code(() -> carol.ds.groupState(id)));
        assertEquals("NOT_MEMBER", code(() -> carol.ds.send(id, say(ga, "w: not from carol"))));
        assertEquals("NOT_MEMBER", code(() -> carol.ds.groupInfo(id)));
        // A member's commit sent by a non-member, and a member's commit sent by another member.
        StagedCommit bobs = gb1.update();
        byte[] bobsInfo = gb1.groupInfo(bobs, true, true);
        assertEquals("NOT_MEMBER", code(() -> carol.ds.commit(id, bobs.message(), null, bobsInfo)));
        assertEquals("NOT_MEMBER", code(() -> bob2.ds.commit(id, bobs.message(), null, bobsInfo)));
        gb1.discard(bobs);
        assertEquals(1, bob1.ds.groupState(id).get("epoch").getAsLong(), "nothing moved");

        // Bob removes Carol? Carol is not in. Alice removes bob's desk: it receives the commit, then nothing.
        StagedCommit rm = ga.remove(gb2.myLeafIndex());
        long removalSeq = alice.send(ga, rm).seq();
        apply(gb1, bob1.ds.fetch(sent.seq(), 100).entries().get(0).message());
        alice.ds.send(id, say(ga, "w: after removal"));
        List<DsClient.Entry> desk = bob2.ds.fetch(sent.seq(), 100).entries();
        assertEquals(1, desk.size());
        assertEquals(removalSeq, desk.get(0).seq());
        assertEquals("NOT_MEMBER", code(() -> bob2.ds.send(id, say(gb2, "w: I was removed"))));
        List<DsClient.Entry> phone = bob1.ds.fetch(removalSeq, 100).entries();
        assertEquals("w: after removal", read(gb1, phone.get(0).message()));
    }

    @Test
    void concurrentCommitsForOneEpochOneWins() throws Exception {
        TestDevice alice = TestDevice.registered(base, "race-alice", "laptop");
        List<TestDevice> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestDevice d = TestDevice.registered(base, "race-" + i, "d");
            d.upload(1);
            others.add(d);
        }
        byte[] id = gid("race");
        Group ga = alice.createGroup(id);
        byte[] welcome = alice.invite(ga, "race-0", "race-1", "race-2", "race-3");
        List<Group> groups = new ArrayList<>();
        for (TestDevice d : others) {
            groups.add(d.join(welcome));
        }
        List<java.util.concurrent.Callable<String>> commits = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            TestDevice d = others.get(i);
            Group g = groups.get(i);
            StagedCommit c = g.update();
            byte[] gi = g.groupInfo(c, true, true);
            commits.add(() -> {
                d.ds.commit(id, c.message(), null, gi);
                return "ok";
            });
        }
        List<String> outcomes = AtOnce.run(commits);
        assertEquals(1, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertEquals(3, outcomes.stream().filter("WRONG_EPOCH:2"::equals).count(), outcomes.toString());
    }

    @Test
    void externalJoinFromTheStoredGroupInfo() {
        TestDevice alice = TestDevice.registered(base, "x-alice", "laptop");
        TestDevice alice2 = TestDevice.of(base, "x-alice", "phone", 1);
        alice2.ds.register(alice.ds);
        TestDevice eve = TestDevice.registered(base, "x-eve", "laptop");
        byte[] id = gid("x");
        Group ga = alice.createGroup(id);
        assertEquals("NOT_MEMBER", code(() -> eve.ds.groupInfo(id)));
        byte[] gi = alice2.ds.groupInfo(id);
        assertEquals(0, MessageInfo.inspect(gi).epoch);
        Group.ExternalJoin j = Group.joinExternally(gi, alice2.identity, null, -1, List.of(), new byte[0],
                org.mlskit.group.GroupConfig.DEFAULT, TestDevice.RANDOM_SOURCE);
        DsClient.Accepted a = alice2.ds.commit(id, j.commit(), null, j.group.groupInfo(true, true));
        assertEquals(1, a.epoch());
        apply(ga, alice.ds.fetch(0, 10).entries().get(0).message());
        alice2.ds.send(id, say(j.group, "x: from my phone"));
        assertEquals("x: from my phone", read(ga, alice.ds.fetch(a.seq(), 10).entries().get(0).message()));
        // Eve cannot join the same way, even with a valid external commit of her own.
        Group.ExternalJoin ej = Group.joinExternally(alice2.ds.groupInfo(id), eve.identity, null, -1, List.of(), new byte[0],
                org.mlskit.group.GroupConfig.DEFAULT, TestDevice.RANDOM_SOURCE);
        assertEquals("NOT_MEMBER", code(() -> eve.ds.commit(id, ej.commit(), null, ej.group.groupInfo(true, true))));
    }

    @Test
    void badInputIsRefusedWithItsCodeAndChangesNothing() {
        TestDevice alice = TestDevice.registered(base, "bad-alice", "laptop");
        byte[] id = gid("bad");
        Group ga = alice.createGroup(id);
        assertEquals("GROUP_EXISTS", code(() -> alice.ds.createGroup(id, ga.groupInfo(true, true))));
        String path = "/v1/groups/" + Http.groupIdText(id) + "/messages";
        String t = alice.ds.token();
        assertEquals("MALFORMED_MESSAGE", code(() -> alice.ds.send("POST", path, new byte[] {0, 1, 0, 2, 7}, "message/mls", t)));
        assertEquals("UNSUPPORTED_MEDIA_TYPE", code(() -> alice.ds.send("POST", path, say(ga, "bad: plain text type"), "text/plain", t)));
        DsException big = assertThrows(DsException.class,
                () -> alice.ds.send("POST", path, new byte[200 * 1024], "message/mls", t));
        assertEquals(413, big.status());
        assertEquals("PAYLOAD_TOO_LARGE", big.code());
        assertEquals("NOT_FOUND", code(() -> alice.ds.send("GET", "/v1/nothing", null, null, t)));
        // A commit without its GroupInfo, one for a later epoch, and a GroupInfo without the tree.
        StagedCommit c = ga.update();
        assertEquals("BAD_REQUEST", code(() -> alice.ds.send("POST", "/v1/groups/" + Http.groupIdText(id) + "/commits",
                c.message(), "message/mls", t)));
        assertEquals("INVALID_GROUP_INFO", code(() -> alice.ds.commit(id, c.message(), null, ga.groupInfo(c, false, true))));
        assertEquals("INVALID_GROUP_INFO", code(() -> alice.ds.commit(id, c.message(), null, ga.groupInfo(true, true))));
        // Nothing of that moved the room.
        assertEquals(0, alice.ds.groupState(id).get("epoch").getAsLong());
        assertTrue(alice.ds.fetch(0, 10).entries().isEmpty());
        assertEquals(1, alice.send(ga, c).epoch());
    }

    @Test
    void liveFanOutToFiftyDevicesAndResumeAfterDisconnect() throws Exception {
        int n = 50;
        TestDevice alice = TestDevice.registered(base, "fan-alice", "laptop");
        List<TestDevice> devices = new ArrayList<>();
        String[] users = new String[n];
        for (int i = 0; i < n; i++) {
            users[i] = "fan-" + i;
            TestDevice d = TestDevice.registered(base, users[i], "d");
            d.upload(1);
            devices.add(d);
        }
        byte[] id = gid("fan");
        Group ga = alice.createGroup(id);
        alice.invite(ga, users);
        int messages = 30;
        List<List<DsClient.Entry>> got = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(n);
        List<Subscription> subs = new ArrayList<>();
        Map<Integer, String> closes = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Long> live = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            List<DsClient.Entry> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            final int k = i;
            subs.add(devices.get(i).ds.subscribe(0, new Subscription.Listener() {
                @Override
                public void entries(List<DsClient.Entry> entries) {
                    mine.addAll(entries);
                    if (mine.size() == messages + 1 && k != 0) {
                        all.countDown();
                    }
                }

                @Override
                public void live(long seq) {
                    live.put(k, seq);
                }

                @Override
                public void closed(int code, String reason) {
                    closes.put(k, code + " " + reason);
                }
            }));
        }
        for (int m = 0; m < messages; m++) {
            if (m == 10) {
                subs.get(0).abort(); // device 0 drops off the network
            }
            alice.ds.send(id, say(ga, "fan: message " + m));
        }
        all.countDown();
        if (!all.await(60, TimeUnit.SECONDS)) {
            StringBuilder counts = new StringBuilder();
            for (int i = 1; i < n; i++) {
                if (got.get(i).size() != messages + 1) {
                    counts.append(" fan-").append(i).append(": ").append(got.get(i).stream().map(DsClient.Entry::seq).toList())
                            .append(live.containsKey(i) ? " live at " + live.get(i) : " never live")
                            .append(closes.containsKey(i) ? ", closed " + closes.get(i) : "");
                }
            }
            throw new AssertionError("not every live device got the Welcome and every message:" + counts);
        }
        for (int i = 1; i < n; i++) {
            List<Long> seqs = got.get(i).stream().map(DsClient.Entry::seq).toList();
            assertEquals(messages + 1, seqs.size());
            assertTrue(isStrictlyIncreasing(seqs), "in order, no duplicates");
        }
        // Device 0 resumes from the last sequence number it saw and ends with everything, once.
        List<DsClient.Entry> zero = got.get(0);
        long last = zero.isEmpty() ? 0 : zero.get(zero.size() - 1).seq();
        CountDownLatch resumed = new CountDownLatch(1);
        Subscription again = devices.get(0).ds.subscribe(last, new Subscription.Listener() {
            @Override
            public void entries(List<DsClient.Entry> entries) {
                zero.addAll(entries);
            }

            @Override
            public void live(long seq) {
                resumed.countDown();
            }
        });
        assertTrue(resumed.await(30, TimeUnit.SECONDS));
        List<Long> seqs = zero.stream().map(DsClient.Entry::seq).toList();
        assertEquals(messages + 1, seqs.size(), seqs.toString());
        assertTrue(isStrictlyIncreasing(seqs));
        Group g0 = devices.get(0).join(zero.get(0).message());
        assertEquals("fan: message " + (messages - 1), read(g0, decryptAll(g0, zero)));
        again.close();
        for (Subscription s : subs.subList(1, n)) {
            s.close();
        }
    }

    /** With hold=1 nothing is sent before the client's start; then the catch-up and the live marker. */
    @Test
    void aHeldSocketSendsNothingBeforeTheClientStarts() throws Exception {
        TestDevice alice = TestDevice.registered(base, "hold-alice", "laptop");
        byte[] id = gid("hold");
        Group ga = alice.createGroup(id);
        long seq = alice.ds.send(id, say(ga, "hold: before the socket")).seq();
        List<String> frames = new CopyOnWriteArrayList<>();
        java.net.URI uri = java.net.URI.create(base.replaceFirst("^http", "ws") + "/v1/mailbox/ws?after=0&hold=1&token="
                + java.net.URLEncoder.encode(alice.ds.token(), StandardCharsets.UTF_8));
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new java.net.http.WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            Thread.sleep(300);
            assertTrue(frames.isEmpty(), "frames before start: " + frames);
            ws.sendText("{\"type\":\"start\"}", true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (frames.stream().noneMatch(f -> f.contains("\"type\":\"live\"")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, frames.size(), frames.toString());
            assertTrue(frames.get(0).contains("\"seq\":" + seq), frames.get(0));
            assertEquals("{\"type\":\"live\",\"seq\":" + seq + "}", frames.get(1));
        } finally {
            ws.abort();
        }
    }

    /**
     * The live feed works out recipients from membership it keeps in memory: after each commit
     * an added device must get what follows and a removed one nothing more, on the live socket.
     */
    @Test
    void liveDeliveryFollowsEachCommitsMembership() throws Exception {
        TestDevice alice = TestDevice.registered(base, "lm-alice", "laptop");
        TestDevice bob = TestDevice.registered(base, "lm-bob", "phone");
        TestDevice carol = TestDevice.registered(base, "lm-carol", "phone");
        bob.upload(1);
        carol.upload(1);
        byte[] id = gid("lm");
        Group ga = alice.createGroup(id);
        byte[] bobWelcome = alice.invite(ga, "lm-bob");
        Group gb = bob.join(bobWelcome);
        List<List<Long>> live = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        List<Subscription> subs = new ArrayList<>();
        CountDownLatch bothLive = new CountDownLatch(2);
        List<TestDevice> listeners = List.of(bob, carol);
        for (int i = 0; i < 2; i++) {
            List<Long> seqs = live.get(i);
            long after = i == 0 ? bob.ds.fetch(0, 100).entries().get(0).seq() : 0;
            subs.add(listeners.get(i).ds.subscribe(after, new Subscription.Listener() {
                @Override
                public void entries(List<DsClient.Entry> entries) {
                    entries.forEach(e -> seqs.add(e.seq()));
                }

                @Override
                public void live(long seq) {
                    bothLive.countDown();
                }
            }));
        }
        assertTrue(bothLive.await(30, TimeUnit.SECONDS));
        long m1 = alice.ds.send(id, say(ga, "lm: before carol")).seq();
        alice.invite(ga, "lm-carol");
        long added = alice.ds.fetch(m1, 10).entries().get(0).seq();
        long m2 = alice.ds.send(id, say(ga, "lm: carol is in")).seq();
        long removed = alice.send(ga, ga.remove(gb.myLeafIndex())).seq();
        long m3 = alice.ds.send(id, say(ga, "lm: bob is out")).seq();
        long welcome = carol.ds.fetch(0, 10).entries().get(0).seq();
        List<Long> wantBob = List.of(m1, added, m2, removed);
        List<Long> wantCarol = List.of(welcome, m2, removed, m3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((live.get(0).size() < wantBob.size() || live.get(1).size() < wantCarol.size()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        alice.ds.send(id, say(ga, "lm: a last one")); // anything wrongly routed to bob would come with it
        Thread.sleep(300);
        assertEquals(wantBob, live.get(0), "bob: live up to and including his removal, then nothing");
        assertEquals(wantCarol.subList(0, 4), live.get(1).subList(0, 4), "carol: her Welcome, then from her add on");
        assertEquals(5, live.get(1).size());
        subs.forEach(Subscription::close);
    }

    /** Processes every message but the last; returns the last. */
    private static byte[] decryptAll(Group g, List<DsClient.Entry> entries) {
        for (int i = 1; i < entries.size() - 1; i++) {
            apply(g, entries.get(i).message());
        }
        return entries.get(entries.size() - 1).message();
    }

    private static boolean isStrictlyIncreasing(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Every column of every table, as bytes and as text: no plaintext any test sent is there. */
    @Test
    void zzNoPlaintextInTheDatabase() throws Exception {
        assertTrue(PLAINTEXTS.size() > 30, "the other tests sent messages first");
        List<String> found = ds.database().read(s -> {
            List<String> hits = new ArrayList<>();
            for (String table : List.of("users", "devices", "challenges", "key_packages", "rooms", "messages", "memberships",
                    "direct", "server_keys")) {
                try (ResultSet rs = s.connection().createStatement().executeQuery("SELECT * FROM " + table)) {
                    int cols = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int c = 1; c <= cols; c++) {
                            Object v = rs.getObject(c);
                            byte[] b = v instanceof byte[] bytes ? bytes
                                    : v == null ? new byte[0] : v.toString().getBytes(StandardCharsets.UTF_8);
                            for (String p : PLAINTEXTS) {
                                if (indexOf(b, p.getBytes(StandardCharsets.UTF_8)) >= 0) {
                                    hits.add(table + ": " + p);
                                }
                            }
                        }
                    }
                }
            }
            return hits;
        });
        assertEquals(List.of(), found);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
