package org.mlskit.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/**
 * A call in the chat app: the real delivery service (told the Janus URL with {@code withJanus}, as
 * {@code bin/mlskit demo} does with {@code --janus}) and the real Janus, three members of one
 * conversation (Chromium's fake camera and microphone) press Call. Each sees two tiles named after
 * the group members whose leaves the frames decrypt under, with frames decoded growing, and the
 * end-to-end encryption indicator with the group's epoch; Janus has one room for the group, which
 * requires end-to-end encrypted publishers. alice removes carol from the group mid-call: carol's
 * own app hangs up, alice's and bob's indicator moves to the next epoch and they keep seeing each
 * other. Screenshots of every step go to target/chat-call-screenshots/. About 35-75 s.
 */
class ChatCallTest {
    static final Path SHOTS = Path.of("target/chat-call-screenshots");
    static final LocatorAssertions.IsVisibleOptions VISIBLE = new LocatorAssertions.IsVisibleOptions().setTimeout(ChatPage.WAIT_MS);
    static JanusServer janus;
    static Path data;
    static DeliveryService ds;
    static Playwright playwright;
    static Browser browser;

    /**
     * An outsider on the DS's origin: the app's own Janus client and room id, a canvas stream
     * published unencrypted but flagged e2ee (so the room admits it), display name "bob/browser".
     */
    private static final String EVE_JOINS = """
            async ({ janus, group }) => {
              const { Janus } = await import('/chat/janus.js');
              const { roomOf } = await import('/chat/call.js');
              const j = await new Janus(janus).connect();
              const room = await roomOf(group);
              const h = await j.attach('janus.plugin.videoroom');
              await j.request(h, { request: 'join', ptype: 'publisher', room, display: 'bob/browser' });
              const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 120 });
              const ctx = canvas.getContext('2d');
              let tick = 0;
              setInterval(() => { ctx.fillStyle = `hsl(${tick++ % 360} 80% 50%)`; ctx.fillRect(0, 0, 160, 120); }, 40);
              const stream = canvas.captureStream(25);
              const pc = new RTCPeerConnection();
              pc.addTrack(stream.getVideoTracks()[0], stream);
              await pc.setLocalDescription(await pc.createOffer());
              await new Promise((r) => setTimeout(r, 500));
              const answer = await j.request(h, { request: 'publish' }, { type: 'offer', sdp: pc.localDescription.sdp, e2ee: true });
              await pc.setRemoteDescription(answer.jsep);
              window.eve = { leave: async () => { pc.close(); await j.destroy(); } };
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        Path root = SelfTestPage.repositoryRoot();
        janus = JanusServer.start(root);
        data = Files.createTempDirectory("mlskit-chat-call-ds");
        DeliveryServiceConfig config = DeliveryServiceConfig.forRepository(root, "127.0.0.1", 0).withDataDir(data)
                .withJanus(janus.url().toString());
        ds = new DeliveryService(config).start();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright, Chromium.CALL_ARGS, Chromium.FAKE_MEDIA_ARGS);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, ds, janus);
    }

    private static void shoot(String step, ChatPage... pages) {
        for (ChatPage p : pages) {
            p.screenshot(SHOTS, step);
        }
    }

    private static Locator members(ChatPage p) {
        return p.page.locator("[data-testid=call-tile][data-state=member]");
    }

    /** Waits until the page shows exactly these others as member tiles. */
    private static void awaitTiles(ChatPage p, String... names) {
        assertThat(p.page.locator("[data-testid=call-tile]")).hasCount(names.length, ChatPage.COUNT);
        assertThat(members(p)).hasCount(names.length, ChatPage.COUNT);
        Set<String> shown = new TreeSet<>();
        for (Locator t : members(p).all()) {
            shown.add(t.getAttribute("data-name"));
        }
        assertEquals(new TreeSet<>(List.of(names)), shown, p.user + "'s tiles");
    }

    /** Every member tile's frames decoded grow by more than 10 within the wait. */
    private static void awaitFramesGrow(ChatPage p) {
        List<Locator> tiles = members(p).all();
        assertTrue(!tiles.isEmpty());
        for (Locator t : tiles) {
            int before = Integer.parseInt(t.getAttribute("data-frames"));
            p.page.waitForCondition(() -> Integer.parseInt(t.getAttribute("data-frames")) > before + 10,
                    new Page.WaitForConditionOptions().setTimeout(ChatPage.WAIT_MS));
        }
    }

    /** The indicator says end-to-end encrypted, with the group's current epoch. */
    private static void awaitIndicator(ChatPage p, long epoch) {
        assertThat(p.id("call-e2ee")).isVisible(VISIBLE);
        assertThat(p.id("call-e2ee")).containsText("End-to-end encrypted");
        assertThat(p.id("call-epoch")).hasText(Long.toString(epoch), ChatPage.TEXT);
        assertThat(p.id("epoch")).hasText(Long.toString(epoch), ChatPage.TEXT);
    }

    /** Janus's rooms (one per group call) as the VideoRoom lists them. */
    private static JsonArray rooms() throws Exception {
        JanusServer.JanusApi api = janus.api();
        long session = api.createSession();
        try {
            long handle = api.attach(session, "janus.plugin.videoroom");
            JsonObject list = new JsonObject();
            list.addProperty("request", "list");
            return api.message(session, handle, list).getAsJsonArray("list");
        } finally {
            api.destroySession(session);
        }
    }

    @Test
    void threeMembersCallAndTheCallFollowsTheGroup() throws Exception {
        try (ChatPage alice = new ChatPage(browser, ds.baseUrl(), "alice", "browser");
                ChatPage bob = new ChatPage(browser, ds.baseUrl(), "bob", "browser");
                ChatPage carol = new ChatPage(browser, ds.baseUrl(), "carol", "browser")) {
            ChatPage[] all = {alice, bob, carol};
            for (ChatPage p : all) {
                p.context.grantPermissions(List.of("camera", "microphone"));
                p.signIn(null);
            }
            alice.newConversation();
            alice.invite("bob");
            alice.awaitMembers("alice", "bob");
            alice.invite("carol");
            alice.awaitMembers("alice", "bob", "carol");
            for (ChatPage p : List.of(bob, carol)) {
                p.openConversation();
                p.awaitMembers("alice", "bob", "carol");
            }
            long epoch = alice.epoch();
            for (ChatPage p : all) {
                assertThat(p.id("epoch")).hasText(Long.toString(epoch), ChatPage.TEXT);
            }

            // 1. Everyone presses Call: two named tiles each, frames decoded grow, E2EE at the group's epoch.
            for (ChatPage p : all) {
                p.id("call-start").click();
            }
            awaitTiles(alice, "bob/browser", "carol/browser");
            awaitTiles(bob, "alice/browser", "carol/browser");
            awaitTiles(carol, "alice/browser", "bob/browser");
            for (ChatPage p : all) {
                awaitFramesGrow(p);
                awaitIndicator(p, epoch);
                assertThat(p.id("call-self")).hasCount(1);
            }
            JsonArray rooms = rooms();
            assertEquals(1, rooms.size(), "one room for the group's call: " + rooms);
            JsonObject room = rooms.get(0).getAsJsonObject();
            assertTrue(room.get("require_e2ee").getAsBoolean(), room.toString());
            assertEquals(3, room.get("num_participants").getAsInt(), room.toString());
            shoot("1-in-call", all);

            // 2. eve, not in the group, finds the room and publishes frames she cannot encrypt for it,
            // claiming to Janus to be bob: the members show her as not in the group, never as bob.
            Page eve = browser.newContext().newPage();
            eve.navigate(ds.baseUrl() + "/");
            String group = alice.id("conversation").first().getAttribute("data-group");
            eve.evaluate(EVE_JOINS, java.util.Map.of("janus", janus.url().toString(), "group", group));
            for (ChatPage p : all) {
                Locator outsider = p.page.locator("[data-testid=call-tile][data-state=not-in-group]");
                assertThat(outsider).hasCount(1, ChatPage.COUNT);
                assertThat(outsider).containsText("not in the group");
                assertEquals("", outsider.getAttribute("data-name"));
                assertThat(members(p)).hasCount(2, ChatPage.COUNT);
            }
            shoot("2-outsider", all);
            eve.evaluate("() => window.eve.leave()");
            eve.context().close();
            for (ChatPage p : all) {
                assertThat(p.page.locator("[data-testid=call-tile]")).hasCount(2, ChatPage.COUNT);
            }

            // 3. alice removes carol mid-call: carol's app hangs up; alice and bob move to the next
            // epoch and keep seeing each other (carol's tile goes once she has left the room).
            alice.remove("carol");
            alice.awaitMembers("alice", "bob");
            assertThat(carol.id("removed-banner")).isVisible(VISIBLE);
            assertThat(carol.id("call-notice")).containsText("The call ended", new LocatorAssertions.ContainsTextOptions().setTimeout(ChatPage.WAIT_MS));
            assertThat(carol.id("call-leave")).isHidden();
            assertThat(carol.page.locator("[data-testid=call-tile]")).hasCount(0, ChatPage.COUNT);
            assertThat(carol.id("call-start")).isHidden();
            awaitTiles(alice, "bob/browser");
            awaitTiles(bob, "alice/browser");
            for (ChatPage p : List.of(alice, bob)) {
                awaitIndicator(p, epoch + 1);
                awaitFramesGrow(p);
            }
            shoot("3-carol-removed", all);

            // 4. Leave call.
            for (ChatPage p : List.of(alice, bob)) {
                p.id("call-leave").click();
                assertThat(p.id("call")).isHidden();
                assertThat(p.id("call-start")).isVisible(VISIBLE);
            }
            List<String> console = new ArrayList<>();
            for (ChatPage p : all) {
                console.addAll(p.console);
            }
            assertTrue(console.isEmpty(), () -> "console errors: " + console);
        }
    }
}
