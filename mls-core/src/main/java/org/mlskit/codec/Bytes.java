package org.mlskit.codec;

import java.util.Arrays;

/** A byte string as a map key or set element: equality and hash by content. Holds the array as given. */
public final class Bytes {
    private final byte[] value;
    private final int hash;

    public Bytes(byte[] value) {
        this.value = value;
        this.hash = Arrays.hashCode(value);
    }

    /** The array itself (not a copy). */
    public byte[] value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes && Arrays.equals(value, ((Bytes) o).value);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
