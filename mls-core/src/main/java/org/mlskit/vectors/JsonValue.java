package org.mlskit.vectors;

/**
 * A read-only view of a parsed JSON document, just wide enough for the test-vector formats.
 * The JVM backs it with gson, the TeaVM builds with the runtime's own {@code JSON.parse}, so
 * the checks in this package run unchanged everywhere.
 */
public interface JsonValue {
    /** The member {@code key} of an object, or null when it is absent or JSON null. */
    JsonValue get(String key);

    /** Number of elements of an array. */
    int length();

    /** Element {@code i} of an array, or null when it is JSON null. */
    JsonValue at(int i);

    String asString();

    /** A JSON number that is an integer (vector fields are uint8..uint64 within 2^53). */
    long asLong();
}
