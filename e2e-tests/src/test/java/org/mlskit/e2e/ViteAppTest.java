package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mlskit bundled by Vite: scripts/vite-app.sh installs the packed package and Vite (npm registry)
 * into a scratch app (pages/vite-app) and runs {@code vite build}; the bundle, served on
 * 127.0.0.1, runs a three-member group in Chromium with each build and with automatic choice.
 */
class ViteAppTest {
    static PackageSite site;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void build() throws Exception {
        Path root = SelfTestPage.repositoryRoot();
        Path dir = Files.createTempDirectory("mlskit-vite");
        Path dist = Path.of(PackageSite.run(root, dir, root.resolve("e2e-tests/scripts/vite-app.sh").toString(),
                dir.toString()).strip());
        assertTrue(Files.isRegularFile(dist.resolve("index.html")), "vite build wrote " + dist);
        site = PackageSite.serve(dir);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        System.out.println("e2e: Vite bundle of mlskit at " + site.url("app/dist/"));
    }

    @AfterAll
    static void stop() throws Exception {
        Chromium.closeAll(browser, playwright, site);
    }

    @ParameterizedTest(name = "build={0}")
    @ValueSource(strings = {"js", "wasm-gc", "auto"})
    void theBundledAppRunsAGroup(String build) {
        try (BrowserContext context = browser.newContext()) {
            SelfTestPage page = new SelfTestPage(context.newPage());
            JsonObject r = page.run(site.url("app/dist/index.html?build=" + build), 60_000);
            assertTrue(r.get("ok").getAsBoolean(), () -> r.toString());
            String expected = build.equals("auto") ? "wasm-gc" : build; // Chromium 156 has WasmGC and exnref
            assertEquals(expected, r.get("build").getAsString());
            assertEquals(expected, r.get("current").getAsString());
            assertEquals("[\"from alice\",\"from bob\",\"from carol\"]", r.get("got").toString());
            assertEquals(3, r.get("members").getAsInt());
            assertTrue(r.get("client").getAsBoolean(), "mlskit/client bundled and its storage working");
            assertTrue(page.console().isEmpty(), () -> "console: " + page.console());
        }
    }
}
