package org.mlskit.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Page;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/** The web demo's self-test and benchmark page, opened in a browser tab. */
public final class SelfTestPage {
    private final Page page;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    public SelfTestPage(Page page) {
        this.page = page;
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") || m.type().equals("warning")) {
                console.add(m.type() + ": " + m.text());
            }
        });
        page.onPageError(e -> console.add("pageerror: " + e));
    }

    /** Console errors and warnings, and uncaught page errors, seen so far. */
    public List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    /**
     * Opens {@code url}, waits until the page sets {@code window.mlskitResults.done}, and returns
     * {@code window.mlskitResults}.
     */
    public JsonObject run(String url, double timeoutMs) {
        page.navigate(url);
        return awaitResults(timeoutMs);
    }

    private JsonObject awaitResults(double timeoutMs) {
        page.waitForFunction("() => window.mlskitResults !== undefined && window.mlskitResults.done === true", null,
                new Page.WaitForFunctionOptions().setTimeout(timeoutMs).setPollingInterval(250));
        String json = (String) page.evaluate("() => JSON.stringify(window.mlskitResults)");
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /**
     * Rewrites the address with {@code searchExpression} (a JS expression for the new query string,
     * without a navigation), reloads the page, and waits for its results as {@link #run} does.
     */
    public JsonObject reloadAndRun(String searchExpression, double timeoutMs) {
        page.evaluate("() => history.replaceState(null, '', location.pathname + " + searchExpression + ")");
        page.reload();
        return awaitResults(timeoutMs);
    }

    /** The repository root: {@code -Dmlskit.root}, else found from the working directory. */
    public static Path repositoryRoot() {
        String root = System.getProperty("mlskit.root");
        try {
            return root != null ? Paths.get(root).toRealPath() : DeliveryServiceConfig.findRepositoryRoot();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("mlskit.root=" + root + " does not exist", e);
        }
    }

    /**
     * Starts the delivery service in-process on a free loopback port, serving this repository's
     * web demo, TeaVM outputs and vector files; fails loudly if the TeaVM outputs were not built.
     */
    public static DeliveryService startDeliveryService(Path root) {
        DeliveryServiceConfig config = DeliveryServiceConfig.forRepository(root, "127.0.0.1", 0);
        for (Path p : List.of(config.teavmDir().resolve("js/mlskit-harness.js"),
                config.teavmDir().resolve("wasm-gc/mlskit-harness.wasm"),
                config.teavmDir().resolve("wasm-gc/mlskit-harness.wasm-runtime.js"),
                config.webDir().resolve("selftest.html"),
                config.vectorsDir().resolve("tree-math.json"))) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing. Build js-bindings first: "
                        + "mvn -q -pl js-bindings -am process-classes (or run the whole reactor: mvn verify)");
            }
        }
        return new DeliveryService(config).start();
    }
}
