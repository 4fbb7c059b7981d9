package org.mlskit.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

/**
 * One device of the chat app (web-demo's index.html) in its own browser context, driven the way
 * a person would: through the sign-in form, buttons and inputs, by their {@code data-testid}s.
 */
final class ChatPage implements AutoCloseable {
    static final double WAIT_MS = 60_000;
    static final LocatorAssertions.HasTextOptions TEXT = new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS);
    static final LocatorAssertions.HasCountOptions COUNT = new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS);

    final String user;
    final String device;
    final BrowserContext context;
    final Page page;
    final List<String> console = new ArrayList<>();
    /** Commits of this device the DS refused because another one won the race. */
    volatile int racesLost;
    private final String base;

    ChatPage(Browser browser, String base, String user, String device) {
        this.user = user;
        this.device = device;
        this.base = base;
        this.context = browser.newContext();
        this.page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                console.add(user + "/" + device + ": " + m.text() + " (" + m.location() + ")");
            }
        });
        page.onPageError(e -> console.add(user + "/" + device + ": page error: " + e));
        page.onResponse(r -> {
            if (r.status() == 409 && r.url().endsWith("/commits")) {
                racesLost++; // WRONG_EPOCH: another member's commit won; the client stages its change again
            } else if (r.status() >= 400) {
                console.add(user + "/" + device + ": HTTP " + r.status() + " " + r.request().method() + " " + r.url());
            }
        });
    }

    Locator id(String testId) {
        return page.getByTestId(testId);
    }

    /** Signs in (registering the device, or linking it with {@code ticket}) and waits until the client is ready. */
    ChatPage signIn(String ticket) {
        page.navigate(base + "/");
        id("signin-user").fill(user);
        id("signin-device").fill(device);
        if (ticket != null) {
            page.locator("#signin details summary").click();
            id("signin-ticket").fill(ticket);
        }
        id("signin-submit").click();
        awaitReady();
        return this;
    }

    void awaitReady() {
        page.waitForSelector("body[data-ready='1']", new Page.WaitForSelectorOptions().setTimeout(WAIT_MS));
    }

    /** Asks for a link ticket for a new device of this user. */
    String linkTicket(String newDevice) {
        id("link-device").click();
        id("link-device-name").fill(newDevice);
        id("link-ask").click();
        assertThat(id("link-ticket")).hasText(java.util.regex.Pattern.compile("[A-Z2-9]{4}(-[A-Z2-9]{4}){5}"), TEXT);
        String t = id("link-ticket").textContent().trim();
        page.keyboard().press("Escape");
        return t;
    }

    void newConversation() {
        id("new-group").click();
        assertThat(id("title")).hasText("just you", TEXT);
    }

    void invite(String who) {
        id("invite-user").fill(who);
        id("invite-submit").click();
    }

    void remove(String who) {
        id("remove-" + who).click();
    }

    void send(String text) {
        id("compose-text").fill(text);
        id("compose-send").click();
    }

    /** Opens the only (or first) conversation. */
    void openConversation() {
        assertThat(id("conversation")).hasCount(1, COUNT);
        id("conversation").first().click();
    }

    Locator messages() {
        return id("message");
    }

    /** Waits until a message with exactly this text is shown (and delivered, not "sending…"). */
    void awaitMessage(String text) {
        assertThat(page.locator("[data-testid=message][data-pending='0'] .text", new Page.LocatorOptions().setHasText(text)))
                .hasCount(1, COUNT);
    }

    void awaitMembers(String... users) {
        assertThat(id("member")).hasCount(users.length, COUNT);
        for (String u : users) {
            assertThat(page.locator("[data-testid=member][data-user='" + u + "']")).hasCount(1, COUNT);
        }
    }

    String safetyNumber() {
        return id("safety").textContent().trim();
    }

    long epoch() {
        return Long.parseLong(id("epoch").textContent().trim());
    }

    void screenshot(Path dir, String step) {
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(step + "-" + user + "-" + device + ".png")).setFullPage(true));
    }

    void reload() {
        page.reload();
        awaitReady();
    }

    @Override
    public void close() {
        context.close();
    }
}
