package org.mlskit.crypto;

/**
 * The one place randomness comes from. It is always injected: on the JVM use
 * {@link SecureRandomSource}; in browsers and Node the JS bindings supply one backed by
 * {@code crypto.getRandomValues} that fails rather than falling back to anything weaker.
 */
public interface RandomSource {
    /** Fills {@code out} with cryptographically secure random bytes. */
    void nextBytes(byte[] out);

    default byte[] bytes(int n) {
        byte[] out = new byte[n];
        nextBytes(out);
        return out;
    }
}
