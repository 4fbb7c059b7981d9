package org.mlskit.fuzz;

import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.mlskit.crypto.RandomSource;

/**
 * Deterministic "randomness" for fuzz scenarios only: SHAKE256 over a seed, so that the same seed
 * builds the same groups, keys and messages on every platform and a failure replays. Never use it
 * for real keys.
 */
public final class SeededRandomSource implements RandomSource {
    private final SHAKEDigest xof = new SHAKEDigest(256);

    public SeededRandomSource(int seed, int stream, int index) {
        byte[] in = {'m', 'l', 's', 'k', 'i', 't', '-', 'f', 'u', 'z', 'z',
            (byte) (seed >>> 24), (byte) (seed >>> 16), (byte) (seed >>> 8), (byte) seed,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream,
            (byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index};
        xof.update(in, 0, in.length);
    }

    @Override
    public void nextBytes(byte[] out) {
        // doOutput keeps squeezing the same stream across calls.
        xof.doOutput(out, 0, out.length);
    }
}
