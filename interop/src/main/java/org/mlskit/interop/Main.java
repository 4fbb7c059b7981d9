package org.mlskit.interop;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlskit.interop.runner.TestRunner;
import org.mlskit.interop.server.InteropServer;

import com.google.gson.GsonBuilder;

/** The command line behind bin/mlskit interop-server, interop-run and interop-self (see interop/README.md). */
public final class Main {
    private Main() {
    }

    static final String USAGE = String.join("\n",
            "usage: server [--host 127.0.0.1] [--port 50051]",
            "       run --client HOST:PORT [--client HOST:PORT ...] [RUNNER OPTIONS]",
            "       self [--servers 2] [RUNNER OPTIONS]   (in-process mlskit servers on loopback)",
            "runner options:",
            "  --config NAME|FILE   a built-in config (" + String.join(", ", TestRunner.BUILT_IN) + ") or a file;",
            "                       repeatable; default: every built-in config",
            "  --script NAME        only this script (repeatable)",
            "  --suite N            only cipher suite N (default: every suite a client supports)",
            "  --private | --public only encrypted / only plaintext handshake messages (default: both)",
            "  --random [--seed S]  one seeded random assignment of clients to actors instead of all",
            "  --fail-fast          stop at the first failure",
            "  --results FILE       write every result as JSON");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        switch (args[0]) {
            case "server":
                server(rest);
                break;
            case "run":
                System.exit(run(rest, new ArrayList<>()));
                break;
            case "self":
                System.exit(self(rest));
                break;
            default:
                System.err.println(USAGE);
                System.exit(2);
        }
    }

    private static void server(List<String> args) throws IOException, InterruptedException {
        String host = "127.0.0.1";
        int port = 50051;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--host":
                    host = args.get(++i);
                    break;
                case "--port":
                    port = Integer.parseInt(args.get(++i));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args.get(i) + "\n" + USAGE);
            }
        }
        InteropServer s = InteropServer.start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println("mlskit interop server listening on " + host + ":" + s.port());
        s.awaitTermination();
    }

    private static int self(List<String> args) throws IOException {
        int n = 2;
        List<String> runner = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--servers")) {
                n = Integer.parseInt(args.get(++i));
            } else {
                runner.add(args.get(i));
            }
        }
        List<InteropServer> servers = new ArrayList<>();
        try {
            List<String> clients = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                InteropServer s = InteropServer.start("127.0.0.1", 0);
                servers.add(s);
                clients.add("127.0.0.1:" + s.port());
            }
            return run(runner, clients);
        } finally {
            for (InteropServer s : servers) {
                s.close();
            }
        }
    }

    /** Parses runner options, runs, prints failures and a summary; 0 when everything passed. */
    static int run(List<String> args, List<String> clients) throws IOException {
        TestRunner.Options o = new TestRunner.Options();
        o.clients.addAll(clients);
        Path results = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--client":
                    o.clients.add(args.get(++i));
                    break;
                case "--config":
                    o.configs.add(args.get(++i));
                    break;
                case "--script":
                    o.scripts.add(args.get(++i));
                    break;
                case "--suite":
                    o.suite = Integer.parseInt(args.get(++i));
                    break;
                case "--private":
                    o.privateOnly = true;
                    break;
                case "--public":
                    o.publicOnly = true;
                    break;
                case "--random":
                    o.random = true;
                    break;
                case "--seed":
                    o.seed = Long.parseLong(args.get(++i));
                    break;
                case "--fail-fast":
                    o.failFast = true;
                    break;
                case "--results":
                    results = Path.of(args.get(++i));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.privateOnly && o.publicOnly) {
            o.privateOnly = false;
            o.publicOnly = false;
        }
        Map<String, int[]> perConfig = new LinkedHashMap<>();
        List<TestRunner.Result> all = TestRunner.run(o, r -> {
            int[] counts = perConfig.computeIfAbsent(r.config, k -> new int[2]);
            counts[r.passed() ? 0 : 1]++;
            if (!r.passed()) {
                System.out.println("FAILED " + r);
            }
        });
        int passed = 0;
        int failed = 0;
        for (Map.Entry<String, int[]> e : perConfig.entrySet()) {
            System.out.println(e.getKey() + ": " + e.getValue()[0] + " passed, " + e.getValue()[1] + " failed");
            passed += e.getValue()[0];
            failed += e.getValue()[1];
        }
        if (results != null) {
            try (Writer w = Files.newBufferedWriter(results, StandardCharsets.UTF_8)) {
                new GsonBuilder().setPrettyPrinting().create().toJson(all, w);
            }
        }
        System.out.println("interop: " + passed + " passed, " + failed + " failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
