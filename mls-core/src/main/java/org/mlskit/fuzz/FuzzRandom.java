package org.mlskit.fuzz;

/**
 * The fuzzer's own seeded PRNG (a 32-bit SplitMix variant on ints, so the JS build needs no 64-bit
 * emulation). It picks mutations only; it is never used for keys (see {@link SeededRandomSource}).
 */
public final class FuzzRandom {
    private int state;

    public FuzzRandom(int seed) {
        this.state = seed;
    }

    /** A generator for one (seed, stream, index) triple, independent of any other triple. */
    public static FuzzRandom of(int seed, int stream, int index) {
        return new FuzzRandom(mix(mix(mix(seed) ^ stream) + index));
    }

    /** A 32-bit finaliser (from the MurmurHash3 family): spreads every input bit over the output. */
    public static int mix(int z) {
        z = (z ^ (z >>> 16)) * 0x85ebca6b;
        z = (z ^ (z >>> 13)) * 0xc2b2ae35;
        return z ^ (z >>> 16);
    }

    public int nextInt() {
        state += 0x9e3779b9;
        return mix(state);
    }

    /** Uniform enough in [0, n) for picking mutations; n must be positive. */
    public int below(int n) {
        return (int) ((nextInt() & 0x7fffffffL) % n);
    }

    /** True with probability about percent/100. */
    public boolean chance(int percent) {
        return below(100) < percent;
    }

    public byte[] bytes(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) nextInt();
        }
        return out;
    }

    public <T> T pick(java.util.List<T> items) {
        return items.get(below(items.size()));
    }

    /** Stable hash of a target name, for stream ids. */
    public static int hash(String s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x01000193;
        }
        return h;
    }
}
