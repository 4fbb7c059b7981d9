package org.mlskit.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;

import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;

/**
 * Benchmarks of mlskit/client in headless Debian Chromium against the real delivery service
 * (SQLite, in-process on a free loopback port, serving the built package at /pkg/ and
 * pages/client-bench/ at /), both builds, through the client's public API only. Prints
 * markdown (and writes it with {@code --out FILE}); see docs/benchmarks/client.md.
 *
 * <pre>
 *   bin/mlskit bench client [--builds wasm-gc,js] [--parts durable,render,commit,open]
 *       [--members 1000] [--js-members 1000] [--messages 50] [--stores idb,idb-plain,sealed-memory,memory]
 *       [--workers off,on] [--render-sizes 10,100] [--render-messages 30]
 *       [--commit-members 100] [--updates 3] [--open-groups 10] [--open-runs 3]
 *       [--timeout-minutes 90] [--out FILE]
 *   bin/mlskit bench client --smoke      (tiny sizes, one build: checks that everything arrives)
 * </pre>
 */
public final class ClientBench {
    private static final long START = System.nanoTime();

    /** What to run and how big. */
    static final class Options {
        List<String> builds = List.of("wasm-gc", "js");
        List<String> parts = List.of("durable", "render", "commit", "open");
        int members = 1000;
        int jsMembers = 1000;
        int messages = 50;
        List<String> stores = List.of("idb", "idb-plain", "sealed-memory", "memory");
        /** Worker off and on, for render, commit and open. */
        List<Boolean> workers = List.of(false, true);
        int warmup = 5;
        List<Integer> renderSizes = List.of(10, 100);
        int renderMessages = 30;
        int commitMembers = 100;
        int updates = 3;
        int openGroups = 10;
        int openRuns = 3;
        int timeoutMinutes = 90;
        Path out;

        /** One build, a few members, one of each: no figure worth keeping, but every path runs and is checked. */
        static Options smoke() {
            Options o = new Options();
            o.builds = List.of("wasm-gc");
            o.members = 10;
            o.jsMembers = 10;
            o.messages = 1;
            o.stores = List.of("idb", "memory");
            o.warmup = 0;
            o.renderSizes = List.of(10);
            o.renderMessages = 1;
            o.commitMembers = 10;
            o.updates = 1;
            o.openGroups = 1;
            o.openRuns = 1;
            o.timeoutMinutes = 10;
            return o;
        }

        static Options parse(String[] args) {
            Options o = Arrays.asList(args).contains("--smoke") ? smoke() : new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> { }
                    case "--builds" -> o.builds = List.of(args[++i].split(","));
                    case "--parts" -> o.parts = List.of(args[++i].split(","));
                    case "--members" -> o.members = Integer.parseInt(args[++i]);
                    case "--js-members" -> o.jsMembers = Integer.parseInt(args[++i]);
                    case "--messages" -> o.messages = Integer.parseInt(args[++i]);
                    case "--stores" -> o.stores = List.of(args[++i].split(","));
                    case "--workers" -> o.workers = Arrays.stream(args[++i].split(",")).map(w -> switch (w) {
                        case "on" -> true;
                        case "off" -> false;
                        default -> throw new IllegalArgumentException("--workers takes off, on or off,on");
                    }).toList();
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--render-sizes" -> o.renderSizes = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                    case "--render-messages" -> o.renderMessages = Integer.parseInt(args[++i]);
                    case "--commit-members" -> o.commitMembers = Integer.parseInt(args[++i]);
                    case "--updates" -> o.updates = Integer.parseInt(args[++i]);
                    case "--open-groups" -> o.openGroups = Integer.parseInt(args[++i]);
                    case "--open-runs" -> o.openRuns = Integer.parseInt(args[++i]);
                    case "--timeout-minutes" -> o.timeoutMinutes = Integer.parseInt(args[++i]);
                    case "--out" -> o.out = Paths.get(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --builds wasm-gc,js"
                            + " --parts durable,render,commit,open --members N --js-members N --messages N --stores idb,idb-plain,..."
                            + " --workers off,on --warmup N"
                            + " --render-sizes N,N --render-messages N --commit-members N --updates N --open-groups N"
                            + " --open-runs N --timeout-minutes N --out FILE --smoke");
                }
            }
            for (String p : o.parts) {
                if (!List.of("durable", "render", "commit", "open").contains(p)) {
                    throw new IllegalArgumentException("unknown part " + p + " (durable, render, commit, open)");
                }
            }
            for (String b : o.builds) {
                if (!List.of("wasm-gc", "js").contains(b)) {
                    throw new IllegalArgumentException("unknown build " + b + " (wasm-gc, js)");
                }
            }
            for (String s : o.stores) {
                if (!List.of("idb", "idb-plain", "sealed-memory", "memory").contains(s)) {
                    throw new IllegalArgumentException("unknown store " + s + " (idb, idb-plain, sealed-memory, memory)");
                }
            }
            if (o.members < 3 || o.jsMembers < 3 || o.commitMembers < 3 || o.renderSizes.stream().anyMatch(n -> n < 2)) {
                throw new IllegalArgumentException("groups need at least 3 members (durable), 3 (commit), 2 (render)");
            }
            return o;
        }
    }

    private ClientBench() {
    }

    static void progress(String line) {
        System.err.printf(Locale.ROOT, "client-bench [%5.0f s] %s%n", (System.nanoTime() - START) / 1e9, line);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // Bounded whatever happens in a page or at the DS: the run ends by itself.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(o.timeoutMinutes * 60_000L);
                System.err.println("client-bench: no result after " + o.timeoutMinutes + " minutes; stopping");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "client-bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String md = run(o);
        watchdog.interrupt();
        System.out.println(md.stripTrailing());
        if (o.out != null) {
            Files.writeString(o.out, md);
            progress("wrote " + o.out.toAbsolutePath());
        }
    }

    /** Runs the parts of {@code o}; returns the markdown. Throws if a message went missing or a page reported an error. */
    static String run(Options o) throws Exception {
        Path root = SelfTestPage.repositoryRoot();
        Path data = Files.createTempDirectory("mlskit-client-bench");
        DeliveryServiceConfig std = DeliveryServiceConfig.forRepository(root, "127.0.0.1", 0).withDataDir(data);
        if (!Files.isRegularFile(std.packageDir().resolve("client/index.js"))) {
            throw new IllegalStateException(std.packageDir() + " has no client/index.js: build the package first"
                    + " (mvn -pl js-bindings -am package -DskipTests)");
        }
        // The bench pages at /, the package at /pkg/; the 1,000-member commits exceed the default 1 MiB body.
        DeliveryServiceConfig config = new DeliveryServiceConfig(std.host(), std.port(),
                root.resolve("e2e-tests/pages/client-bench"), std.teavmDir(), std.vectorsDir(), std.packageDir(), std.db(),
                std.dataDir(), DeliveryServiceConfig.Limits.DEFAULT.withMaxBody(64L << 20).withClaims(6000, 1000));
        StringBuilder md = new StringBuilder();
        try (DeliveryService ds = new DeliveryService(config).start();
                Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright);
                JvmDevices devices = new JvmDevices(ds.baseUrl())) {
            progress("DS (SQLite) at " + ds.baseUrl() + ", headless Chromium " + browser.version());
            md.append(String.format(Locale.ROOT, "Headless Chromium %s, %s, %d cores, DS on SQLite in-process (loopback);"
                    + " figures in ms.%n%n", browser.version(), LocalDate.now(), Runtime.getRuntime().availableProcessors()));
            ClientBenchRuns runs = new ClientBenchRuns(o, browser, ds.baseUrl(), devices);
            if (o.parts.contains("durable")) {
                md.append(runs.durable()).append('\n');
            }
            if (o.parts.contains("render")) {
                md.append(runs.render()).append('\n');
            }
            if (o.parts.contains("commit")) {
                md.append(runs.commit()).append('\n');
            }
            if (o.parts.contains("open")) {
                md.append(runs.open()).append('\n');
            }
            progress(devices.registered() + " JVM devices registered in all");
        } finally {
            deleteTree(data);
        }
        return md.toString();
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (Exception e) {
            progress("could not delete " + dir + ": " + e);
        }
    }
}
