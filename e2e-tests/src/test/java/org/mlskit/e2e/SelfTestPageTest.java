package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;

/**
 * The web demo's self-test page in headless Debian Chromium, served by the delivery service: the
 * official MLS vectors must pass in full inside both TeaVM outputs, and every benchmark case must
 * run in both.
 */
class SelfTestPageTest {
    static final List<String> TARGETS = List.of("js", "wasm-gc");
    static final List<String> VECTOR_FILES = List.of("tree-math", "crypto-basics", "deserialization");

    static Path root;
    static DeliveryService ds;
    static Playwright playwright;
    static Browser browser;
    BrowserContext context;
    SelfTestPage page;

    @BeforeAll
    static void start() {
        root = SelfTestPage.repositoryRoot();
        ds = SelfTestPage.startDeliveryService(root);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        System.out.println("e2e: Chromium " + browser.version() + " against " + ds.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void openTab() {
        context = browser.newContext();
        page = new SelfTestPage(context.newPage());
    }

    @AfterEach
    void closeTab() {
        context.close();
    }

    static int entriesOnDisk(String type) throws IOException {
        Path file = root.resolve("mls-core/src/test/resources/vectors/mls/" + type + ".json");
        return JsonParser.parseString(Files.readString(file)).getAsJsonArray().size();
    }

    @Test
    void everyOfficialVectorFilePassesInFullOnBothTargets() throws IOException {
        JsonObject r = page.run(ds.baseUrl() + "/selftest.html", 180_000);
        String context = "\nerrors: " + r.get("errors") + "\nconsole: " + page.console();

        assertTrue(r.get("environment").getAsJsonObject().get("secureContext").getAsString().equals("true"),
                "the page must be a secure context" + context);
        for (String target : TARGETS) {
            JsonObject load = r.getAsJsonObject("load").getAsJsonObject(target);
            assertTrue(load != null && load.get("ok").getAsBoolean(), target + " output failed to load: " + load + context);

            JsonArray files = r.getAsJsonObject("vectors").getAsJsonArray(target);
            assertEquals(VECTOR_FILES.size(), files.size(), target + ": " + files + context);
            for (int i = 0; i < VECTOR_FILES.size(); i++) {
                String type = VECTOR_FILES.get(i);
                JsonObject f = files.get(i).getAsJsonObject();
                String what = type + ".json on " + target + ": " + f;
                System.out.println("e2e: " + target + " " + type + ": " + f.get("passed") + "/" + f.get("entries")
                        + " passed in " + f.get("ms") + " ms");
                assertEquals(type, f.get("type").getAsString(), what);
                assertTrue(f.get("error") == null, what + context);
                assertEquals(entriesOnDisk(type), f.get("entries").getAsInt(), "the page checked a different file: " + what);
                assertEquals(0, f.get("failed").getAsInt(), what);
                assertEquals(f.get("entries").getAsInt(), f.get("passed").getAsInt(), "every entry must pass: " + what);
            }
        }
        assertTrue(r.get("passed").getAsBoolean(), "page verdict" + context);
        assertEquals(0, r.getAsJsonArray("errors").size(), context);
    }

    /** A smoke run (one timed iteration each), not a measurement: every case must run on both targets. */
    @Test
    void everyBenchmarkCaseRunsOnBothTargets() {
        JsonObject r = page.run(ds.baseUrl() + "/selftest.html?bench=1&vectors=0&iterations=1", 300_000);
        String context = "\nerrors: " + r.get("errors") + "\nconsole: " + page.console();
        assertEquals(0, r.getAsJsonArray("errors").size(), context);

        Set<String> seen = new HashSet<>();
        for (JsonElement e : r.getAsJsonArray("bench")) {
            JsonObject b = e.getAsJsonObject();
            String id = b.get("primitive").getAsString() + " " + b.get("variant").getAsString() + " on "
                    + b.get("target").getAsString();
            assertTrue(b.get("error") == null, id + ": " + b + context);
            double us = b.get("usPerOp").getAsDouble();
            assertTrue(us >= 0 && Double.isFinite(us), id + ": " + b);
            seen.add(id);
        }
        // 5 DH groups, 5 signature schemes x (sign, verify), 7 suites x (seal, open, path seal, seal floor),
        // 3 AEADs x 2 sizes x (seal, open)
        assertEquals((5 + 5 + 5 + 7 * 4 + 6 + 6) * TARGETS.size(), seen.size(), seen.toString());
    }

    /** A smoke run of the scale scenario (10 members, one round) in wasm-gc: both steps run and are timed. */
    @Test
    void scaleScenarioRunsInWasmGc() {
        JsonObject r = page.run(ds.baseUrl() + "/selftest.html?vectors=0&targets=wasm-gc&scale=10&scaleRounds=1", 120_000);
        String context = "\nerrors: " + r.get("errors") + "\nconsole: " + page.console();
        assertEquals(0, r.getAsJsonArray("errors").size(), context);
        JsonArray rows = r.getAsJsonArray("scale");
        assertEquals(1, rows.size(), rows + context);
        JsonObject row = rows.get(0).getAsJsonObject();
        assertEquals("wasm-gc", row.get("target").getAsString());
        assertEquals(10, row.get("members").getAsInt());
        for (String step : List.of("addMs", "joinMs")) {
            double ms = row.get(step).getAsDouble();
            assertTrue(ms > 0 && Double.isFinite(ms), step + ": " + row);
        }
    }
}
