package org.mlskit.js;

import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.vectors.LargeTree;
import org.mlskit.vectors.TestVectors;
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
}
