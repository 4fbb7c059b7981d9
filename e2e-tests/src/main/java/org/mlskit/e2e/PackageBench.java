package org.mlskit.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Group-operation benchmarks through the packed npm package in headless Debian Chromium, for
 * each build (pages/package/group-bench.js), and the package's size per build. Prints markdown.
 *
 * <pre>
 *   mvn -q -pl e2e-tests -am -Ppackage-bench -DskipTests verify [-Dbench.args="--budget 300 --out FILE"]
 * </pre>
 *
 * Options: {@code --budget MS} timed milliseconds per round (default 300), {@code --wasm-sizes}
 * and {@code --js-sizes} comma-separated member counts (defaults 10,100,1000 and 10,100),
 * {@code --shapes} (default adds,updated), {@code --warm MS} each operation alone before its timing
 * (default 1000), {@code --out FILE}.
 */
public final class PackageBench {
    private PackageBench() {
    }

    public static void main(String[] args) throws Exception {
        int budget = 300;
        String wasmSizes = "10,100,1000";
        String jsSizes = "10,100";
        String shapes = "adds,updated";
        int warm = 1000;
        String scale = "";
        String jsScale = "";
        int scaleRounds = 3;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--wasm-sizes" -> wasmSizes = args[++i];
                case "--js-sizes" -> jsSizes = args[++i];
                case "--shapes" -> shapes = args[++i];
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--scale" -> scale = args[++i];
                case "--js-scale" -> jsScale = args[++i];
                case "--scale-rounds" -> scaleRounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --budget MS --wasm-sizes N,N --js-sizes N,N --shapes adds,updated --warm MS"
                        + " --scale N,N --js-scale N,N --scale-rounds N --out FILE");
            }
        }
        if (!scale.isEmpty() || !jsScale.isEmpty()) {
            String md = PackageScaleBench.run(scale, jsScale, scaleRounds);
            System.out.println(md.stripTrailing());
            if (out != null) {
                Files.writeString(out, md);
                System.err.println("package-bench: wrote " + out.toAbsolutePath());
            }
            return;
        }
        StringBuilder md = new StringBuilder();
        try (PackageSite site = PackageSite.start(SelfTestPage.repositoryRoot());
             Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            md.append(sizes(site.packageDir())).append('\n');
            md.append(String.format(Locale.ROOT, "Headless Chromium %s, %s, %d ms per round, 3 rounds%n%n",
                    browser.version(), LocalDate.now(), budget));
            md.append("| build | shape | members | build ms | operation | mean | best | runs/round |\n");
            md.append("|---|---|---:|---:|---|---:|---:|---:|\n");
            for (String[] run : List.of(new String[] {"wasm-gc", wasmSizes}, new String[] {"js", jsSizes})) {
                if (run[1].isEmpty()) {
                    continue;
                }
                Page page = browser.newPage();
                SelfTestPage bench = new SelfTestPage(page);
                page.onConsoleMessage(m -> System.err.println("package-bench: " + m.text()));
                String url = site.url("pages/bench.html?build=" + run[0] + "&sizes=" + run[1] + "&budget=" + budget
                        + "&shapes=" + shapes + "&warm=" + warm);
                System.err.println("package-bench: " + url);
                JsonObject r = bench.run(url, 120 * 60_000.0);
                if (r.has("error")) {
                    throw new IllegalStateException(run[0] + ": " + r.get("error").getAsString() + "\nconsole: " + bench.console());
                }
                for (JsonElement e : r.getAsJsonArray("results")) {
                    JsonObject row = e.getAsJsonObject();
                    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %s | %s | %s | %d |%n",
                            row.get("build").getAsString(), row.get("shape").getAsString(), row.get("members").getAsInt(),
                            row.get("buildMs").getAsDouble(),
                            row.get("op").getAsString(), time(row.get("mean").getAsDouble()),
                            time(row.get("best").getAsDouble()), row.get("iterations").getAsInt()));
                }
                page.close();
            }
        }
        System.out.println(md.toString().stripTrailing());
        if (out != null) {
            Files.writeString(out, md.toString());
            System.err.println("package-bench: wrote " + out.toAbsolutePath());
        }
    }

    private static String time(double us) {
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000) : String.format(Locale.ROOT, "%.0f µs", us);
    }

    /** Raw and gzip (level 9) bytes of what each build loads from the unpacked package. */
    static String sizes(Path pkg) throws IOException {
        List<String> layer = List.of("dist/index.js", "dist/errors.js", "dist/loader.js");
        StringBuilder sb = new StringBuilder("| file | raw bytes | gzip bytes |\n|---|---:|---:|\n");
        long[] js = {0, 0};
        long[] wasm = {0, 0};
        for (String f : List.of("dist/index.js", "dist/errors.js", "dist/loader.js", "dist/idb.js", "dist/js/mlskit.js",
                "dist/wasm-gc/mlskit.wasm", "dist/wasm-gc/mlskit.wasm-runtime.js")) {
            byte[] b = Files.readAllBytes(pkg.resolve(f));
            long gz = gzip(b);
            sb.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d |%n", f, b.length, gz));
            if (layer.contains(f) || f.startsWith("dist/js/")) {
                js[0] += b.length;
                js[1] += gz;
            }
            if (layer.contains(f) || f.startsWith("dist/wasm-gc/")) {
                wasm[0] += b.length;
                wasm[1] += gz;
            }
        }
        sb.append(String.format(Locale.ROOT, "| **js build** (API layer + `js/mlskit.js`) | %,d | %,d |%n", js[0], js[1]));
        sb.append(String.format(Locale.ROOT, "| **wasm-gc build** (API layer + wasm + runtime) | %,d | %,d |%n", wasm[0], wasm[1]));
        return sb.toString();
    }

    private static long gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        }
        return bytes.size();
    }
}
