package org.mlskit.crypto;

import java.security.SecureRandom;

/**
 * JVM randomness from the platform's {@link SecureRandom}. Not for TeaVM builds: TeaVM's
 * SecureRandom silently degrades to a weak non-cryptographic generator without a {@code crypto} global.
 */
public final class SecureRandomSource implements RandomSource {
    private final SecureRandom random = new SecureRandom();

    @Override
    public void nextBytes(byte[] out) {
        random.nextBytes(out);
    }
}
