package org.mlskit.e2e;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU of a four-party 720p call through the real Janus, with and without end-to-end encryption
 * (mlskit/call). Four pages of one headless Chromium (one browser context, so one renderer, each)
 * publish Chromium's fake camera at 1280x720, 30 fps, with its fake microphone, into one VideoRoom
 * and receive the other three. After a warm-up, for a fixed time, it reads the CPU time of every
 * Chromium process (utime + stime from /proc, descendants of this JVM) and of Janus, and the video
 * frames encoded, sent and decoded (getStats). Runs alternate: plain, E2EE, plain, E2EE, ...
 * each in a fresh browser and room. Prints markdown.
 *
 * <pre>
 *   mvn -q -pl e2e-tests -Pcall-bench -DskipTests verify -Dbench.args="cpu --seconds 30 --warmup 15 --rounds 2 [--video 1280x720@30] --out FILE"
 * </pre>
 */
public final class CallCpuBench {
    private static final Gson GSON = new Gson();
    private static final String[] NAMES = {"alice", "bob", "carol", "dave"};
    /** Linux's USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100;
    private static String chromiumVersion = "?";

    private CallCpuBench() {
    }

    /** One measured run. */
    record Run(boolean e2ee, double seconds, double browserCpuSeconds, double janusCpuSeconds, long framesEncoded, long framesSent,
            long framesDecoded, String sentSize, String limitation) {
        double cpuPercent() {
            return 100 * browserCpuSeconds / seconds;
        }

        double msPerDecoded() {
            return framesDecoded == 0 ? Double.NaN : 1000 * browserCpuSeconds / framesDecoded;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = 30;
        int warmup = 10;
        int rounds = 1;
        int[] video = {1280, 720, 30};
        boolean audioKeys = true;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--video-only" -> audioKeys = false;
                case "--video" -> {
                    String[] v = args[++i].split("[x@]");
                    video = new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2])};
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --seconds S --warmup S --rounds N --video 1280x720@30 --video-only --out FILE");
            }
        }
        List<Run> runs = new ArrayList<>();
        Path root = SelfTestPage.repositoryRoot();
        try (JanusServer janus = JanusServer.start(root); PackageSite site = PackageSite.start(root); Playwright pw = Chromium.playwright()) {
            for (int r = 0; r < rounds; r++) {
                for (boolean e2ee : new boolean[] {false, true}) {
                    Run run = runOnce(pw, janus, site, e2ee, warmup, seconds, video, audioKeys);
                    System.err.printf(Locale.ROOT, "call-cpu: %s %.1f%% of a core, %.2f ms per decoded frame%n",
                            e2ee ? "e2ee " : "plain", run.cpuPercent(), run.msPerDecoded());
                    runs.add(run);
                }
            }
        }
        String md = report(runs, chromiumVersion, seconds, warmup, video, audioKeys);
        System.out.println(md.stripTrailing());
        if (out != null) {
            Files.writeString(out, md);
            System.err.println("call-cpu: wrote " + out.toAbsolutePath());
        }
    }

    private static JsonElement call(Page page, String expression, Object arg) {
        return JsonParser.parseString(GSON.toJson(page.evaluate(expression, arg)));
    }

    private static Run runOnce(Playwright pw, JanusServer janus, PackageSite site, boolean e2ee, int warmup, int seconds, int[] video,
            boolean audioKeys) throws Exception {
        int room = janus.api().createVideoRoom(e2ee, 2_000_000); // let 720p through (the default cap is lower)
        try (Browser browser = Chromium.launch(pw, Chromium.CALL_ARGS, Chromium.FAKE_MEDIA_ARGS)) {
            chromiumVersion = browser.version();
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                BrowserContext ctx = browser.newContext();
                ctx.grantPermissions(List.of("camera", "microphone"));
                Page page = ctx.newPage();
                page.navigate(site.url("pages/call.html"));
                page.waitForFunction("() => window.callTestReady === true");
                call(page, "b => window.callTest.init(b)", "wasm-gc");
                pages.add(page);
            }
            JsonArray states = call(pages.get(0), "n => window.callTest.createGroup(n)", List.of(NAMES)).getAsJsonArray();
            for (int i = 1; i < pages.size(); i++) {
                call(pages.get(i), "s => window.callTest.loadGroup(s)", states.get(i - 1).getAsString());
            }
            for (int i = 0; i < pages.size(); i++) {
                call(pages.get(i), "o => window.callTest.join(o)", Map.of("janusUrl", janus.url().toString(), "room", room,
                        "name", NAMES[i], "keys", e2ee, "camera", Map.of("width", video[0], "height", video[1], "fps", video[2]), "audioKeys", audioKeys));
            }
            awaitEveryoneDecodes(pages);
            Thread.sleep(warmup * 1000L);
            List<JsonObject> before = counters(pages);
            long cpu0 = browserTicks();
            long janus0 = ticks(janus.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = browserTicks();
            long janus1 = ticks(janus.pid());
            double elapsed = (System.nanoTime() - t0) / 1e9;
            List<JsonObject> after = counters(pages);
            long encoded = 0;
            long sent = 0;
            long decoded = 0;
            for (int i = 0; i < pages.size(); i++) {
                JsonObject a = after.get(i);
                JsonObject b = before.get(i);
                encoded += a.get("framesEncoded").getAsLong() - b.get("framesEncoded").getAsLong();
                sent += a.get("framesSent").getAsLong() - b.get("framesSent").getAsLong();
                for (Map.Entry<String, JsonElement> e : a.getAsJsonObject("framesDecoded").entrySet()) {
                    JsonElement was = b.getAsJsonObject("framesDecoded").get(e.getKey());
                    decoded += e.getValue().getAsLong() - (was == null ? 0 : was.getAsLong());
                }
            }
            if (e2ee) {
                checkEncrypted(pages);
            }
            java.util.Set<String> sizes = new java.util.TreeSet<>();
            java.util.Set<String> limits = new java.util.TreeSet<>();
            for (JsonObject a : after) {
                sizes.add(a.get("frameWidth").getAsInt() + "x" + a.get("frameHeight").getAsInt());
                limits.add(a.get("limitation").isJsonNull() ? "-" : a.get("limitation").getAsString());
            }
            String size = String.join(", ", sizes);
            String limitation = String.join(", ", limits);
            for (Page p : pages) {
                call(p, "() => window.callTest.leave()", null);
            }
            return new Run(e2ee, elapsed, (cpu1 - cpu0) / TICKS_PER_SECOND, (janus1 - janus0) / TICKS_PER_SECOND,
                    encoded, sent, decoded, size, limitation);
        }
    }

    /** Every page decodes video from the three others (or the run is not a four-party call). */
    private static void awaitEveryoneDecodes(List<Page> pages) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            boolean all = true;
            for (JsonObject c : counters(pages)) {
                JsonObject d = c.getAsJsonObject("framesDecoded");
                all &= d.size() == NAMES.length - 1 && d.entrySet().stream().allMatch(e -> e.getValue().getAsLong() > 10);
            }
            if (all) {
                return;
            }
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("not every page decodes the three others: " + counters(pages));
            }
            Thread.sleep(500);
        }
    }

    /** The E2EE run really went through mlskit/call: frames decrypted, none refused. */
    private static void checkEncrypted(List<Page> pages) {
        for (Page p : pages) {
            JsonObject tr = call(p, "() => window.callTest.status()", null).getAsJsonObject()
                    .getAsJsonObject("call").getAsJsonObject("transforms");
            for (Map.Entry<String, JsonElement> e : tr.entrySet()) {
                JsonObject t = e.getValue().getAsJsonObject();
                if (t.get("frames").getAsInt() < 100) {
                    throw new IllegalStateException("transform " + e.getKey() + " passed few frames: " + t);
                }
            }
        }
    }

    private static List<JsonObject> counters(List<Page> pages) {
        List<JsonObject> out = new ArrayList<>();
        for (Page p : pages) {
            out.add(call(p, "() => window.callTest.counters()", null).getAsJsonObject());
        }
        return out;
    }

    /** utime + stime of every Chromium process under this JVM (Playwright's driver starts the browser). */
    private static long browserTicks() {
        return ProcessHandle.current().descendants()
                .filter(ph -> ph.info().command().map(c -> c.contains("chrom")).orElse(false))
                .mapToLong(ph -> {
                    try {
                        return ticks(ph.pid());
                    } catch (IOException e) {
                        return 0; // it exited between the listing and the read
                    }
                }).sum();
    }

    /** utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String report(List<Run> runs, String version, int seconds, int warmup, int[] video, boolean audioKeys) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Headless Chromium %s, %s, %d cores, four pages in one Janus VideoRoom, each publishing the fake "
                + "camera at %dx%d %d fps (VP8) and microphone (Opus) and receiving the three others; %d s warm-up, %d s measured%n%n",
                version, LocalDate.now(), Runtime.getRuntime().availableProcessors(), video[0], video[1], video[2], warmup, seconds));
        md.append("| run | Chromium CPU (% of one core) | CPU ms per decoded frame | video frames sent/s | decoded/s | sent size "
                + "| sender limited by | Janus CPU (% of one core) |\n");
        md.append("|---|---:|---:|---:|---:|---|---|---:|\n");
        double[] cpu = new double[2];
        double[] perFrame = new double[2];
        int[] n = new int[2];
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.1f | %s | %s | %.1f |%n", r.e2ee() ? (audioKeys ? "E2EE (mlskit/call)" : "E2EE, video only") : "plain",
                    r.cpuPercent(), r.msPerDecoded(), r.framesSent() / r.seconds(), r.framesDecoded() / r.seconds(), r.sentSize(),
                    r.limitation(), 100 * r.janusCpuSeconds() / r.seconds()));
            int k = r.e2ee() ? 1 : 0;
            cpu[k] += r.cpuPercent();
            perFrame[k] += r.msPerDecoded();
            n[k]++;
        }
        if (n[0] > 0 && n[1] > 0) {
            double c0 = cpu[0] / n[0];
            double c1 = cpu[1] / n[1];
            double f0 = perFrame[0] / n[0];
            double f1 = perFrame[1] / n[1];
            md.append(String.format(Locale.ROOT, "%nMeans: plain %.1f%%, E2EE %.1f%% of one core (%+.1f points, %+.1f%%); per decoded frame "
                    + "%.2f ms and %.2f ms (%+.2f ms, %+.1f%%).%n", c0, c1, c1 - c0, 100 * (c1 - c0) / c0, f0, f1, f1 - f0, 100 * (f1 - f0) / f0));
        }
        return md.toString();
    }
}
