package org.mlskit.js;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.RandomSource;
import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * Randomness from the runtime's {@code crypto.getRandomValues} (browsers, workers, Node).
 * Where it is missing this fails with {@link ErrorCode#NO_SECURE_RANDOM}: there is no fallback.
 *
 * <p>Small requests (every message's 4-byte reuse guard) are served from a pool filled by one
 * call: a call into the runtime costs far more than the bytes, and in Node it was 7% of encrypting
 * a 1 KiB message. Each byte is handed out once and zeroed in the pool as it is taken.
 */
public final class WebRandomSource implements RandomSource {
    /** getRandomValues fills at most 65,536 bytes a call. */
    private static final int MAX_CHUNK = 65536;
    private static final int POOL = 256;
    /** Requests up to this size come from the pool; larger ones fetch their own bytes. */
    private static final int POOLED = 64;

    private final byte[] pool = new byte[POOL];
    /** Bytes of the pool not yet handed out start here. */
    private int next = POOL;

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
        if (out.length <= POOLED) {
            if (POOL - next < out.length) {
                fetch(pool);
                next = 0;
            }
            System.arraycopy(pool, next, out, 0, out.length);
            Arrays.fill(pool, next, next + out.length, (byte) 0);
            next += out.length;
            return;
        }
        fetch(out);
    }

    private static void fetch(byte[] out) {
        requireAvailable();
        for (int off = 0; off < out.length; off += MAX_CHUNK) {
            int n = Math.min(MAX_CHUNK, out.length - off);
            byte[] chunk = fill(n).copyToJavaArray();
            System.arraycopy(chunk, 0, out, off, n);
        }
    }
}
