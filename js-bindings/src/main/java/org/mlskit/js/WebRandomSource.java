package org.mlskit.js;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.RandomSource;
import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * Randomness from the runtime's {@code crypto.getRandomValues} (browsers, workers, Node).
 * Where it is missing this fails with {@link ErrorCode#NO_SECURE_RANDOM}: there is no fallback.
 */
public final class WebRandomSource implements RandomSource {
    /** getRandomValues fills at most 65,536 bytes a call. */
    private static final int MAX_CHUNK = 65536;

    @JSBody(script = "return typeof globalThis.crypto === 'object' && globalThis.crypto !== null"
            + " && typeof globalThis.crypto.getRandomValues === 'function';")
    private static native boolean available();

    @JSBody(params = "n", script = "var a = new Int8Array(n); globalThis.crypto.getRandomValues(a); return a;")
    private static native Int8Array fill(int n);

    /** Fails at once when the runtime has no getRandomValues, rather than on first use. */
    public WebRandomSource() {
        requireAvailable();
    }

    public static void requireAvailable() {
        if (!available()) {
            throw new MlsException(ErrorCode.NO_SECURE_RANDOM,
                    "crypto.getRandomValues is not available in this runtime; mlskit will not use weaker randomness");
        }
    }

    @Override
    public void nextBytes(byte[] out) {
        requireAvailable();
        for (int off = 0; off < out.length; off += MAX_CHUNK) {
            int n = Math.min(MAX_CHUNK, out.length - off);
            byte[] chunk = fill(n).copyToJavaArray();
            System.arraycopy(chunk, 0, out, off, n);
        }
    }
}
