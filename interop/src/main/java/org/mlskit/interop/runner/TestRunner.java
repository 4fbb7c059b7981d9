package org.mlskit.interop.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Drives one or more MLSClient servers through the working group's scripts: every script of every
 * config, for each cipher suite (among those the connected clients support, or one chosen), each
 * handshake setting (PrivateMessage and PublicMessage, or one), and each assignment of clients to
 * the script's actors (all combinations, or a seeded random one per suite and setting).
 */
public final class TestRunner {
    /** The working group's configs, shipped in this module's resources. */
    public static final List<String> BUILT_IN = List.of("application", "branch", "commit", "deep_random", "external_join",
            "external_proposals", "reinit", "welcome_join");

    /** What to run; the defaults are the working group runner's. */
    public static final class Options {
        public final List<String> clients = new ArrayList<>();
        /** Built-in config names or paths of config files; empty means every built-in config. */
        public final List<String> configs = new ArrayList<>();
        /** Only these scripts (by name) when not empty. */
        public final Set<String> scripts = new TreeSet<>();
        /** 0 for every suite. */
        public int suite;
        public boolean privateOnly;
        public boolean publicOnly;
        /** One random assignment of clients to actors per suite and setting, instead of all combinations. */
        public boolean random;
        public long seed = 1;
        public boolean failFast;
    }

    /** The outcome of one run of one script. */
    public static final class Result {
        public final String config;
        public final String script;
        public final int suite;
        public final boolean encrypt;
        public final Map<String, String> actors;
        public final String error;
        public final Integer failedStep;
        public final String failedStepJson;
        public final int rpcs;

        Result(String config, String script, int suite, boolean encrypt, Map<String, String> actors,
                ScriptRun.StepFailure failure, int rpcs) {
            this.config = config;
            this.script = script;
            this.suite = suite;
            this.encrypt = encrypt;
            this.actors = actors;
            this.error = failure == null ? null : failure.getMessage();
            this.failedStep = failure == null ? null : failure.step;
            this.failedStepJson = failure == null ? null : failure.stepJson;
            this.rpcs = rpcs;
        }

        public boolean passed() {
            return error == null;
        }

        @Override
        public String toString() {
            return config + "/" + script + " suite " + suite + (encrypt ? " private" : " public") + " " + actors
                    + (passed() ? " ok" : " FAILED: " + error);
        }
    }

    private TestRunner() {
    }

    /** Loads a config: a built-in name, else a file path. Scripts keep their order in the file. */
    static Map<String, List<Step>> load(String config) throws IOException {
        JsonElement root;
        if (BUILT_IN.contains(config)) {
            try (InputStream in = TestRunner.class.getResourceAsStream("/interop/configs/" + config + ".json");
                    Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                root = JsonParser.parseReader(r);
            }
        } else {
            try (Reader r = Files.newBufferedReader(Path.of(config), StandardCharsets.UTF_8)) {
                root = JsonParser.parseReader(r);
            }
        }
        Map<String, List<Step>> scripts = new LinkedHashMap<>();
        JsonObject all = root.getAsJsonObject().getAsJsonObject("scripts");
        for (Map.Entry<String, JsonElement> e : all.entrySet()) {
            List<Step> steps = new ArrayList<>();
            JsonArray list = e.getValue().getAsJsonArray();
            for (JsonElement step : list) {
                steps.add(new Step(step.getAsJsonObject()));
            }
            scripts.put(e.getKey(), steps);
        }
        return scripts;
    }

    static String configName(String config) {
        String name = Path.of(config).getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** Runs everything {@code o} asks against already-connected clients; {@code log} sees each result. */
    public static List<Result> run(Options o, java.util.function.Consumer<Result> log) throws IOException {
        List<RemoteClient> clients = new ArrayList<>();
        try {
            for (String address : o.clients) {
                clients.add(new RemoteClient(address));
            }
            return run(o, clients, log);
        } finally {
            for (RemoteClient c : clients) {
                c.close();
            }
        }
    }

    private static List<Result> run(Options o, List<RemoteClient> clients, java.util.function.Consumer<Result> log)
            throws IOException {
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("no clients: pass --client host:port at least once");
        }
        Set<Integer> suites = new TreeSet<>();
        for (RemoteClient c : clients) {
            suites.addAll(c.suites);
        }
        if (o.suite != 0) {
            if (!suites.contains(o.suite)) {
                throw new IllegalArgumentException("no client supports cipher suite " + o.suite);
            }
            suites = Set.of(o.suite);
        }
        List<Boolean> settings = new ArrayList<>();
        if (!o.publicOnly) {
            settings.add(true);
        }
        if (!o.privateOnly) {
            settings.add(false);
        }
        List<String> configs = o.configs.isEmpty() ? BUILT_IN : o.configs;
        Random pick = new Random(o.seed);
        List<Result> results = new ArrayList<>();
        for (String config : configs) {
            for (Map.Entry<String, List<Step>> script : load(config).entrySet()) {
                if (!o.scripts.isEmpty() && !o.scripts.contains(script.getKey())) {
                    continue;
                }
                List<String> actors = new ArrayList<>();
                for (Step s : script.getValue()) {
                    s.actors(actors);
                }
                for (int suite : suites) {
                    List<RemoteClient> able = new ArrayList<>();
                    for (RemoteClient c : clients) {
                        if (c.suites.contains(suite)) {
                            able.add(c);
                        }
                    }
                    for (boolean encrypt : settings) {
                        for (int[] combo : assignments(able.size(), actors.size(), o.random, pick)) {
                            Map<String, RemoteClient> cast = new LinkedHashMap<>();
                            Map<String, String> names = new LinkedHashMap<>();
                            for (int k = 0; k < actors.size(); k++) {
                                RemoteClient c = able.get(combo[k]);
                                cast.put(actors.get(k), c);
                                names.put(actors.get(k), c.toString());
                            }
                            ScriptRun run = new ScriptRun(suite, encrypt, cast, pick.nextLong());
                            ScriptRun.StepFailure failure = null;
                            try {
                                run.run(script.getValue());
                            } catch (ScriptRun.StepFailure f) {
                                failure = f;
                            }
                            Result r = new Result(configName(config), script.getKey(), suite, encrypt, names, failure,
                                    run.rpcCount());
                            results.add(r);
                            log.accept(r);
                            if (failure != null && o.failFast) {
                                return results;
                            }
                        }
                    }
                }
            }
        }
        return results;
    }

    /** Every assignment of {@code clients} to {@code actors} slots, or one random one. */
    static List<int[]> assignments(int clients, int actors, boolean random, Random pick) {
        List<int[]> out = new ArrayList<>();
        if (random) {
            int[] one = new int[actors];
            for (int k = 0; k < actors; k++) {
                one[k] = pick.nextInt(clients);
            }
            out.add(one);
            return out;
        }
        int[] combo = new int[actors];
        while (true) {
            out.add(combo.clone());
            int k = actors - 1;
            while (k >= 0 && ++combo[k] == clients) {
                combo[k] = 0;
                k--;
            }
            if (k < 0) {
                return out;
            }
        }
    }
}
