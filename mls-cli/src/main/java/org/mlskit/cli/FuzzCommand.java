package org.mlskit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.mlskit.fuzz.FuzzCase;
import org.mlskit.fuzz.FuzzReport;
import org.mlskit.fuzz.Fuzzer;
import org.mlskit.fuzz.Outcome;

/**
 * {@code fuzz}: runs the in-repo fuzzer ({@link Fuzzer}) on the JVM for a number of iterations
 * or minutes, printing progress and a summary per target; or replays saved cases. Thin: the
 * engine lives in mls-core so the TeaVM builds run the same targets.
 */
final class FuzzCommand {
    static final String USAGE = "usage: bin/mlskit fuzz [--target all|T1,T2] [--seed S] [--iterations N] [--from I]\n"
            + "                   [--minutes M] [--suites 1,2,...] [--max-members M] [--progress N] [--save DIR]\n"
            + "       bin/mlskit fuzz --replay FILE.case...\n"
            + "  runs iterations from..from+N-1 of each target (or until M minutes per target have passed)\n"
            + "  targets: " + String.join(",", Fuzzer.TARGETS) + "\n"
            + "  --save DIR writes each failure as a .case file (add it to mls-core/src/test/resources/fuzz/corpus)\n"
            + "  --write-seeds DIR writes the unmutated seeds of each suite's scenario as .case files\n"
            + "  exit status: 0 no untyped failure; 1 failures; 2 bad command line";

    private FuzzCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String targets = "all";
        int seed = 1;
        int iterations = 1000;
        int from = 0;
        double minutes = 0;
        int[] suites = Fuzzer.ALL_SUITES;
        int maxMembers = 10;
        int progress = 1000;
        Path save = null;
        Path writeSeeds = null;
        List<Path> replay = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println(USAGE);
                    return Main.OK;
                }
                if (a.equals("--replay")) {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        replay.add(Paths.get(args[++i]));
                    }
                    continue;
                }
                if (i + 1 >= args.length) {
                    return usage(err, a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--target":
                        targets = v;
                        break;
                    case "--seed":
                        seed = Integer.parseInt(v);
                        break;
                    case "--iterations":
                        iterations = Integer.parseInt(v);
                        break;
                    case "--from":
                        from = Integer.parseInt(v);
                        break;
                    case "--minutes":
                        minutes = Double.parseDouble(v);
                        iterations = Integer.MAX_VALUE - from;
                        break;
                    case "--suites": {
                        String[] parts = v.split(",");
                        suites = new int[parts.length];
                        for (int k = 0; k < parts.length; k++) {
                            suites[k] = Integer.parseInt(parts[k].trim());
                        }
                        break;
                    }
                    case "--max-members":
                        maxMembers = Integer.parseInt(v);
                        break;
                    case "--progress":
                        progress = Integer.parseInt(v);
                        break;
                    case "--save":
                        save = Paths.get(v);
                        break;
                    case "--write-seeds":
                        writeSeeds = Paths.get(v);
                        break;
                    default:
                        return usage(err, "unknown option " + a);
                }
            }
            if (!replay.isEmpty()) {
                return replay(replay, out, err);
            }
            List<String> list = Fuzzer.targets(targets);
            Fuzzer fuzzer = new Fuzzer(seed, suites, maxMembers);
            if (writeSeeds != null) {
                return writeSeeds(fuzzer, suites, list, writeSeeds, out);
            }
            int failures = 0;
            long total = 0;
            long started = System.nanoTime();
            for (String t : list) {
                FuzzReport r = runTarget(fuzzer, t, from, iterations, minutes, progress, out);
                out.println(r.summary());
                total += r.executions();
                failures += r.failed();
                if (save != null) {
                    Files.createDirectories(save);
                    for (FuzzReport.Failure f : r.failures()) {
                        Path p = save.resolve(t + "-s" + seed + "-i" + f.iteration + ".case");
                        Files.write(p, fuzzer.selfContained(f.fuzzCase).toBytes());
                        out.println("  saved " + p);
                    }
                }
            }
            out.printf("fuzz seed=%d: %d executions in %.1f s, %d untyped/inconsistent%n", seed, total,
                    (System.nanoTime() - started) / 1e9, failures);
            return failures == 0 ? Main.OK : Main.FAILED;
        } catch (NumberFormatException e) {
            return usage(err, "not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("mlskit fuzz: " + e);
            return Main.BAD_FILE;
        }
    }

    /** One target in chunks, so progress is printed and a time limit can end it. */
    private static FuzzReport runTarget(Fuzzer fuzzer, String target, int from, int iterations, double minutes,
            int progress, PrintStream out) {
        long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
        long started = System.nanoTime();
        Fuzzer.Progress p = rep -> out.printf("  %s: %d executions, %d untyped (%.0f/s)%n", target, rep.executions(),
                rep.failed(), rep.executions() / ((System.nanoTime() - started) / 1e9));
        FuzzReport whole = null;
        int done = 0;
        while (done < iterations && System.nanoTime() < deadline) {
            int chunk = Math.min(progress, iterations - done);
            FuzzReport part = fuzzer.run(target, from + done, chunk, null, 0);
            whole = whole == null ? part : whole.merge(part);
            done += chunk;
            if (done < iterations) {
                p.update(whole);
            }
        }
        return whole != null ? whole : fuzzer.run(target, from, 0, null, 0);
    }

    /** Writes the unmutated seed cases of each suite's scenario (for the listed targets) as .case files. */
    private static int writeSeeds(Fuzzer fuzzer, int[] suites, List<String> targets, Path dir, PrintStream out)
            throws IOException {
        Files.createDirectories(dir);
        int n = 0;
        for (int suite : suites) {
            int k = 0;
            for (FuzzCase c : fuzzer.seedCases(suite)) {
                if (targets.contains(c.target)) {
                    Files.write(dir.resolve("seed-" + c.target + "-suite" + suite + "-" + (k++) + ".case"), c.toBytes());
                    n++;
                }
            }
        }
        out.println("wrote " + n + " seed cases to " + dir);
        return Main.OK;
    }

    private static int replay(List<Path> files, PrintStream out, PrintStream err) throws IOException {
        int failures = 0;
        for (Path f : files) {
            FuzzCase c;
            try {
                c = FuzzCase.fromBytes(Files.readAllBytes(f));
            } catch (org.mlskit.MlsException e) {
                err.println("mlskit fuzz: " + f + " is not a fuzz case: " + e.getMessage());
                return Main.BAD_FILE;
            }
            Outcome o = new Fuzzer(c.seed, new int[] {c.scenario + 1}, c.maxMembers).execute(c, 0);
            out.println(f + ": " + c.target + " -> " + o);
            if (o.kind == Outcome.Kind.FAILED) {
                failures++;
            }
        }
        return failures == 0 ? Main.OK : Main.FAILED;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("mlskit fuzz: " + problem);
        err.println(USAGE);
        return Main.USAGE;
    }
}
