package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/**
 * Multi-MLS in three tabs of headless Chromium (web-demo's mmls.html, mlskit/mmls over the real
 * delivery service as a plain relay, SQLite): alice, bob and carol, each in its own browser
 * context, join one session; carol's context goes offline (a partition) while alice and bob talk
 * and update their keys and carol writes too; when she is back online every tab reads every
 * message, each exactly once, and all three agree on every send group's epoch authenticator.
 * The DS's files hold none of the plaintexts.
 */
class MmlsPartitionTest {
    static final long WAIT_MS = 90_000;
    static Path data;
    static DeliveryService ds;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Path root = SelfTestPage.repositoryRoot();
        data = Files.createTempDirectory("mlskit-mmls-ds");
        DeliveryServiceConfig config = DeliveryServiceConfig.forRepository(root, "127.0.0.1", 0).withDataDir(data);
        if (!Files.isRegularFile(config.packageDir().resolve("mmls/index.js"))) {
            throw new IllegalStateException(config.packageDir() + " has no mmls/index.js: assemble the package first"
                    + " (mvn -pl js-bindings -am package -DskipTests)");
        }
        ds = new DeliveryService(config).start();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        System.out.println("e2e: Multi-MLS in Chromium " + browser.version() + " against " + ds.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, ds);
    }

    /** One participant's tab in its own context (so it can go offline alone). */
    static final class Tab implements AutoCloseable {
        final String name;
        final BrowserContext context;
        final Page page;
        final List<String> errors = new ArrayList<>();

        Tab(String name, String peers) {
            this.name = name;
            context = browser.newContext();
            page = context.newPage();
            page.onPageError(e -> errors.add(name + ": page error: " + e));
            page.navigate(ds.baseUrl() + "/mmls.html?me=" + name + "&peers=" + peers + "&session=partition");
        }

        JsonObject state() {
            return JsonParser.parseString((String) page.evaluate("() => JSON.stringify(window.mmlsDemo.state())")).getAsJsonObject();
        }

        List<String> messages() {
            List<String> out = new ArrayList<>();
            for (JsonElement m : state().getAsJsonArray("messages")) {
                out.add(m.getAsJsonObject().get("from").getAsString() + ": " + m.getAsJsonObject().get("text").getAsString());
            }
            return out;
        }

        void send(String text) {
            page.getByTestId("compose-text").fill(text);
            page.getByTestId("compose-send").click();
            await("own message shown", s -> messagesOf(s).contains("you: " + text));
        }

        void update() {
            long before = epochOfOwn();
            page.getByTestId("update").click();
            await("own epoch moves", s -> s.getAsJsonObject("groups").getAsJsonObject(name).get("epoch").getAsLong() > before);
        }

        long epochOfOwn() {
            return state().getAsJsonObject("groups").getAsJsonObject(name).get("epoch").getAsLong();
        }

        void await(String what, Predicate<JsonObject> done) {
            long end = System.currentTimeMillis() + WAIT_MS;
            JsonObject s = state();
            while (!done.test(s)) {
                assertTrue(System.currentTimeMillis() < end, name + ": " + what + " within " + WAIT_MS + " ms; state " + s);
                assertTrue(s.get("error").isJsonNull(), name + ": " + s.get("error"));
                page.waitForTimeout(200);
                s = state();
            }
        }

        @Override
        public void close() {
            context.close();
        }
    }

    static List<String> messagesOf(JsonObject s) {
        List<String> out = new ArrayList<>();
        for (JsonElement m : s.getAsJsonArray("messages")) {
            out.add(m.getAsJsonObject().get("from").getAsString() + ": " + m.getAsJsonObject().get("text").getAsString());
        }
        return out;
    }

    static int count(List<String> list, String item) {
        return (int) list.stream().filter(item::equals).count();
    }

    @Test
    void aTabOfflineWhileTheOthersTalkAndUpdateReadsEverythingWhenBackAndAllConverge() throws Exception {
        List<String> plaintexts = new ArrayList<>();
        try (Tab alice = new Tab("alice", "bob,carol"); Tab bob = new Tab("bob", "alice,carol"); Tab carol = new Tab("carol", "alice,bob")) {
            List<Tab> all = List.of(alice, bob, carol);
            for (Tab t : all) {
                t.await("joined everyone's send group", s -> s.get("ready").getAsBoolean() && s.getAsJsonArray("senders").size() == 2
                        && s.getAsJsonArray("roster").size() == 2);
            }
            plaintexts.add("hello before the partition, from alice");
            alice.send(plaintexts.get(0));
            for (Tab t : List.of(bob, carol)) {
                t.await("the first message", s -> messagesOf(s).contains("alice: " + plaintexts.get(0)));
            }

            // The partition: carol's context is offline; alice and bob talk and update; carol writes too.
            carol.context.setOffline(true);
            carol.await("the relay is gone", s -> !s.get("online").getAsBoolean());
            String a1 = "alice during the partition: the launch moves to Tuesday";
            String b1 = "bob during the partition: agreed, Tuesday it is";
            String c1 = "carol while offline: I will read this later";
            String a2 = "alice after her update: new keys, same conversation";
            plaintexts.addAll(List.of(a1, b1, c1, a2));
            alice.send(a1);
            bob.await("alice's message", s -> messagesOf(s).contains("alice: " + a1));
            bob.send(b1);
            alice.await("bob's message", s -> messagesOf(s).contains("bob: " + b1));
            alice.update();
            bob.update();
            carol.send(c1);
            alice.send(a2);
            bob.await("alice's message after her update", s -> messagesOf(s).contains("alice: " + a2));
            assertFalse(carol.messages().contains("alice: " + a1), "carol is cut off");
            assertFalse(alice.messages().contains("carol: " + c1), "carol's message waits with her");

            // The heal.
            carol.context.setOffline(false);
            carol.await("everything sent during the partition", s -> messagesOf(s).containsAll(List.of(
                    "alice: " + a1, "bob: " + b1, "alice: " + a2)));
            for (Tab t : List.of(alice, bob)) {
                t.await("carol's offline message", s -> messagesOf(s).contains("carol: " + c1));
            }
            // Convergence: every tab sees every send group at the same epoch and authenticator.
            for (Tab t : all) {
                t.await("the same view of every send group as the others", s -> sameGroups(all, t));
            }
            for (Tab t : all) {
                List<String> got = t.messages();
                for (Tab from : all) {
                    for (String text : plaintexts) {
                        String shown = (from == t ? "you" : from.name) + ": " + text;
                        assertTrue(count(got, shown) <= 1, t.name + " shows twice: " + shown);
                    }
                }
                assertEquals(5, got.size(), t.name + " shows every message once: " + got);
                assertTrue(t.errors.isEmpty(), () -> "page errors: " + t.errors);
            }
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String p : plaintexts) {
                    assertFalse(bytes.contains(p), () -> f + " contains \"" + p + "\"");
                }
            }
        }
    }

    /** Whether {@code t} agrees with every other tab on each send group both hold (epoch and authenticator). */
    static boolean sameGroups(List<Tab> all, Tab t) {
        JsonObject mine = t.state().getAsJsonObject("groups");
        if (mine.size() != all.size()) {
            return false;
        }
        for (Tab o : all) {
            JsonObject theirs = o.state().getAsJsonObject("groups");
            for (Map.Entry<String, JsonElement> g : mine.entrySet()) {
                if (!theirs.has(g.getKey()) || !theirs.get(g.getKey()).equals(g.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }
}
