package org.mlskit.js;

import java.util.HashMap;
import java.util.Map;

import org.mlskit.MlsException;
import org.mlskit.sframe.MlsCallCheck;
import org.mlskit.sframe.MlsSFrameKeys;
import org.mlskit.sframe.ReceivedFrame;
import org.mlskit.sframe.SFrameBench;
import org.mlskit.sframe.SFrameContext;
import org.mlskit.sframe.SFrameError;
import org.mlskit.sframe.SFrameException;
import org.mlskit.sframe.SFrameStream;
import org.mlskit.sframe.SFrameSuite;
import org.mlskit.sframe.SFrameVectors;
import org.mlskit.sframe.SFrameVectors.Report;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * The JS face of sfu-keying: SFrame vector checks, the frame cipher ({@link SFrameContext}) and the
 * MLS key manager ({@link MlsSFrameKeys}) as static functions over integer handles, so that the
 * same methods can be exported from the test harness and from the npm package's main class.
 *
 * <p>Conventions: 64-bit values (KID, epoch, context id, CTR) cross the boundary as decimal
 * strings, exact up to 2^64-1; {@code byte[]} arguments take Uint8Array or Int8Array (never null:
 * pass an empty array) and results arrive as Int8Array. A handle stays valid until
 * {@link #release}; releasing a context or key manager erases its keys. Every rejection is thrown
 * as a JS {@code Error} with {@code name = 'SFrameError'} and {@code code} one of the stable
 * {@link org.mlskit.sframe.SFrameError} names. Clocks are {@code Date.now()}.
 */
public final class SFrameJs {
    private static final Map<Integer, SFrameContext> CONTEXTS = new HashMap<>();
    private static final Map<Integer, MlsSFrameKeys> KEYS = new HashMap<>();
    private static final Map<Integer, SFrameStream> STREAMS = new HashMap<>();
    private static final Map<Integer, ReceivedFrame> LAST = new HashMap<>();
    private static int nextHandle = 1;

    private SFrameJs() {
    }

    @JSBody(params = {"code", "message"}, script = "var e = new Error(message); e.name = 'SFrameError'; e.code = code; throw e;")
    private static native void throwJs(String code, String message);

    @JSBody(script = "return Date.now();")
    private static native double dateNow();

    @JSBody(params = {"section", "passed", "failed", "summary"},
            script = "return {type: section, passed: passed, failed: failed, summary: summary};")
    private static native JSObject report(String section, int passed, int failed, String summary);

    /** Throws the JS form of an SFrame or MLS rejection; declared to return so callers can {@code throw} it. */
    static RuntimeException rethrow(RuntimeException e) {
        if (e instanceof SFrameException) {
            throwJs(((SFrameException) e).code().name(), e.getMessage());
        } else if (e instanceof MlsException) {
            throw JsErrors.rethrow((MlsException) e);
        }
        return e;
    }

    private static <T> int register(Map<Integer, T> table, T o) {
        int h = nextHandle++;
        table.put(h, o);
        return h;
    }

    private static <T> T lookup(Map<Integer, T> table, int handle, String what) {
        T o = table.get(handle);
        if (o == null) {
            throwJs("INVALID_ARGUMENT", "no " + what + " with handle " + handle);
        }
        return o;
    }

    private static SFrameContext context(int handle) {
        return lookup(CONTEXTS, handle, "SFrame context");
    }

    private static MlsSFrameKeys keys(int handle) {
        return lookup(KEYS, handle, "key manager");
    }

    private static SFrameStream stream(int handle) {
        return lookup(STREAMS, handle, "stream");
    }

    /** A decimal 64-bit value from JS; anything else is INVALID_ARGUMENT. */
    private static long u64(String decimal) {
        try {
            return SFrameVectors.parseU64(decimal);
        } catch (IllegalArgumentException e) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, e.getMessage());
        }
    }

    /** Checks one section of an SFrame vector file (KID and CTR quoted as strings before JSON.parse). */
    public static JSObject verifyVectors(String section, JSObject entries) {
        try {
            Report r = SFrameVectors.verify(section, JsJson.wrap(entries));
            return report(r.section, r.passed, r.failed, r.summary());
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    public static String vectorSections() {
        return String.join(",", SFrameVectors.SECTIONS);
    }

    /** Runs {@link MlsCallCheck} (a call over a real three-member mls-core group) with SFrame suite {@code suite}; returns its summary. */
    public static String callCheck(int suite) {
        try {
            return MlsCallCheck.run(SFrameSuite.of(suite), new WebRandomSource());
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    // ---- the frame cipher with application-provisioned keys (RFC 9605 Appendix A) ----

    /** A new SFrame context for cipher suite {@code suite} (1-8) with a per-KID replay window. */
    public static int contextCreate(int suite, int replayWindow) {
        try {
            return register(CONTEXTS, new SFrameContext(SFrameSuite.of(suite), replayWindow));
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** Adds an encryption-only key for {@code kid} (decimal), CTR from zero. */
    public static void contextAddSendKey(int context, String kid, byte[] baseKey) {
        try {
            context(context).addSendKey(u64(kid), baseKey);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** Adds a decryption-only key for {@code kid} (decimal). */
    public static void contextAddReceiveKey(int context, String kid, byte[] baseKey) {
        try {
            context(context).addReceiveKey(u64(kid), baseKey);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    public static byte[] contextEncrypt(int context, String kid, byte[] metadata, byte[] plaintext) {
        try {
            return context(context).encrypt(u64(kid), metadata, plaintext);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    public static byte[] contextDecrypt(int context, byte[] metadata, byte[] frame) {
        try {
            return context(context).decrypt(metadata, frame);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    // ---- the MLS key manager (RFC 9605 §5.2) ----

    /** The label to give the MLS exporter for the base key: MLS-Exporter(label, "", Nk). */
    public static String exporterLabel() {
        return MlsSFrameKeys.EXPORTER_LABEL;
    }

    /** Nk of a suite: the length of the exporter output to pass to {@link #keysInstallEpoch}. */
    public static int baseKeyLength(int suite) {
        try {
            return SFrameSuite.of(suite).nk();
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** A key manager: suite 1-8, E epoch bits, grace period in ms, replay window; the clock is Date.now(). */
    public static int keysCreate(int suite, int epochBits, double graceMillis, int replayWindow) {
        try {
            return register(KEYS, new MlsSFrameKeys(SFrameSuite.of(suite), epochBits, (long) graceMillis, replayWindow,
                    () -> (long) dateNow()));
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** Installs an epoch (decimal) after a commit: the exporter's base key, this member's leaf and the members' leaves. */
    public static void keysInstallEpoch(int keys, String epoch, byte[] baseKey, int myLeaf, int[] memberLeaves) {
        try {
            keys(keys).installEpoch(u64(epoch), baseKey, myLeaf, memberLeaves);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** Installs the group's current epoch (after create, join or merge): exporter, own leaf, members. */
    public static void keysOnEpoch(int keys, org.mlskit.group.Group group) {
        try {
            keys(keys).onEpoch(group);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** The current epoch (decimal), or "-1" before the first one. */
    public static String keysCurrentEpoch(int keys) {
        long e = keys(keys).currentEpoch();
        return e == -1 ? "-1" : Long.toUnsignedString(e);
    }

    /** Opens an outgoing stream (one per track or simulcast layer); returns its handle. */
    public static int keysOpenStream(int keys) {
        try {
            return register(STREAMS, keys(keys).openStream());
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** The context id (decimal) of a stream. */
    public static String streamContextId(int stream) {
        return Long.toUnsignedString(stream(stream).contextId());
    }

    public static byte[] streamEncrypt(int stream, byte[] metadata, byte[] plaintext) {
        try {
            return stream(stream).encrypt(metadata, plaintext);
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /** Decrypts another member's frame; {@link #keysLastFrame} then says whose it was. */
    public static byte[] keysDecrypt(int keys, byte[] metadata, byte[] frame) {
        try {
            ReceivedFrame f = keys(keys).decrypt(metadata, frame);
            LAST.put(keys, f);
            return f.plaintext;
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }

    /**
     * The last frame this key manager decrypted, as JSON text:
     * {@code {"epoch":"E","senderLeaf":N,"contextId":"C","kid":"K","ctr":"R"}} (64-bit values as strings), or "null".
     */
    public static String keysLastFrame(int keys) {
        ReceivedFrame f = LAST.get(keys);
        if (f == null) {
            return "null";
        }
        return "{\"epoch\":\"" + Long.toUnsignedString(f.epoch) + "\",\"senderLeaf\":" + f.senderLeaf
                + ",\"contextId\":\"" + Long.toUnsignedString(f.contextId) + "\",\"kid\":\"" + Long.toUnsignedString(f.kid)
                + "\",\"ctr\":\"" + Long.toUnsignedString(f.ctr) + "\"}";
    }

    /** Releases a handle; a context's or key manager's keys are erased, a stream is closed. */
    public static void release(int handle) {
        LAST.remove(handle);
        MlsSFrameKeys k = KEYS.remove(handle);
        if (k != null) {
            k.eraseAll();
        }
        SFrameStream s = STREAMS.remove(handle);
        if (s != null) {
            s.close();
        }
        SFrameContext c = CONTEXTS.remove(handle);
        if (c != null) {
            c.eraseAll();
        }
    }

    // ---- benchmarks ----

    private static SFrameBench bench;
    private static int benchSuite;
    private static int benchSize;
    private static int sink;

    @JSBody(script = "return performance.now();")
    private static native double now();

    /** Microseconds per frame of {@code op} ("encrypt" or "decrypt") for suite and frame size, see {@link SFrameBench}. */
    public static double bench(int suite, int size, String op, int iterations) {
        try {
            if (bench == null || benchSuite != suite || benchSize != size) {
                bench = new SFrameBench(SFrameSuite.of(suite), size);
                benchSuite = suite;
                benchSize = size;
            }
            boolean encrypt = op.equals("encrypt");
            if (!encrypt && !op.equals("decrypt")) {
                throwJs("INVALID_ARGUMENT", "unknown operation " + op);
            }
            double t0 = now();
            for (int i = 0; i < iterations; i++) {
                sink ^= (encrypt ? bench.encrypt() : bench.decrypt()).length;
            }
            return (now() - t0) * 1000.0 / iterations;
        } catch (RuntimeException e) {
            throw rethrow(e);
        }
    }
}
