package org.mlskit.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.mlskit.ds.DeliveryService;

/**
 * The primitive benchmarks of both TeaVM outputs in headless Debian Chromium, printed as a
 * markdown table. Not a test; run it on purpose:
 *
 * <pre>
 *   mvn -q -pl e2e-tests -am -Pbrowser-bench -DskipTests verify [-Dbench.args="--budget 500 --out bench.md"]
 * </pre>
 *
 * Options: {@code --budget MS} timed milliseconds per case and target (default 300),
 * {@code --only PRIMITIVES} comma-separated (dh,sign,verify,hpke-seal,hpke-open,path-seal,seal-floor,
 * aead-seal,aead-open; {@code none} for no primitive), {@code --repeat N} load the page N times
 * (default 1), {@code --targets js,wasm-gc}, {@code --scale N,N} also time the scale scenario (batch
 * add of N - 1 KeyPackages, cold join) at these sizes, {@code --scale-rounds N} (default 3),
 * {@code --warm MS} run each primitive case untimed this long first (default 0),
 * {@code --out FILE} also write the tables there, {@code --timeout-minutes N} (default 30, per load).
 */
public final class BrowserBench {
    private BrowserBench() {
    }

    public static void main(String[] args) throws IOException {
        int budget = 300;
        String only = null;
        Path out = null;
        int timeoutMinutes = 30;
        int repeat = 1;
        String targets = null;
        String scale = null;
        int scaleRounds = 3;
        int warm = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--out" -> out = Paths.get(args[++i]);
                case "--timeout-minutes" -> timeoutMinutes = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--targets" -> targets = args[++i];
                case "--scale" -> scale = args[++i];
                case "--scale-rounds" -> scaleRounds = Integer.parseInt(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --budget MS --only PRIMITIVES --repeat N --targets T,T --scale N,N --scale-rounds N"
                        + " --warm MS --out FILE --timeout-minutes N");
            }
        }
        boolean primitives = !"none".equals(only);
        String query = "?vectors=0&bench=" + (primitives ? 1 : 0) + "&budget=" + budget + "&warm=" + warm
                + (only == null || !primitives ? "" : "&only=" + URLEncoder.encode(only, StandardCharsets.UTF_8))
                + (targets == null ? "" : "&targets=" + URLEncoder.encode(targets, StandardCharsets.UTF_8))
                + (scale == null ? "" : "&scale=" + URLEncoder.encode(scale, StandardCharsets.UTF_8) + "&scaleRounds=" + scaleRounds);

        Path root = SelfTestPage.repositoryRoot();
        StringBuilder report = new StringBuilder();
        List<JsonObject> runs = new ArrayList<>();
        try (DeliveryService ds = SelfTestPage.startDeliveryService(root);
             Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            for (int run = 1; run <= repeat; run++) {
                // A fresh page per run: each load compiles the outputs anew, as a user's visit does.
                Page page = browser.newPage();
                SelfTestPage selfTest = new SelfTestPage(page);
                page.onConsoleMessage(m -> {
                    if (m.text().startsWith("scale ")) {
                        System.err.println("browser-bench: " + m.text());
                    }
                });
                System.err.println("browser-bench: run " + run + "/" + repeat + ": " + ds.baseUrl() + "/selftest.html" + query
                        + " in Chromium " + browser.version() + ", load average " + loadAverage());
                JsonObject results = selfTest.run(ds.baseUrl() + "/selftest.html" + query, timeoutMinutes * 60_000.0);
                String table = (primitives ? markdown(results, browser.version(), budget) + "\n\n" : "")
                        + "load average after run " + run + ": " + loadAverage() + "\n";
                report.append(repeat > 1 ? "Run " + run + "\n\n" : "").append(table).append('\n');
                System.out.println(table);
                if (results.getAsJsonArray("errors").size() > 0) {
                    throw new IllegalStateException("benchmark errors: " + results.get("errors") + "\nconsole: " + selfTest.console());
                }
                runs.add(results);
                page.close();
            }
            String summary = BrowserBenchSummary.sealRatios(runs) + BrowserBenchSummary.scale(runs, browser.version());
            System.out.println(summary);
            report.append(summary);
        }
        if (out != null) {
            Files.writeString(out, report.toString());
            System.err.println("browser-bench: wrote " + out.toAbsolutePath());
        }
    }

    /** The 1-minute load average (Linux), to say what else the machine was doing. */
    static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String markdown(JsonObject results, String chromiumVersion, int budget) {
        Map<String, Map<String, JsonObject>> rows = new LinkedHashMap<>();
        for (JsonElement e : results.getAsJsonArray("bench")) {
            JsonObject r = e.getAsJsonObject();
            rows.computeIfAbsent(r.get("primitive").getAsString() + "\u0000" + r.get("variant").getAsString(),
                    k -> new LinkedHashMap<>()).put(r.get("target").getAsString(), r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Headless Chromium %s, %s, ~%d ms timed per case and target, "
                + "crossOriginIsolated=%s%n%n", chromiumVersion, LocalDate.now(), budget,
                results.getAsJsonObject("environment").get("crossOriginIsolated").getAsString()));
        sb.append("| primitive | variant | js µs/op | wasm-gc µs/op | js ÷ wasm-gc |\n");
        sb.append("|---|---|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, JsonObject>> row : rows.entrySet()) {
            String[] key = row.getKey().split("\u0000");
            Double js = usPerOp(row.getValue().get("js"));
            Double wasm = usPerOp(row.getValue().get("wasm-gc"));
            sb.append("| ").append(key[0]).append(" | `").append(key[1]).append("` | ")
                    .append(row.getValue().containsKey("js") ? format(js) : "—").append(" | ")
                    .append(row.getValue().containsKey("wasm-gc") ? format(wasm) : "—").append(" | ")
                    .append(js != null && wasm != null && wasm > 0
                            ? String.format(Locale.ROOT, "%.1f×", js / wasm) : "—")
                    .append(" |\n");
        }
        return sb.toString().stripTrailing();
    }

    private static Double usPerOp(JsonObject r) {
        return r == null || r.get("usPerOp") == null || r.get("usPerOp").isJsonNull() ? null : r.get("usPerOp").getAsDouble();
    }

    private static String format(Double us) {
        if (us == null) {
            return "error";
        }
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", us);
        }
        if (us >= 100) {
            return String.format(Locale.ROOT, "%.1f", us);
        }
        if (us >= 10) {
            return String.format(Locale.ROOT, "%.2f", us);
        }
        return String.format(Locale.ROOT, "%.3f", us);
    }
}
