package org.mlskit.js;

import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.fuzz.FuzzCase;
import org.mlskit.fuzz.Fuzzer;
import org.mlskit.vectors.LargeTree;
import org.mlskit.vectors.TestVectors;
import org.mlskit.group.GroupBench;
import org.mlskit.vectors.TreeBench;
import org.mlskit.vectors.VectorReport;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/**
 * Entry points of the test-and-benchmark build: the same checks the JVM runs, exported so that
 * Node and Chromium run them against the TeaVM outputs (JS and wasm-gc).
 */
public final class Harness {
    private Harness() {
    }

    public static void main(String[] args) {
        // Exports only; nothing runs at load.
    }

    @JSBody(params = {"type", "passed", "failed", "summary"},
            script = "return {type: type, passed: passed, failed: failed, summary: summary};")
    private static native JSObject report(String type, int passed, int failed, String summary);

    /** Verifies a parsed official vector file ({@code JSON.parse} of its text) of the given type. */
    @JSExport
    public static JSObject verifyVectors(String type, JSObject entries) {
        try {
            VectorReport r = TestVectors.verify(type, JsJson.wrap(entries), new WebRandomSource());
            return report(r.type(), r.passed(), r.failed(), r.summary());
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Vector types this build verifies. */
    /** The client engine's calls and events through a scripted sign-up, group and message (EngineTrace). */
    @JSExport
    public static String engineTrace() {
        return EngineTrace.run();
    }

    @JSExport
    public static String vectorTypes() {
        return String.join(",", TestVectors.TYPES);
    }

    /**
     * Decodes {@code data} with one reader operation and demands the input be used up. Returns
     * "ok" or "MALFORMED:REASON"; any other failure escapes as an exception, which the tests treat
     * as a bug.
     */
    @JSExport
    public static String decode(String operation, byte[] data) {
        TlsReader r = new TlsReader(data);
        try {
            switch (operation) {
                case "varint":
                    r.varint();
                    break;
                case "opaque":
                    r.opaque();
                    break;
                case "optional":
                    if (r.present()) {
                        r.opaque();
                    }
                    break;
                case "u32":
                    r.u32();
                    break;
                case "vectors":
                    // A vector of vectors of opaque values, the shape most MLS structs have.
                    TlsReader outer = r.vector();
                    while (outer.hasRemaining()) {
                        TlsReader inner = outer.vector();
                        while (inner.hasRemaining()) {
                            inner.opaque();
                        }
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown operation " + operation);
            }
            r.finish();
            return "ok";
        } catch (DecodeException e) {
            return e.code() + ":" + e.reason();
        }
    }

    /**
     * True when an out-of-range array read throws, as it must: the JS target is built with TeaVM
     * strict mode, without which such a read silently yields undefined.
     */
    @JSExport
    public static boolean boundsChecked(int index) {
        byte[] small = new byte[4];
        try {
            return small[index] == 12345;
        } catch (ArrayIndexOutOfBoundsException e) {
            return true;
        }
    }

    /**
     * Builds a ratchet tree of {@code members} members (random keys, see {@link LargeTree}) and
     * encodes, decodes, hashes and validates it; returns the size of its encoding in bytes.
     */
    @JSExport
    public static int largeTree(int members) {
        try {
            WebRandomSource random = new WebRandomSource();
            return LargeTree.check(LargeTree.build(CipherSuite.of(1), members, random, false), false);
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Random bytes through the runtime's crypto.getRandomValues (fails closed without it). */
    @JSExport
    public static byte[] randomBytes(int n) {
        try {
            byte[] out = new byte[n];
            new WebRandomSource().nextBytes(out);
            return out;
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** A fresh signature key pair's public key for a cipher suite (an operation that needs randomness). */
    @JSExport
    public static byte[] generateSignaturePublicKey(int suite) {
        try {
            return CipherSuite.of(suite).signatureScheme().generateKeyPair(new WebRandomSource()).publicKey();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Microseconds per operation of a primitive benchmark, after warming up; see {@link PrimitiveBench}. */
    @JSExport
    public static double bench(String primitive, String variant, int iterations) {
        try {
            return PrimitiveBench.run(primitive, variant, iterations, new WebRandomSource());
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** The scenario of the last tree benchmark call, kept so that repeated calls do not rebuild a large tree. */
    private static TreeBench treeBench;
    private static int treeBenchSink;

    @JSBody(script = "return performance.now();")
    private static native double now();

    private static TreeBench treeScenario(String shape, int leaves) {
        if (treeBench == null || treeBench.leaves() != leaves || !treeBench.shape().equals(shape)) {
            treeBench = null;
            treeBench = TreeBench.build(shape, leaves, new WebRandomSource());
        }
        return treeBench;
    }

    /**
     * Builds (and keeps) the tree benchmark scenario of {@code shape} ("updated" or "adds") with
     * {@code leaves} members, see {@link TreeBench}; returns the milliseconds it took (0 when the
     * same scenario was already built).
     */
    @JSExport
    public static double treeBenchBuild(String shape, int leaves) {
        try {
            double t0 = now();
            treeScenario(shape, leaves);
            return now() - t0;
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /**
     * Microseconds per operation of a tree operation ("tree-hash", "create-path", "process-path",
     * or the floor primitives "derive-key-pair" and "hpke-open") on the scenario of {@code shape} and {@code leaves} (built first if
     * needed, not timed): one untimed run, then {@code iterations} timed runs.
     */
    @JSExport
    public static double treeBench(String op, String shape, int leaves, int iterations) {
        try {
            TreeBench b = treeScenario(shape, leaves);
            return microsPerRun(() -> b.run(op), iterations);
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    private static GroupBench groupBench;

    /** Microseconds per run of {@code op} over {@code iterations} runs, after one untimed run. */
    private static double microsPerRun(java.util.function.IntSupplier op, int iterations) {
        treeBenchSink ^= op.getAsInt();
        double t0 = now();
        for (int i = 0; i < iterations; i++) {
            treeBenchSink ^= op.getAsInt();
        }
        return (now() - t0) * 1000.0 / iterations;
    }

    private static GroupBench groupScenario(String shape, int members) {
        if (groupBench == null || groupBench.members() != members || !groupBench.shape().equals(shape)) {
            groupBench = null;
            groupBench = GroupBench.build(shape, 1, members, new WebRandomSource());
        }
        return groupBench;
    }

    /** Builds (and keeps) the group benchmark scenario ("updated" or "adds", suite 1); returns its ms. */
    @JSExport
    public static double groupBenchBuild(String shape, int members) {
        try {
            double t0 = now();
            groupScenario(shape, members);
            return now() - t0;
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Microseconds per run of a group operation (see {@link GroupBench#OPERATIONS}), after one untimed run. */
    @JSExport
    public static double groupBench(String op, String shape, int members, int iterations) {
        try {
            GroupBench b = groupScenario(shape, members);
            return microsPerRun(() -> b.run(op), iterations);
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    private static org.mlskit.group.ScaleBench scaleBench;

    /**
     * The scale scenario ({@link org.mlskit.group.ScaleBench}, suite 1): builds N - 1 KeyPackages
     * and a group of one; then {@link #scaleAdd} and {@link #scaleJoin} run its two steps, so
     * that the caller can time each (wall clock and process CPU time).
     */
    @JSExport
    public static void scaleBuild(int members) {
        try {
            scaleBench = null;
            scaleBench = org.mlskit.group.ScaleBench.build(1, members, new WebRandomSource());
            scaleBench.prepareAdd();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** A new group of one for another {@link #scaleAdd} round (untimed; the KeyPackages are kept). */
    @JSExport
    public static void scalePrepareAdd() {
        try {
            scaleBench.prepareAdd();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** One commit adding every other member (Welcome included); returns the Welcome's size. */
    @JSExport
    public static int scaleAdd() {
        try {
            return scaleBench.add();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Readies the join (untimed: merges the add, empties the verifier's key caches). */
    @JSExport
    public static void scalePrepareJoin() {
        try {
            scaleBench.prepareJoin();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** The last added member joins from the add's Welcome; returns its leaf index. */
    @JSExport
    public static int scaleJoin() {
        try {
            return scaleBench.join();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** Message sizes of the group scenario. */
    @JSExport
    public static String groupBenchSizes(String shape, int members) {
        return groupScenario(shape, members).sizes();
    }

    /**
     * The public-key operations one run of a tree operation performs, as
     * "seal=S open=O derive=D sign=G verify=V" (HPKE seal/open, DeriveKeyPair, sign/verify).
     */
    @JSExport
    public static String treeBenchOps(String op, String shape, int leaves) {
        try {
            TreeBench b = treeScenario(shape, leaves);
            treeBenchSink ^= b.run(op);
            return b.countOperations(op);
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    // ---- fuzzing (org.mlskit.fuzz): the JVM's targets and oracles, run in this build ----

    private static Fuzzer fuzzer;
    private static String fuzzerKey;

    private static Fuzzer fuzzer(int seed, String suites, int maxMembers) {
        String key = seed + "/" + suites + "/" + maxMembers;
        if (fuzzer == null || !key.equals(fuzzerKey)) {
            String[] parts = suites.split(",");
            int[] ids = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ids[i] = Integer.parseInt(parts[i].trim());
            }
            fuzzer = null;
            fuzzer = new Fuzzer(seed, ids, maxMembers);
            fuzzerKey = key;
        }
        return fuzzer;
    }

    /** The fuzz targets, comma-separated. */
    @JSExport
    public static String fuzzTargets() {
        return String.join(",", Fuzzer.TARGETS);
    }

    /**
     * Runs iteration {@code iteration} of a fuzz target (suites comma-separated, e.g. "1,2,3") and
     * returns its outcome: "accepted", "rejected:CODE" or "FAILED:what"; a trap or any other
     * exception escaping is a bug too. Fuzzers (and their groups) are kept between calls.
     */
    @JSExport
    public static String fuzzOne(String target, int seed, String suites, int maxMembers, int iteration) {
        return fuzzer(seed, suites, maxMembers).runOne(target, iteration).toString();
    }

    /** Replays a saved fuzz case (a .case file of the corpus); returns its outcome as {@link #fuzzOne} does. */
    @JSExport
    public static String fuzzCase(byte[] data) {
        try {
            FuzzCase c = FuzzCase.fromBytes(data);
            return fuzzer(c.seed, Integer.toString(c.scenario + 1), c.maxMembers).execute(c, 0).toString();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    /** The target a saved fuzz case is for. */
    @JSExport
    public static String fuzzCaseTarget(byte[] data) {
        try {
            return FuzzCase.fromBytes(data).target;
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    // ---- SFrame (sfu-keying): thin delegations to SFrameJs, which documents each ----

    @JSExport
    public static JSObject sframeVerifyVectors(String section, JSObject entries) {
        return SFrameJs.verifyVectors(section, entries);
    }

    @JSExport
    public static String sframeVectorSections() {
        return SFrameJs.vectorSections();
    }

    @JSExport
    public static String sframeCallCheck(int suite) {
        return SFrameJs.callCheck(suite);
    }

    @JSExport
    public static int sframeContextCreate(int suite, int replayWindow) {
        return SFrameJs.contextCreate(suite, replayWindow);
    }

    @JSExport
    public static void sframeContextAddSendKey(int context, String kid, byte[] baseKey) {
        SFrameJs.contextAddSendKey(context, kid, baseKey);
    }

    @JSExport
    public static void sframeContextAddReceiveKey(int context, String kid, byte[] baseKey) {
        SFrameJs.contextAddReceiveKey(context, kid, baseKey);
    }

    @JSExport
    public static byte[] sframeContextEncrypt(int context, String kid, byte[] metadata, byte[] plaintext) {
        return SFrameJs.contextEncrypt(context, kid, metadata, plaintext);
    }

    @JSExport
    public static byte[] sframeContextDecrypt(int context, byte[] metadata, byte[] frame) {
        return SFrameJs.contextDecrypt(context, metadata, frame);
    }

    @JSExport
    public static String sframeExporterLabel() {
        return SFrameJs.exporterLabel();
    }

    @JSExport
    public static int sframeBaseKeyLength(int suite) {
        return SFrameJs.baseKeyLength(suite);
    }

    @JSExport
    public static int sframeKeysCreate(int suite, int epochBits, double graceMillis, int replayWindow) {
        return SFrameJs.keysCreate(suite, epochBits, graceMillis, replayWindow);
    }

    @JSExport
    public static void sframeKeysInstallEpoch(int keys, String epoch, byte[] baseKey, int myLeaf, int[] memberLeaves) {
        SFrameJs.keysInstallEpoch(keys, epoch, baseKey, myLeaf, memberLeaves);
    }

    @JSExport
    public static String sframeKeysCurrentEpoch(int keys) {
        return SFrameJs.keysCurrentEpoch(keys);
    }

    @JSExport
    public static int sframeKeysOpenStream(int keys) {
        return SFrameJs.keysOpenStream(keys);
    }

    @JSExport
    public static String sframeStreamContextId(int stream) {
        return SFrameJs.streamContextId(stream);
    }

    @JSExport
    public static byte[] sframeStreamEncrypt(int stream, byte[] metadata, byte[] plaintext) {
        return SFrameJs.streamEncrypt(stream, metadata, plaintext);
    }

    @JSExport
    public static byte[] sframeKeysDecrypt(int keys, byte[] metadata, byte[] frame) {
        return SFrameJs.keysDecrypt(keys, metadata, frame);
    }

    @JSExport
    public static String sframeKeysLastFrame(int keys) {
        return SFrameJs.keysLastFrame(keys);
    }

    @JSExport
    public static void sframeRelease(int handle) {
        SFrameJs.release(handle);
    }

    @JSExport
    public static double sframeBench(int suite, int size, String op, int iterations) {
        return SFrameJs.bench(suite, size, op, iterations);
    }
}
