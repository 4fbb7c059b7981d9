package org.mlskit.interop.mmls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * ts-mls (npm, pinned by src/test/node/package-lock.json) and a Node to run it, in target/ts-mls.
 * Nothing is skipped: a missing Node or a failed install fails the test. The machine's Node is used
 * when it is 20 or newer, else js-bindings/scripts/node24.sh fetches one from the npm registry.
 */
final class TsMls {
    static final String SCRIPT = "ts-mls-passive.mjs";
    /** Packages the lock pins, and their versions, checked before reusing an earlier install. */
    private static final String[][] PINNED = {{"ts-mls", "1.6.4"}, {"@noble/curves", "2.0.1"},
        {"@hpke/chacha20poly1305", "1.8.0"}};

    final Path dir;
    final String node;

    private TsMls(Path dir, String node) {
        this.dir = dir;
        this.node = node;
    }

    /** The script, its package.json and lock in target/ts-mls, dependencies installed with {@code npm ci}. */
    static TsMls prepare() throws IOException, InterruptedException {
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path src = module.resolve("src/test/node");
        Path dir = module.resolve("target/ts-mls");
        Files.createDirectories(dir);
        boolean lockChanged = !sameFile(src.resolve("package-lock.json"), dir.resolve("package-lock.json"));
        for (String f : List.of("package.json", "package-lock.json", SCRIPT)) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !installed(dir)) {
            Result r = run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            if (r.exit != 0 || !installed(dir)) {
                throw new IllegalStateException("npm ci in " + dir + " failed (" + r.exit + "):\n" + r.stdout + r.stderr);
            }
        }
        return new TsMls(dir, findNode(module.getParent()));
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.exists(b) && Files.mismatch(a, b) == -1;
    }

    private static boolean installed(Path dir) throws IOException {
        for (String[] p : PINNED) {
            Path pkg = dir.resolve("node_modules").resolve(p[0]).resolve("package.json");
            if (!Files.exists(pkg)) {
                return false;
            }
            String version = JsonParser.parseString(Files.readString(pkg)).getAsJsonObject().get("version").getAsString();
            if (!version.equals(p[1])) {
                return false;
            }
        }
        return true;
    }

    private static String findNode(Path root) throws IOException, InterruptedException {
        try {
            Result v = run(root, 30, "node", "--version");
            String out = v.stdout.trim();
            if (v.exit == 0 && out.startsWith("v") && Integer.parseInt(out.substring(1, out.indexOf('.'))) >= 20) {
                return "node";
            }
        } catch (IOException | RuntimeException noNode) {
            // not installed, or not a version we can read: fetch one below
        }
        Result r = run(root, 600, "bash", root.resolve("js-bindings/scripts/node24.sh").toString());
        if (r.exit != 0) {
            throw new IllegalStateException("no Node >= 20 and node24.sh failed:\n" + r.stderr);
        }
        String[] lines = r.stdout.trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    /** Runs the script on {@code transcript} (written to target/ts-mls/{@code name}.json). */
    Result passive(JsonObject transcript, String name) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, transcript.toString());
        return run(dir, 120, node, SCRIPT, file.toString());
    }

    /** A finished process: exit code, output, and its last stdout line as JSON (null when there is none). */
    static final class Result {
        final int exit;
        final String stdout;
        final String stderr;

        Result(int exit, String stdout, String stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        JsonObject summary() {
            String[] lines = stdout.trim().split("\n");
            String last = lines[lines.length - 1].trim();
            return last.startsWith("{") ? JsonParser.parseString(last).getAsJsonObject() : null;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Path out = Files.createTempFile("tsmls", ".out");
        Path err = Files.createTempFile("tsmls", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
