package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packed npm package in headless Debian Chromium, served on 127.0.0.1: a three-member group
 * (create, add, messages both ways, remove, update), its state saved to IndexedDB, then after a
 * page reload restored and used again; in the page and in a Web Worker, with each build. And the
 * package's benchmark page (bin/mlskit bench package) on tiny groups, so that it keeps working.
 */
class PackagePageTest {
    static PackageSite site;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        site = PackageSite.start(SelfTestPage.repositoryRoot());
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        System.out.println("e2e: packed mlskit in Chromium " + browser.version() + " at " + site.url(""));
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, site);
    }

    private static void assertStep(JsonObject r, String build, String where, String step) {
        assertTrue(r.get("ok").getAsBoolean(), () -> where + " " + build + " " + step + ": " + r);
        assertEquals(build, r.get("build").getAsString());
        assertEquals(where, r.get("where").getAsString());
        assertEquals(step, r.get("step").getAsString());
    }

    @ParameterizedTest(name = "{1} with the {0} build")
    @CsvSource({"js, page", "wasm-gc, page", "js, worker", "wasm-gc, worker"})
    void threeMembersSurviveAReload(String build, String where) {
        try (BrowserContext context = browser.newContext()) {
            SelfTestPage page = new SelfTestPage(context.newPage());
            String query = "pages/group.html?build=" + build + "&where=" + where + "&step=";
            JsonObject created = page.run(site.url(query + "create"), 180_000);
            assertStep(created, build, where, "create");
            assertEquals(3, created.get("epoch").getAsInt());
            assertEquals("[\"created and added\",\"messages both ways\",\"removed bob\",\"carol updated\",\"saved to IndexedDB\"]",
                    created.get("log").toString());

            JsonObject restored = page.reloadAndRun("location.search.replace('step=create', 'step=restore')", 180_000);
            assertStep(restored, build, where, "restore");
            assertEquals(4, restored.get("epoch").getAsInt());
            assertEquals("[\"restored from IndexedDB\",\"messages and a commit after restore\"]", restored.get("log").toString());
            assertTrue(page.console().isEmpty(), () -> "console: " + page.console());
        }
    }

    @Test
    void benchPageMeasuresBothShapes() {
        try (BrowserContext context = browser.newContext()) {
            SelfTestPage page = new SelfTestPage(context.newPage());
            JsonObject r = page.run(site.url("pages/bench.html?build=wasm-gc&sizes=4&budget=5&shapes=adds,updated&warm=0"), 180_000);
            assertTrue(!r.has("error"), () -> "bench page: " + r.get("error"));
            var rows = r.getAsJsonArray("results");
            assertEquals(14, rows.size(), () -> "7 operations in 2 shapes: " + rows);
            for (var e : rows) {
                JsonObject row = e.getAsJsonObject();
                assertEquals(4, row.get("members").getAsInt());
                assertTrue(row.get("best").getAsDouble() > 0 && row.get("mean").getAsDouble() >= row.get("best").getAsDouble(),
                        () -> "timings of " + row);
            }
            assertEquals("updated", rows.get(13).getAsJsonObject().get("shape").getAsString());
        }
    }
}
