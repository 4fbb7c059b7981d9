package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An end-to-end encrypted call through the real Janus: three pages (alice, bob, carol) in one MLS
 * group (bob on the createEncodedStreams path, the others on RTCRtpScriptTransform) publish a
 * canvas stream of their own colour and a tone of their own frequency to a VideoRoom that requires
 * end-to-end encrypted publishers, with mlskit/call's SFrame transform (keys from the group,
 * wasm-gc build), and subscribe to each other. Each receives the other two: frames decoded grow,
 * the decoded picture has the sender's colour and the decoded audio the sender's tone. A fourth
 * page in the room without the group's keys gets the same forwarded packets and decodes no picture
 * and no tone. Carol subscribes again to the running streams (the late-receiver case). Then carol
 * is removed from the group mid-call: the others move to the next key epoch and keep seeing each
 * other, carol's frames are refused after the grace period and she decrypts nothing of the new
 * epoch. About 30-40 s.
 */
class CallJanusTest {
    private static final Map<String, int[]> COLOURS = Map.of(
            "alice", new int[] {220, 40, 40},
            "bob", new int[] {40, 200, 40},
            "carol", new int[] {40, 40, 220});
    /**
     * The share of the heard spectrum's power near its peak that makes it a tone (see hears): a tone
     * heard through Opus measures 1.0, the noise Opus makes of ciphertext 0.14-0.47.
     */
    private static final double MIN_TONALITY = 0.8;
    /** Each sender's tone: the receivers find its frequency in the audio they decode. */
    private static final Map<String, Integer> TONES = Map.of("alice", 440, "bob", 660, "carol", 990);
    private static final Gson GSON = new Gson();

    static JanusServer janus;
    static PackageSite site;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        janus = JanusServer.start(SelfTestPage.repositoryRoot());
        site = PackageSite.start(SelfTestPage.repositoryRoot());
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright, Chromium.CALL_ARGS);
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, site, janus);
    }

    private static Page open() {
        Page page = browser.newContext().newPage();
        page.navigate(site.url("pages/call.html"));
        page.waitForFunction("() => window.callTestReady === true");
        return page;
    }

    private static JsonElement call(Page page, String expression, Object arg) {
        Object r = page.evaluate(expression, arg);
        return JsonParser.parseString(GSON.toJson(r));
    }

    private static boolean near(JsonElement pixel, int[] colour) {
        if (pixel == null || pixel.isJsonNull()) {
            return false;
        }
        JsonArray p = pixel.getAsJsonArray();
        for (int i = 0; i < 3; i++) {
            if (Math.abs(p.get(i).getAsInt() - colour[i]) > 45) {
                return false;
            }
        }
        return true;
    }

    /** Polls the page's status until {@code done} holds (or 40 s pass); returns the last status. */
    private static JsonObject awaitStatus(Page page, Predicate<JsonObject> done) throws InterruptedException {
        JsonObject s = null;
        long end = System.currentTimeMillis() + 40_000;
        while (System.currentTimeMillis() < end) {
            s = call(page, "() => window.callTest.status()", null).getAsJsonObject();
            if (done.test(s)) {
                return s;
            }
            Thread.sleep(500);
        }
        return s;
    }

    private static boolean seesAll(JsonObject s, String me, int minFrames) {
        JsonObject remotes = s.getAsJsonObject("remotes");
        for (String other : COLOURS.keySet()) {
            if (other.equals(me)) {
                continue;
            }
            JsonObject r = remotes.getAsJsonObject(other);
            if (r == null || r.get("framesDecoded").getAsInt() < minFrames || !near(r.get("pixel"), COLOURS.get(other))
                    || !hears(r.get("audio"), TONES.get(other))) {
                return false;
            }
        }
        return true;
    }

    private static JsonObject transform(JsonObject status, String id) {
        return status.getAsJsonObject("call").getAsJsonObject("transforms").getAsJsonObject(id);
    }

    private static int framesOfEpoch(JsonObject status, String id, String epoch) {
        JsonElement n = transform(status, id).getAsJsonObject("epochs").get(epoch);
        return n == null ? 0 : n.getAsInt();
    }

    private static int errors(JsonObject status, String id, String code) {
        JsonElement n = transform(status, id).getAsJsonObject("errors").get(code);
        return n == null ? 0 : n.getAsInt();
    }

    /**
     * A receiver that joins streams already running: carol drops her subscriptions and subscribes
     * again once alice and bob have sent more than 256 video frames (two-byte SFrame counters,
     * whose header byte reads as a VP8 delta frame). Chromium's depacketizer reads VP8's key-frame
     * bit before the decrypting transform runs, so the call keeps VP8's payload header in the
     * clear; without that carol would wait for a key frame forever.
     */
    private static void carolSubscribesAgainToRunningStreams(Page carol) throws InterruptedException {
        JsonObject before = awaitStatus(carol, s -> s.getAsJsonObject("remotes").entrySet().stream().allMatch(e ->
                e.getValue().getAsJsonObject().get("framesDecoded").getAsInt() > 300));
        assertTrue(before.getAsJsonObject("remotes").entrySet().stream().allMatch(e ->
                e.getValue().getAsJsonObject().get("framesDecoded").getAsInt() > 300), "not 300 frames yet: " + before);
        JsonObject again = call(carol, "() => window.callTest.resubscribe()", null).getAsJsonObject();
        assertEquals(2, again.get("subscriptions").getAsInt());
        JsonObject s = awaitStatus(carol, st -> seesAll(st, "carol", 10));
        assertTrue(seesAll(s, "carol", 10), "carol, subscribed to running streams, does not see them: " + s);
        JsonObject tr = s.getAsJsonObject("call").getAsJsonObject("transforms");
        assertTrue(tr.getAsJsonObject("recv-alice-video-1").get("frames").getAsInt() > 10, tr.toString());
    }

    /**
     * Alice removes carol from the group mid-call: alice and bob move to the next epoch (the KID's
     * epoch bits change) and keep seeing each other; carol, who still sends under the old epoch,
     * is refused once the grace period is over, and decodes nothing of the new epoch.
     */
    private static void removeCarolMidCall(Page[] pages) throws InterruptedException {
        JsonObject before = call(pages[0], "() => window.callTest.status()", null).getAsJsonObject();
        String oldEpoch = before.get("epoch").getAsString();
        String oldKid = transform(before, "send-video").get("kid").getAsString();
        String commit = call(pages[0], "l => window.callTest.removeMember(l)", 2).getAsString();
        JsonObject bob = call(pages[1], "c => window.callTest.processCommit(c)", commit).getAsJsonObject();
        JsonObject carol = call(pages[2], "c => window.callTest.processCommit(c)", commit).getAsJsonObject();
        assertEquals("removed", carol.get("status").getAsString());
        String newEpoch = bob.get("epoch").getAsString();
        assertEquals(Long.parseLong(oldEpoch) + 1, Long.parseLong(newEpoch));
        int carolSawAlice = framesOfEpoch(call(pages[2], "() => window.callTest.status()", null).getAsJsonObject(), "recv-alice-video-1", oldEpoch);

        // alice and bob: frames of the new epoch from each other, in the right colours
        JsonObject alice = awaitStatus(pages[0], st -> framesOfEpoch(st, "recv-bob-video", newEpoch) > 20
                && errors(st, "recv-carol-video", "EXPIRED_EPOCH") > 0
                && near(st.getAsJsonObject("remotes").getAsJsonObject("bob").get("pixel"), COLOURS.get("bob")));
        assertTrue(framesOfEpoch(alice, "recv-bob-video", newEpoch) > 20, alice.toString());
        assertTrue(near(alice.getAsJsonObject("remotes").getAsJsonObject("bob").get("pixel"), COLOURS.get("bob")), alice.toString());
        String newKid = transform(alice, "send-video").get("kid").getAsString();
        assertTrue(!newKid.equals(oldKid), "the KID did not change with the epoch");
        assertEquals(Long.parseLong(newEpoch) % 16, Long.parseLong(newKid) % 16, "the KID's low 4 bits are the epoch's");
        // carol still sends under the old epoch: refused after the grace period
        assertTrue(errors(alice, "recv-carol-video", "EXPIRED_EPOCH") > 0, alice.toString());
        JsonObject bobs = awaitStatus(pages[1], st -> framesOfEpoch(st, "recv-alice-video", newEpoch) > 20);
        assertTrue(framesOfEpoch(bobs, "recv-alice-video", newEpoch) > 20, bobs.toString());

        // carol: nothing of the new epoch decrypts; what alice and bob send now is dropped (unknown key)
        JsonObject removed = awaitStatus(pages[2], st -> errors(st, "recv-alice-video-1", "UNKNOWN_KEY") > 20
                && errors(st, "recv-bob-video-1", "UNKNOWN_KEY") > 20);
        assertEquals(0, framesOfEpoch(removed, "recv-alice-video-1", newEpoch), removed.toString());
        assertEquals(0, framesOfEpoch(removed, "recv-bob-video-1", newEpoch), removed.toString());
        assertTrue(errors(removed, "recv-alice-video-1", "UNKNOWN_KEY") > 20, removed.toString());
        assertTrue(framesOfEpoch(removed, "recv-alice-video-1", oldEpoch) >= carolSawAlice, removed.toString());
        System.out.println("e2e call after removing carol: alice " + alice.getAsJsonObject("call") + "; carol " + removed.getAsJsonObject("call"));
    }

    /**
     * The received audio is loud enough, its loudest frequency is the sender's tone, and that tone is
     * most of what is heard. The last matters for the outsider: the noise Opus makes of ciphertext
     * has a loudest bin too, and it lands near a tone now and then.
     */
    private static boolean hears(JsonElement audio, int hz) {
        if (audio == null || audio.isJsonNull()) {
            return false;
        }
        JsonObject a = audio.getAsJsonObject();
        return a.get("rms").getAsDouble() > 0.02 && Math.abs(a.get("peakHz").getAsInt() - hz) <= 25
                && a.get("tonality").getAsDouble() >= MIN_TONALITY;
    }

    private static String css(int[] c) {
        return "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")";
    }

    @Test
    void threeMembersSeeEachOtherThroughJanusAndAnOutsiderSeesNothing() throws Exception {
        int room = janus.api().createVideoRoom(true, 0);
        String[] names = {"alice", "bob", "carol"};
        Page[] pages = new Page[3];
        for (int i = 0; i < 3; i++) {
            pages[i] = open();
            JsonObject init = call(pages[i], "b => window.callTest.init(b)", "wasm-gc").getAsJsonObject();
            assertEquals("script-transform", init.get("transform").getAsString());
        }
        JsonArray states = call(pages[0], "n => window.callTest.createGroup(n)", List.of(names)).getAsJsonArray();
        for (int i = 1; i < 3; i++) {
            call(pages[i], "s => window.callTest.loadGroup(s)", states.get(i - 1).getAsString());
        }
        for (int i = 0; i < 3; i++) {
            // bob takes the older createEncodedStreams path, the others RTCRtpScriptTransform; carol's
            // audio goes through WebCrypto, alice's and bob's through the package's wasm-gc AES-GCM, so
            // the tones they hear from each other cross the two cipher paths
            call(pages[i], "o => window.callTest.join(o)", Map.of("janusUrl", janus.url().toString(), "room", room,
                    "name", names[i], "colour", css(COLOURS.get(names[i])), "toneHz", TONES.get(names[i]),
                    "transformApi", i == 1 ? "encoded-streams" : "script-transform",
                    "frameCipher", i == 2 ? "webcrypto" : "auto"));
        }
        Page outsider = open();
        call(outsider, "b => window.callTest.init(b)", "wasm-gc");
        call(outsider, "o => window.callTest.join(o)", Map.of("janusUrl", janus.url().toString(), "room", room,
                "name", "eve", "colour", "black", "publish", false, "keys", false));

        for (int i = 0; i < 3; i++) {
            String me = names[i];
            JsonObject s = awaitStatus(pages[i], st -> seesAll(st, me, 20));
            assertTrue(seesAll(s, me, 20), me + " does not see the others in their colours: " + s);
            System.out.println("e2e call, " + me + " hears: " + s.getAsJsonObject("remotes").entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().getAsJsonObject().get("audio")).toList());
            assertEquals(i == 1 ? "encoded-streams" : "script-transform", s.get("transformApi").getAsString());
            JsonObject transforms = s.getAsJsonObject("call").getAsJsonObject("transforms");
            assertEquals(i == 2 ? "webcrypto" : "wasm-gc", s.getAsJsonObject("call").get("smallFrames").getAsString());
            for (String id : new String[] {"send-video", "send-audio"}) {
                JsonObject sent = transforms.getAsJsonObject(id);
                assertTrue(sent.get("frames").getAsInt() > 20, sent.toString());
                assertEquals(0, sent.get("dropped").getAsInt(), sent.toString());
                assertEquals(id.substring(5), sent.get("kind").getAsString());
            }
            for (String other : names) {
                if (other.equals(me)) {
                    continue;
                }
                for (String kind : new String[] {"video", "audio"}) {
                    JsonObject rx = transforms.getAsJsonObject("recv-" + other + "-" + kind);
                    assertNotNull(rx, "no decrypting transform for " + other + "'s " + kind + ": " + transforms);
                    assertTrue(rx.get("frames").getAsInt() > 20, rx.toString());
                    assertFalse(rx.getAsJsonObject("errors").has("AUTHENTICATION_FAILED"), rx.toString());
                    assertEquals(List.of(names).indexOf(other), rx.get("senderLeaf").getAsInt());
                }
                // audio and video of one sender are two streams: two contexts, two KIDs
                assertFalse(transforms.getAsJsonObject("recv-" + other + "-audio").get("kid").getAsString()
                        .equals(transforms.getAsJsonObject("recv-" + other + "-video").get("kid").getAsString()));
            }
        }

        // the outsider gets the forwarded packets but neither the pictures nor the tones. (Chromium's
        // VP8 depacketizer reads the key-frame bit from the first payload byte, here SFrame's header,
        // so framesReceived depends on the counter; RTP packets are what proves the forwarding.)
        JsonObject eve = awaitStatus(outsider, st -> st.getAsJsonObject("remotes").size() == 3
                && st.getAsJsonObject("remotes").entrySet().stream().allMatch(e -> e.getValue().getAsJsonObject()
                        .get("videoPackets").getAsInt() > 50 && e.getValue().getAsJsonObject().get("audioPackets").getAsInt() > 50));
        assertEquals(3, eve.getAsJsonObject("remotes").size(), eve.toString());
        for (Map.Entry<String, JsonElement> e : eve.getAsJsonObject("remotes").entrySet()) {
            JsonObject r = e.getValue().getAsJsonObject();
            assertTrue(r.get("videoPackets").getAsInt() > 50, "Janus did not forward " + e.getKey() + "'s video: " + r);
            assertTrue(r.get("audioPackets").getAsInt() > 50, "Janus did not forward " + e.getKey() + "'s audio: " + r);
            assertFalse(near(r.get("pixel"), COLOURS.get(e.getKey())), "eve decoded " + e.getKey() + "'s picture: " + r);
            assertFalse(hears(r.get("audio"), TONES.get(e.getKey())), "eve heard " + e.getKey() + "'s tone: " + r);
        }
        System.out.println("e2e call, eve without keys: " + eve);

        carolSubscribesAgainToRunningStreams(pages[2]);
        removeCarolMidCall(pages);
        for (Page p : pages) {
            call(p, "() => window.callTest.leave()", null);
        }
        call(outsider, "() => window.callTest.leave()", null);
    }
}
