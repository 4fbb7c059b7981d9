package org.mlskit.vectors;

/** A test-vector entry whose computed value differs from the expected one. */
public final class VectorMismatch extends RuntimeException {
    public VectorMismatch(String message) {
        super(message);
    }
}
