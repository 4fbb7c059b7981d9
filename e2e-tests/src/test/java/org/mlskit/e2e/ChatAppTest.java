package org.mlskit.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/**
 * The chat app in headless Debian Chromium against the real delivery service (SQLite in a
 * temporary directory): alice, bob with two devices (the second linked by a ticket) and carol,
 * each device in its own browser context. Invite, chat, removal, reload, a commit race with a
 * message sent during it, and a scan of the database for the plaintexts. A screenshot of every
 * page after every step goes to target/chat-screenshots/.
 */
class ChatAppTest {
    static Path data;
    static DeliveryService ds;
    static Playwright playwright;
    static Browser browser;
    static final Path SHOTS = Path.of("target/chat-screenshots");
    final List<String> plaintexts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path root = SelfTestPage.repositoryRoot();
        data = Files.createTempDirectory("mlskit-chat-ds");
        DeliveryServiceConfig config = DeliveryServiceConfig.forRepository(root, "127.0.0.1", 0).withDataDir(data);
        if (!Files.isRegularFile(config.packageDir().resolve("client/index.js"))) {
            throw new IllegalStateException(config.packageDir() + " has no client/index.js: assemble the package first"
                    + " (mvn -pl js-bindings -am package -DskipTests)");
        }
        ds = new DeliveryService(config).start();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        Files.createDirectories(SHOTS);
        System.out.println("e2e: chat app in Chromium " + browser.version() + " against " + ds.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, ds);
    }

    private void shoot(String step, ChatPage... pages) {
        for (ChatPage p : pages) {
            p.screenshot(SHOTS, step);
        }
    }

    private String say(ChatPage from, String text, ChatPage... to) {
        plaintexts.add(text);
        from.send(text);
        from.awaitMessage(text);
        for (ChatPage p : to) {
            p.awaitMessage(text);
        }
        return text;
    }

    @Test
    void threeUsersChatRemoveReloadAndRace() throws Exception {
        try (ChatPage alice = new ChatPage(browser, ds.baseUrl(), "alice", "browser");
                ChatPage bobLaptop = new ChatPage(browser, ds.baseUrl(), "bob", "laptop");
                ChatPage bobPhone = new ChatPage(browser, ds.baseUrl(), "bob", "phone");
                ChatPage carol = new ChatPage(browser, ds.baseUrl(), "carol", "browser")) {
            ChatPage[] all = {alice, bobLaptop, bobPhone, carol};

            // 1. Sign-in; bob's phone is linked by a ticket from his laptop.
            alice.signIn(null);
            bobLaptop.signIn(null);
            String ticket = bobLaptop.linkTicket("phone");
            bobPhone.signIn(ticket);
            carol.signIn(null);
            shoot("1-signed-in", all);

            // 2. alice starts a conversation and invites bob (both devices) and carol.
            alice.newConversation();
            alice.invite("bob");
            alice.awaitMembers("alice", "bob");
            assertThat(alice.page.locator("[data-testid=member][data-user=bob]")).hasText(
                    java.util.regex.Pattern.compile("laptop, phone"), ChatPage.TEXT);
            alice.invite("carol");
            alice.awaitMembers("alice", "bob", "carol");
            for (ChatPage p : List.of(bobLaptop, bobPhone, carol)) {
                p.openConversation();
                p.awaitMembers("alice", "bob", "carol");
            }
            shoot("2-invited", all);

            // 3. Messages reach every device, both of bob's included.
            say(alice, "hello from alice, first message", bobLaptop, bobPhone, carol);
            say(bobPhone, "bob on his phone says hi", alice, bobLaptop, carol);
            say(carol, "carol here, reading you all", alice, bobLaptop, bobPhone);
            shoot("3-chatted", all);
            String safety = alice.safetyNumber();
            for (ChatPage p : all) {
                assertThat(p.id("safety")).hasText(safety, ChatPage.TEXT);
            }

            // 4. alice removes carol: carol sees it, and never a later message.
            alice.remove("carol");
            alice.awaitMembers("alice", "bob");
            assertThat(carol.id("removed-banner")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions
                    .IsVisibleOptions().setTimeout(ChatPage.WAIT_MS));
            String secret = say(alice, "only for bob now, not for carol", bobLaptop, bobPhone);
            shoot("4-removed", all);

            // 5. Reload: bob's laptop restores everything from IndexedDB and keeps working.
            bobLaptop.reload();
            bobLaptop.openConversation();
            bobLaptop.awaitMessage("hello from alice, first message");
            bobLaptop.awaitMessage(secret);
            bobLaptop.awaitMembers("alice", "bob");
            say(bobLaptop, "bob's laptop after a reload", alice, bobPhone);
            shoot("5-reloaded", alice, bobLaptop, bobPhone);

            // 6. Two members commit for the same epoch: bob's phone's commit is held on its way to the DS
            // until alice's has won, so it reaches the DS one epoch late, every run. A message goes out meanwhile.
            long before = alice.epoch();
            java.util.concurrent.atomic.AtomicReference<com.microsoft.playwright.Route> held = new java.util.concurrent.atomic.AtomicReference<>();
            String commits = "**/v1/groups/*/commits";
            bobPhone.context.route(commits, route -> {
                if (!held.compareAndSet(null, route)) {
                    route.resume();
                }
            });
            bobPhone.page.evaluate("() => document.querySelector('[data-testid=update]').click()");
            bobPhone.page.waitForCondition(() -> held.get() != null, new Page.WaitForConditionOptions().setTimeout(ChatPage.WAIT_MS));
            alice.page.evaluate("() => document.querySelector('[data-testid=update]').click()");
            // Alice's commit wins. Bob's phone may already see it and stage its update again (epoch + 2)
            // while its first commit is still held: that one can only be refused now.
            alice.page.waitForCondition(() -> alice.epoch() >= before + 1, new Page.WaitForConditionOptions().setTimeout(ChatPage.WAIT_MS));
            plaintexts.add("sent during the race by alice");
            alice.send("sent during the race by alice");
            int lostBefore = bobPhone.racesLost;
            held.get().resume();
            bobPhone.context.unroute(commits);
            for (ChatPage p : List.of(alice, bobLaptop, bobPhone)) {
                p.awaitMessage("sent during the race by alice");
            }
            // Both updates land: alice's won, bob's phone's was refused (WRONG_EPOCH) and staged again on the new epoch.
            for (ChatPage p : List.of(alice, bobLaptop, bobPhone)) {
                assertThat(p.id("epoch")).hasText(Long.toString(before + 2), ChatPage.TEXT);
            }
            bobPhone.page.waitForCondition(() -> bobPhone.racesLost > lostBefore,
                    new Page.WaitForConditionOptions().setTimeout(ChatPage.WAIT_MS));
            String after = alice.safetyNumber();
            assertNotEquals(safety, after);
            for (ChatPage p : List.of(bobLaptop, bobPhone)) {
                assertThat(p.id("safety")).hasText(after, ChatPage.TEXT);
            }
            shoot("6-race", alice, bobLaptop, bobPhone);

            // carol's page never shows what was said after her removal.
            for (String late : List.of(secret, "bob's laptop after a reload", "sent during the race by alice")) {
                assertEquals(0, carol.page.locator("[data-testid=message] .text", new com.microsoft.playwright.Page.LocatorOptions()
                        .setHasText(late)).count(), late);
            }
            List<String> console = new ArrayList<>();
            for (ChatPage p : all) {
                console.addAll(p.console);
            }
            assertTrue(console.isEmpty(), () -> "console errors: " + console);
        }

        // 7. The delivery service's database holds none of the plaintexts.
        assertFalse(plaintexts.isEmpty());
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String p : plaintexts) {
                    assertFalse(bytes.contains(p), () -> f + " contains \"" + p + "\"");
                }
            }
        }
    }
}
