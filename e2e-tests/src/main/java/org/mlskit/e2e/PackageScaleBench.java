package org.mlskit.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale shapes of {@link PackageBench} ({@code --scale}, {@code --js-scale}): the packed npm
 * package in headless Chromium adds N - 1 KeyPackages in one commit and joins from its Welcome
 * (pages/package/group-bench.js {@code benchScale}); one markdown row per build and size, with
 * every round's figure so the spread shows.
 */
final class PackageScaleBench {
    private PackageScaleBench() {
    }

    static String run(String wasmSizes, String jsSizes, int rounds) throws Exception {
        StringBuilder md = new StringBuilder();
        try (PackageSite site = PackageSite.start(SelfTestPage.repositoryRoot());
             Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            md.append(String.format(Locale.ROOT, "Headless Chromium %s, the packed npm package, suite 1, %d rounds "
                    + "(ms per round, in order; set-up = N - 1 clients and KeyPackages)%n%n", browser.version(), rounds));
            md.append("| build | members | set-up ms | batch add ms | join ms | JS heap after join, MiB | load average |\n");
            md.append("|---|---:|---:|---|---|---|---|\n");
            for (String[] run : List.of(new String[] {"wasm-gc", wasmSizes}, new String[] {"js", jsSizes})) {
                if (run[1].isEmpty()) {
                    continue;
                }
                // One page per size: each starts from a fresh heap and freshly compiled code.
                for (String size : run[1].split(",")) {
                    String before = BrowserBench.loadAverage();
                    Page page = browser.newPage();
                    SelfTestPage bench = new SelfTestPage(page);
                    page.onConsoleMessage(m -> System.err.println("package-bench: " + m.text()));
                    String url = site.url("pages/bench.html?build=" + run[0] + "&scale=" + size + "&rounds=" + rounds);
                    System.err.println("package-bench: " + url + ", load average " + before);
                    JsonObject r = bench.run(url, 60 * 60_000.0);
                    if (r.has("error")) {
                        throw new IllegalStateException(run[0] + ": " + r.get("error").getAsString() + "\nconsole: " + bench.console());
                    }
                    md.append(row(run[0], r, before + " → " + BrowserBench.loadAverage()));
                    page.close();
                }
            }
        }
        return md.toString();
    }

    private static String row(String build, JsonObject r, String load) {
        Map<String, List<String>> cols = new LinkedHashMap<>();
        String members = "";
        String setup = "";
        for (JsonElement e : r.getAsJsonArray("scale")) {
            JsonObject x = e.getAsJsonObject();
            members = x.get("members").getAsString();
            setup = String.format(Locale.ROOT, "%.0f", x.get("setupMs").getAsDouble());
            cols.computeIfAbsent("add", k -> new ArrayList<>()).add(String.format(Locale.ROOT, "%.0f", x.get("addMs").getAsDouble()));
            cols.computeIfAbsent("join", k -> new ArrayList<>()).add(String.format(Locale.ROOT, "%.0f", x.get("joinMs").getAsDouble()));
            cols.computeIfAbsent("heap", k -> new ArrayList<>()).add(x.get("heapMiB").isJsonNull() ? "—" : x.get("heapMiB").getAsString());
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", build, members, setup,
                String.join(", ", cols.getOrDefault("add", List.of())), String.join(", ", cols.getOrDefault("join", List.of())),
                String.join(", ", cols.getOrDefault("heap", List.of())), load);
    }
}
