package org.mlskit.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;

/**
 * The four measurements of ClientBench. Each checks what it measures really happened (the
 * message arrived and decrypted to the text sent, the member count is right) and that no page
 * reported an error, and returns a markdown section.
 */
final class ClientBenchRuns {
    private static final long SETUP_MS = 40 * 60_000L;
    private static final long WAIT_MS = 120_000;

    private final ClientBench.Options o;
    private final Browser browser;
    private final String base;
    private final JvmDevices devices;

    ClientBenchRuns(ClientBench.Options o, Browser browser, String base, JvmDevices devices) {
        this.o = o;
        this.browser = browser;
        this.base = base;
        this.devices = devices;
    }

    /** Invites {@code users} one by one (each one commit) and waits until {@code page} counts {@code members}. */
    private static long grow(BenchPage page, String group, List<String> users, int members) throws InterruptedException {
        long t0 = System.nanoTime();
        for (String u : users) {
            page.call("invite", group, u);
        }
        long last = 0;
        for (;;) {
            int n = page.call("memberCount", group).getAsInt();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (n == members) {
                ClientBench.progress(String.format(Locale.ROOT, "%s: group of %d members in %.1f s", page.user, n, ms / 1e3));
                return ms;
            }
            if (ms - last >= 5_000) {
                ClientBench.progress(String.format(Locale.ROOT, "%s: %d/%d members after %.0f s", page.user, n, members, ms / 1e3));
                last = ms;
            }
            if (ms > SETUP_MS) {
                throw new IllegalStateException(page.user + ": only " + n + " of " + members + " members after " + ms + " ms; "
                        + page.problems());
            }
            page.check();
            Thread.sleep(250);
        }
    }

    private static List<Double> col(List<JsonObject> rows, String key) {
        List<Double> out = new ArrayList<>();
        for (JsonObject r : rows) {
            out.add(r.get(key).getAsDouble());
        }
        return out;
    }

    private static double median(List<JsonObject> rows, String key) {
        return new Stats(col(rows, key)).p(50);
    }

    private static String pq(List<Double> v) {
        Stats s = new Stats(v);
        return Stats.ms(s.p(50)) + " / " + Stats.ms(s.p(90));
    }

    // ------------------------------------------------------------------ 1. durable message at N members

    String durable() throws Exception {
        StringBuilder md = new StringBuilder("### A durable application message\n\n");
        md.append("| build | members | storage | side | n | total p50 / p90 | send() resolved p50 | persist p50"
                + " | DS round trip p50 | rest p50 | writes / keys / bytes per message | setup |\n"
                + "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (String build : o.builds) {
            int members = build.equals("js") ? o.jsMembers : o.members;
            md.append(durable(build, members));
        }
        try (BenchPage p = new BenchPage(browser, base, "probe")) {
            int n = Math.max(20, o.messages);
            JsonObject r = p.obj("storageProbe", n, 400);
            md.append(String.format(Locale.ROOT, "%nBelow the client, same browser: one IndexedDB readwrite transaction of one"
                    + " 400-byte value, p50 of %d: %s ms with durability `default`, %s `relaxed`, %s `strict`;"
                    + " one AES-GCM seal of it through WebCrypto: %s ms.%n", n, Stats.ms(r.get("default").getAsDouble()),
                    Stats.ms(r.get("relaxed").getAsDouble()), Stats.ms(r.get("strict").getAsDouble()),
                    Stats.ms(r.get("seal").getAsDouble())));
        }
        return md.toString();
    }

    private static final Map<String, String> STORES = Map.of("idb", "IndexedDB, sealed (default)", "idb-plain",
            "IndexedDB, not sealed", "sealed-memory", "memory, sealed", "memory", "memory");

    /** One group per storage (page, peer, crowd), so that only one page at a time works on a message. */
    private String durable(String build, int members) throws Exception {
        ClientBench.progress(build + ": durable messages at " + members + " members: registering the JVM devices");
        List<String> crowd = devices.crowd("m" + members, members - 2);
        JvmDevices.Peer peer = devices.peer(build + "-peer" + members, "jvm");
        String peerUser = peer.name.substring(0, peer.name.indexOf('/'));
        StringBuilder md = new StringBuilder();
        for (String store : o.stores) {
            try (BenchPage p = new BenchPage(browser, base, build + "-" + store + members)) {
                p.open(base, build, false, store);
                String group = p.call("createGroup").getAsString();
                List<String> users = new ArrayList<>(List.of(peerUser));
                users.addAll(crowd);
                ClientBench.progress(build + ", " + store + ": " + p.user + " invites " + users.size() + " users ("
                        + (members - 1) + " devices)");
                long setup = grow(p, group, users, members);
                byte[] gid = peer.awaitJoined(group, WAIT_MS);
                ClientBench.progress(build + ", " + store + ": " + o.warmup + " warm-up and " + o.messages
                        + " timed messages each way");
                List<JsonObject> sends = new ArrayList<>();
                for (int i = 0; i < o.warmup + o.messages; i++) {
                    String text = build + " " + p.user + " durable " + i;
                    JsonObject r = p.obj("sendTimed", group, text);
                    peer.awaitMessage(p.identity(), text, WAIT_MS); // it really went out, and decrypts to the text
                    if (i >= o.warmup) {
                        sends.add(r);
                    }
                }
                List<JsonObject> receives = new ArrayList<>();
                for (int i = 0; i < o.warmup + o.messages; i++) {
                    String text = build + " " + store + " from the peer " + i;
                    peer.send(gid, text);
                    JsonObject r = p.obj("awaitReceived", text, WAIT_MS);
                    if (!r.get("from").getAsString().equals(peer.name)) {
                        throw new IllegalStateException(p.user + " read '" + text + "' from " + r.get("from"));
                    }
                    if (i >= o.warmup) {
                        receives.add(r);
                    }
                }
                p.check();
                if (!peer.errors().isEmpty()) {
                    throw new IllegalStateException("the peer reported errors: " + peer.errors());
                }
                String label = STORES.get(store);
                md.append(row(build, members, label, "send → 'sent'", sends, true, String.format(Locale.ROOT, "%.0f s",
                        setup / 1e3)));
                md.append(row(build, members, label, "frame → 'message'", receives, false, ""));
            }
        }
        return md.toString();
    }

    private static String row(String build, int members, String store, String side, List<JsonObject> rows, boolean ds,
            String setup) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %s | %s | %s | %s | %s | %.0f / %.0f / %.0f | %s |%n", build,
                members, store, side, rows.size(), pq(col(rows, "total")), ds ? Stats.ms(median(rows, "saved")) : "—",
                Stats.ms(median(rows, "persist")),
                ds ? Stats.ms(median(rows, "ds")) : "—", Stats.ms(median(rows, "engine")), median(rows, "writes"), median(rows, "keys"),
                median(rows, "bytes"), setup);
    }

    // ------------------------------------------------------------------ 2. send-to-render

    String render() throws Exception {
        StringBuilder md = new StringBuilder("### Send to render in another page\n\n");
        md.append("| build | members | worker | n | send → in the DOM p50 / p90 | send → next frame p50 / p90 |\n"
                + "|---|---:|---|---:|---:|---:|\n");
        for (String build : o.builds) {
            for (int size : o.renderSizes) {
                for (boolean worker : o.workers) {
                    md.append(render(build, size, worker));
                }
            }
        }
        return md.toString();
    }

    private String render(String build, int members, boolean worker) throws Exception {
        String mode = worker ? "on" : "off";
        ClientBench.progress(build + ": send-to-render at " + members + " members, worker " + mode);
        List<String> crowd = members > 2 ? devices.crowd("r" + members, members - 2) : List.of();
        String tag = build + "-" + mode + members;
        try (BenchPage a = new BenchPage(browser, base, tag + "-a"); BenchPage b = new BenchPage(browser, base, tag + "-b")) {
            a.open(base, build, worker, "idb");
            b.open(base, build, worker, "idb");
            String group = a.call("createGroup").getAsString();
            List<String> users = new ArrayList<>(List.of(b.user));
            users.addAll(crowd);
            grow(a, group, users, members);
            b.call("awaitJoined", WAIT_MS);
            b.call("awaitMembers", group, members, SETUP_MS);
            List<Double> dom = new ArrayList<>();
            List<Double> frame = new ArrayList<>();
            int warm = Math.min(o.warmup, 3);
            for (int i = 0; i < warm + o.renderMessages; i++) {
                String text = tag + " render " + i;
                double t0 = a.call("sendMark", group, text).getAsDouble();
                JsonObject r = b.obj("awaitRendered", text, WAIT_MS);
                if (!r.get("shown").getAsBoolean() || !r.get("from").getAsString().equals(a.identity())) {
                    throw new IllegalStateException(b.user + " did not render '" + text + "' from " + a.identity() + ": " + r);
                }
                a.call("awaitSent", text, WAIT_MS);
                b.call("settle");
                if (i >= warm) {
                    dom.add(r.get("dom").getAsDouble() - t0);
                    frame.add(r.get("frame").getAsDouble() - t0);
                }
            }
            a.check();
            b.check();
            return String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %s |%n", build, members, mode, dom.size(), pq(dom),
                    pq(frame));
        }
    }

    // ------------------------------------------------------------------ 3. main thread during a commit

    String commit() throws Exception {
        StringBuilder md = new StringBuilder("### The main thread during a commit\n\n");
        md.append("| build | members | worker | commit | n | commit → 'epoch' p50 | longest long task | long tasks"
                + " | largest event-loop gap |\n|---|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (String build : o.builds) {
            for (boolean worker : o.workers) {
                md.append(commit(build, o.commitMembers, worker));
            }
        }
        return md.toString();
    }

    private String commit(String build, int members, boolean worker) throws Exception {
        String mode = worker ? "on" : "off";
        ClientBench.progress(build + ": commits at " + members + " members, worker " + mode);
        List<String> crowd = devices.crowd("c" + members, members - 2);
        String spare = devices.crowd("c" + members + "-spare", 1).get(0);
        StringBuilder md = new StringBuilder();
        try (BenchPage p = new BenchPage(browser, base, build + "-commit-" + mode + members)) {
            p.open(base, build, worker, "idb");
            String group = p.call("createGroup").getAsString();
            List<String> users = new ArrayList<>(crowd);
            users.add(spare);
            grow(p, group, users, members);
            Map<String, List<JsonObject>> byOp = new LinkedHashMap<>();
            for (int i = 0; i < o.updates; i++) {
                byOp.computeIfAbsent("update", k -> new ArrayList<>()).add(watched(p, group, "update", spare, members));
            }
            byOp.computeIfAbsent("remove a member", k -> new ArrayList<>()).add(watched(p, group, "remove", spare, members - 1));
            byOp.computeIfAbsent("invite a member", k -> new ArrayList<>()).add(watched(p, group, "invite", spare, members));
            p.check();
            for (Map.Entry<String, List<JsonObject>> e : byOp.entrySet()) {
                List<JsonObject> rows = e.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %s | %s | %.0f | %s |%n", build, members, mode,
                        e.getKey(), rows.size(), Stats.ms(median(rows, "ms")), longest(rows, "longest"),
                        col(rows, "longtasks").stream().mapToDouble(Double::doubleValue).sum(),
                        Stats.ms(max(rows, r -> r.get("maxGap").getAsDouble()))));
            }
        }
        return md.toString();
    }

    private static JsonObject watched(BenchPage p, String group, String op, String user, int expected) {
        JsonObject r = p.obj("commitWatched", group, op, user);
        if (r.get("members").getAsInt() != expected) {
            throw new IllegalStateException(op + ": " + r.get("members") + " members, expected " + expected);
        }
        return r;
    }

    private static String longest(List<JsonObject> rows, String key) {
        double m = max(rows, r -> r.get(key).getAsDouble());
        return m == 0 ? "none ≥ 50" : Stats.ms(m);
    }

    private static double max(List<JsonObject> rows, ToDoubleFunction<JsonObject> f) {
        return rows.stream().mapToDouble(f).max().orElse(0);
    }

    // ------------------------------------------------------------------ 4. init and open

    String open() throws Exception {
        StringBuilder md = new StringBuilder("### init() and MlsClient.open\n\n");
        md.append("| build | worker | state | runs | init() | open() | open → ready() | groups restored |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|\n");
        for (String build : o.builds) {
            for (boolean worker : o.workers) {
                md.append(open(build, worker));
            }
        }
        return md.toString();
    }

    private String open(String build, boolean worker) throws Exception {
        String mode = worker ? "on" : "off";
        ClientBench.progress(build + ": init and open, worker " + mode);
        String member = devices.crowd("o" + o.openGroups, 9).get(0);
        List<Double> coldInit = new ArrayList<>();
        List<Double> coldOpen = new ArrayList<>();
        List<Double> coldReady = new ArrayList<>();
        List<Double> warmInit = new ArrayList<>();
        List<Double> warmOpen = new ArrayList<>();
        List<Double> warmReady = new ArrayList<>();
        int restored = 0;
        for (int run = 0; run < o.openRuns; run++) {
            // A fresh context: nothing cached, an empty IndexedDB, a new device.
            try (BenchPage p = new BenchPage(browser, base, build + "-open-" + mode + run)) {
                opened(p, build, worker, coldInit, coldOpen, coldReady);
                if (run < o.openRuns - 1) {
                    continue;
                }
                for (int g = 0; g < o.openGroups; g++) {
                    String group = p.call("createGroup").getAsString();
                    grow(p, group, List.of(member), 10);
                }
                p.check();
                for (int warm = 0; warm < o.openRuns; warm++) {
                    p.call("close");
                    p.reload();
                    opened(p, build, worker, warmInit, warmOpen, warmReady);
                    restored = p.call("groups").getAsInt();
                    if (restored != o.openGroups) {
                        throw new IllegalStateException(p.user + " restored " + restored + " groups, not " + o.openGroups);
                    }
                }
                p.check();
            }
        }
        return String.format(Locale.ROOT, "| %s | %s | cold (new device) | %d | %s | %s | %s | 0 |%n", build, mode, coldOpen.size(),
                worker ? "in the worker" : Stats.ms(new Stats(coldInit).p(50)), Stats.ms(new Stats(coldOpen).p(50)),
                Stats.ms(new Stats(coldReady).p(50)))
                + String.format(Locale.ROOT, "| %s | %s | warm (restored) | %d | %s | %s | %s | %d (10 members each) |%n", build, mode,
                warmOpen.size(), worker ? "in the worker" : Stats.ms(new Stats(warmInit).p(50)),
                Stats.ms(new Stats(warmOpen).p(50)), Stats.ms(new Stats(warmReady).p(50)), restored);
    }

    /** init() (page mode; in worker mode it happens inside open), then open and ready. */
    private void opened(BenchPage p, String build, boolean worker, List<Double> init, List<Double> open, List<Double> ready) {
        if (!worker) {
            init.add(p.obj("initBuild", build).get("ms").getAsDouble());
        }
        JsonObject r = p.open(base, build, worker, "idb");
        open.add(r.get("openMs").getAsDouble());
        ready.add(r.get("readyMs").getAsDouble() - r.get("openMs").getAsDouble());
    }
}
