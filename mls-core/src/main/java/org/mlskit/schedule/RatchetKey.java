package org.mlskit.schedule;

import java.util.Arrays;

/** The AEAD key and nonce of one generation of a hash ratchet (RFC 9420 §9.1). */
public final class RatchetKey {
    private final int generation;
    private final byte[] key;
    private final byte[] nonce;

    RatchetKey(int generation, byte[] key, byte[] nonce) {
        this.generation = generation;
        this.key = key;
        this.nonce = nonce;
    }

    /** The generation as a uint32 held in an int. */
    public int generation() {
        return generation;
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** Zeroes the key and nonce once the message they protect is handled. */
    public void erase() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
    }
}
