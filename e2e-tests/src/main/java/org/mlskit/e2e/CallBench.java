package org.mlskit.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The call's frame cipher in a Chromium worker (pages/package/call-bench-worker.js), through the
 * packed package: raw WebCrypto AES-GCM (and with the one copy an SFrame frame needs),
 * mlskit/call's KeyRing, mlskit/sframe's SFrameContext in each TeaVM build; 100- and 6,250-byte
 * frames. Prints markdown.
 *
 * <pre>
 *   mvn -q -pl e2e-tests -am -Pcall-bench -DskipTests verify [-Dbench.args="--budget 300 --rounds 7 [--lean] --out FILE"]
 * </pre>
 *
 * {@code --lean} measures raw WebCrypto and the KeyRing rows only, on the wasm-gc page: the other rows
 * allocate, and their garbage is collected in whichever row runs next, raw included.
 *
 * With {@code cpu} as its first argument it runs {@link CallCpuBench} instead (a four-party 720p
 * call through Janus, CPU with and without end-to-end encryption).
 */
public final class CallBench {
    private CallBench() {
    }

    /** The median of a[i] / b[i]: each round of a row against raw's round run just before it. */
    static double medianRatio(JsonArray a, JsonArray b) {
        double[] r = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsDouble() / b.get(i).getAsDouble();
        }
        java.util.Arrays.sort(r);
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cpu")) {
            CallCpuBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int budget = 300;
        int rounds = 3;
        Path out = null;
        boolean lean = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                // Raw WebCrypto and the KeyRing only: the other rows allocate, and their garbage is collected
                // in whichever row runs next, raw included.
                case "--lean" -> lean = true;
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --budget MS --rounds N --lean --out FILE");
            }
        }
        StringBuilder md = new StringBuilder();
        try (PackageSite site = PackageSite.start(SelfTestPage.repositoryRoot());
             Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            md.append(String.format(Locale.ROOT, "Headless Chromium %s, %s, in a module worker, %d ms per round, %d rounds, µs per frame%n%n",
                    browser.version(), LocalDate.now(), budget, rounds));
            md.append("| frame bytes | implementation | encrypt | best | decrypt | best | vs raw (enc / dec) | median of round ratios |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            // Rows by frame size. The WebCrypto rows (raw, KeyRing) do not depend on the TeaVM build, so only
            // the first page measures KeyRing and prints raw; the second measures raw only as its own page's
            // reference for the SFrameContext ratio.
            java.util.List<String[]> lines = new java.util.ArrayList<>();
            boolean first = true;
            for (String build : new String[] {"wasm-gc", "js"}) {
                if (lean && !first) {
                    break; // the second page only adds the SFrameContext rows
                }
                Page page = browser.newPage();
                JsonObject r = new SelfTestPage(page).run(site.url("pages/call-bench.html?build=" + build
                        + "&budget=" + budget + "&rounds=" + rounds + "&ring=" + (first ? 1 : 0) + "&lean=" + (lean ? 1 : 0)), 900_000);
                page.close();
                if (r.has("error")) {
                    throw new IllegalStateException(build + ": " + r.get("error").getAsString());
                }
                double rawEnc = 0;
                double rawDec = 0;
                JsonArray rawEncRounds = null;
                JsonArray rawDecRounds = null;
                for (JsonElement e : r.getAsJsonArray("rows")) {
                    JsonObject row = e.getAsJsonObject();
                    double enc = row.getAsJsonObject("encrypt").get("mean").getAsDouble();
                    double dec = row.getAsJsonObject("decrypt").get("mean").getAsDouble();
                    String impl = row.get("impl").getAsString();
                    boolean raw = impl.contains("(raw)");
                    JsonArray encRounds = row.getAsJsonObject("encrypt").getAsJsonArray("rounds");
                    JsonArray decRounds = row.getAsJsonObject("decrypt").getAsJsonArray("rounds");
                    if (raw) {
                        rawEnc = enc;
                        rawDec = dec;
                        rawEncRounds = encRounds;
                        rawDecRounds = decRounds;
                    }
                    if (raw && !first) {
                        continue;
                    }
                    int size = row.get("size").getAsInt();
                    lines.add(new String[] {String.format(Locale.ROOT, "%08d", size), String.format(Locale.ROOT,
                            "| %,d | %s | %.1f | %.1f | %.1f | %.1f | %.2fx / %.2fx | %.2fx / %.2fx |%n", size, impl,
                            enc, row.getAsJsonObject("encrypt").get("best").getAsDouble(),
                            dec, row.getAsJsonObject("decrypt").get("best").getAsDouble(), enc / rawEnc, dec / rawDec,
                            medianRatio(encRounds, rawEncRounds), medianRatio(decRounds, rawDecRounds))});
                }
                first = false;
            }
            lines.sort(java.util.Comparator.comparing(l -> l[0])); // stable: keeps the order within a size
            lines.forEach(l -> md.append(l[1]));
        }
        md.append("\n\"vs raw\" divides the means; the last column is the median over rounds of (this row's round / raw's round),"
                + " rounds being interleaved, so a burst of load elsewhere mostly cancels out.\n");
        System.out.println(md.toString().stripTrailing());
        if (out != null) {
            Files.writeString(out, md);
            System.err.println("call-bench: wrote " + out.toAbsolutePath());
        }
    }
}
