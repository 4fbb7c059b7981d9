package org.mlskit.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.crypto.RandomSource;

/**
 * The fuzz engine: deterministic in (seed, target, iteration), so any failure replays from those
 * three numbers, on the JVM and in both TeaVM builds alike. Iteration {@code i} runs against the
 * scenario (a real group, see {@link Scenario}) of suite {@code suites[i % suites.length]}; each
 * scenario is built once per fuzzer. Plain Java: no reflection, threads, clocks or system
 * randomness, so TeaVM compiles it.
 */
public final class Fuzzer {
    /** Every target: the decoders, then the API-level ones. */
    public static final String[] TARGETS;

    static {
        String[] all = Arrays.copyOf(DecoderTargets.NAMES, DecoderTargets.NAMES.length + GroupTargets.NAMES.length);
        System.arraycopy(GroupTargets.NAMES, 0, all, DecoderTargets.NAMES.length, GroupTargets.NAMES.length);
        TARGETS = all;
    }

    public static final int[] ALL_SUITES = {1, 2, 3, 4, 5, 6, 7};
    private static final int EXECUTE = 0x3c3c3c3c;

    private final int seed;
    private final int[] suites;
    private final int maxMembers;
    private final Scenario[] scenarios = new Scenario[7];

    /** @param suites the cipher suites to rotate through; @param maxMembers 2..10 members per group. */
    public Fuzzer(int seed, int[] suites, int maxMembers) {
        if (suites.length == 0 || maxMembers < 2) {
            throw new IllegalArgumentException("at least one suite and two members");
        }
        for (int id : suites) {
            if (id < 1 || id > 7) {
                throw new IllegalArgumentException("cipher suite " + id);
            }
        }
        this.seed = seed;
        this.suites = suites.clone();
        this.maxMembers = maxMembers;
    }

    public int seed() {
        return seed;
    }

    public static boolean isTarget(String name) {
        return DecoderTargets.has(name) || GroupTargets.has(name);
    }

    Scenario scenario(int index) {
        if (scenarios[index] == null) {
            scenarios[index] = new Scenario(seed, index, maxMembers);
        }
        return scenarios[index];
    }

    /** The input iteration {@code iteration} of {@code target} feeds it. */
    public FuzzCase generate(String target, int iteration) {
        if (!isTarget(target)) {
            throw new IllegalArgumentException("unknown fuzz target " + target);
        }
        int index = suites[Integer.remainderUnsigned(iteration, suites.length)] - 1;
        Scenario s = scenario(index);
        int stream = FuzzRandom.hash(target);
        FuzzRandom r = FuzzRandom.of(seed, stream, iteration);
        if (DecoderTargets.has(target)) {
            return new FuzzCase(target, seed, index, maxMembers, DecoderTargets.generate(target, s, r), null);
        }
        byte[][] in = GroupTargets.generate(target, s, r, new SeededRandomSource(seed, stream, iteration));
        return new FuzzCase(target, seed, index, maxMembers, in[0], in[1]);
    }

    /** Runs a case against its scenario (which must be one this fuzzer builds: same seed and size limit). */
    public Outcome execute(FuzzCase c, int iteration) {
        if (c.seed != seed || c.maxMembers != maxMembers) {
            throw new IllegalArgumentException("the case was made by a fuzzer with another seed or size limit");
        }
        if (DecoderTargets.has(c.target)) {
            // Decoders need only the suite (for ratchet trees), so corpus replays build no group.
            return DecoderTargets.execute(c.target, org.mlskit.crypto.CipherSuite.of(c.scenario + 1), c.input);
        }
        if (GroupTargets.KEY_PACKAGE.equals(c.target)) {
            return GroupTargets.keyPackage(c.input);
        }
        GroupsUnderTest groups = c.groups != null ? GroupsUnderTest.fromBytes(c.groups) : scenario(c.scenario).groups;
        int stream = FuzzRandom.hash(c.target) ^ EXECUTE;
        FuzzRandom r = FuzzRandom.of(seed, stream, iteration);
        RandomSource rnd = new SeededRandomSource(seed, stream, iteration);
        return GroupTargets.execute(c.target, groups, c.input, c.tree, r, rnd);
    }

    /**
     * The unmutated seeds of the scenario of {@code suite} as cases: one per decoder target (the
     * corpus the TeaVM builds replay), and every seed of the API-level targets.
     */
    public List<FuzzCase> seedCases(int suite) {
        int index = suite - 1;
        Scenario s = scenario(index);
        List<FuzzCase> out = new ArrayList<>();
        for (String t : DecoderTargets.NAMES) {
            for (byte[] b : s.seeds(t)) {
                out.add(new FuzzCase(t, seed, index, maxMembers, b, null));
                break;
            }
        }
        for (byte[] m : s.messages) {
            out.add(new FuzzCase(GroupTargets.PROCESS, seed, index, maxMembers, m, null));
        }
        for (byte[][] pair : s.byReference) {
            out.add(new FuzzCase(GroupTargets.PROCESS, seed, index, maxMembers, pair[1], pair[0]));
        }
        out.add(new FuzzCase(GroupTargets.JOIN, seed, index, maxMembers, s.welcome,
                s.config.ratchetTreeInWelcome ? null : s.joinTree));
        out.add(new FuzzCase(GroupTargets.JOIN_EXTERNAL, seed, index, maxMembers, s.groupInfoWithTree, null));
        out.add(new FuzzCase(GroupTargets.JOIN_EXTERNAL, seed, index, maxMembers, s.groupInfoWithoutTree, s.tree));
        for (byte[] kp : s.keyPackages) {
            out.add(new FuzzCase(GroupTargets.KEY_PACKAGE, seed, index, maxMembers, kp, null));
        }
        return out;
    }

    /**
     * {@code c} with the groups it runs against attached (for the API-level targets), so that
     * the saved case replays without its scenario, whatever later changes to scenario building.
     */
    public FuzzCase selfContained(FuzzCase c) {
        if (DecoderTargets.has(c.target) || GroupTargets.KEY_PACKAGE.equals(c.target) || c.groups != null) {
            return c;
        }
        return new FuzzCase(c.target, c.seed, c.scenario, c.maxMembers, c.input, c.tree, scenario(c.scenario).groups.toBytes());
    }

    /** Generates and runs one iteration. */
    public Outcome runOne(String target, int iteration) {
        return execute(generate(target, iteration), iteration);
    }

    /** Receives progress of long runs. */
    public interface Progress {
        void update(FuzzReport report);
    }

    /** Runs iterations {@code from .. from+count-1} of one target; failures carry their case for the corpus. */
    public FuzzReport run(String target, int from, int count, Progress progress, int progressEvery) {
        FuzzReport report = new FuzzReport(target, seed);
        for (int i = from; i < from + count; i++) {
            FuzzCase c = generate(target, i);
            Outcome o = execute(c, i);
            report.record(i, c, o);
            if (progress != null && progressEvery > 0 && (i - from + 1) % progressEvery == 0) {
                progress.update(report);
            }
        }
        return report;
    }

    /** Targets named by a comma-separated list, or every target for "all". */
    public static List<String> targets(String spec) {
        List<String> out = new ArrayList<>();
        if ("all".equals(spec)) {
            out.addAll(Arrays.asList(TARGETS));
            return out;
        }
        for (String t : spec.split(",")) {
            if (!isTarget(t.trim())) {
                throw new IllegalArgumentException("unknown fuzz target " + t + "; targets: all," + String.join(",", TARGETS));
            }
            out.add(t.trim());
        }
        return out;
    }
}
