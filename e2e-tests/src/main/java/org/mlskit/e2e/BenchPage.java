package org.mlskit.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

/**
 * One device in its own browser context (its own IndexedDB, as another browser would be): the
 * page {@code pages/client-bench/index.html}, whose module {@code bench.js} drives mlskit/client.
 * Calls return that module's results as JSON.
 */
final class BenchPage implements AutoCloseable {
    final String user;
    final String device = "chromium";
    private final BrowserContext context;
    private final Page page;
    private final String url;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    BenchPage(Browser browser, String base, String user) {
        this.user = user;
        this.url = base + "/index.html";
        context = browser.newContext();
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                problems.add(user + " console: " + m.text());
            }
        });
        page.onPageError(e -> problems.add(user + " pageerror: " + e));
        load(() -> page.navigate(url));
    }

    String identity() {
        return user + "/" + device;
    }

    private void load(Runnable go) {
        go.run();
        page.waitForFunction("() => window.cbLoaded !== undefined", null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        JsonObject r = JsonParser.parseString((String) page.evaluate("() => JSON.stringify(window.cbLoaded)")).getAsJsonObject();
        if (!r.get("ok").getAsBoolean()) {
            throw new IllegalStateException("the bench page did not load: " + r.get("error").getAsString());
        }
    }

    /** Reloads the page (a new JS realm: the client is gone, IndexedDB stays). */
    void reload() {
        load(page::reload);
    }

    /** Calls {@code cb[fn](...args)} in the page and returns its (awaited) result. */
    JsonElement call(String fn, Object... args) {
        String json = (String) page.evaluate(
                "a => Promise.resolve(window.cb[a.f](...a.args)).then((r) => JSON.stringify(r === undefined ? null : r))",
                Map.of("f", fn, "args", Arrays.stream(args).map(a -> a instanceof Long l ? (Object) l.doubleValue() : a).toList()));
        return JsonParser.parseString(json);
    }

    JsonObject obj(String fn, Object... args) {
        return call(fn, args).getAsJsonObject();
    }

    /** Opens the client: the device {@code user/chromium}, its storage named after it. */
    JsonObject open(String server, String build, boolean worker, String store) {
        return obj("open", Map.of("server", server, "user", user, "device", device, "build", build, "worker", worker,
                "store", store, "name", "bench/" + user));
    }

    /** Errors the client reported and console errors of the page, if any. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        call("errors").getAsJsonArray().forEach(e -> out.add(user + " client error " + e.getAsString()));
        synchronized (problems) {
            out.addAll(problems);
        }
        return out;
    }

    void check() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new IllegalStateException("the page reported problems: " + p);
        }
    }

    @Override
    public void close() {
        try {
            call("close");
        } catch (RuntimeException e) {
            // the page may be gone already; the context goes with it
        }
        context.close();
    }
}
