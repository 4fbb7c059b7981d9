package org.mlskit;

/** Stable error codes; the names are part of the public API (the JS bindings expose them too). */
public enum ErrorCode {
    /** Bytes that do not decode as the expected structure. */
    MALFORMED,
    /** A cipher suite, KEM, signature scheme or other identifier this library does not implement. */
    UNSUPPORTED,
    /** A signature that does not verify. */
    INVALID_SIGNATURE,
    /** An AEAD or HPKE ciphertext that does not authenticate. */
    DECRYPTION_FAILED,
    /** A key of the wrong length or not on the curve. */
    INVALID_KEY,
    /** An argument outside the range the operation allows. */
    INVALID_ARGUMENT,
    /** A message whose key was already used: a replay or a duplicate (RFC 9420 §9.2 erases used keys). */
    DUPLICATE_MESSAGE,
    /** A generation beyond the configured forward distance, or older than the retained out-of-order window. */
    GENERATION_OUT_OF_RANGE,
    /** A ratchet tree whose parent hashes do not chain every parent node back to a leaf (RFC 9420 §7.9.2). */
    INVALID_PARENT_HASH,
    /** A tree or tree hash that does not match what the group agreed on. */
    INVALID_TREE,
    /** No secure randomness is available in this runtime. */
    NO_SECURE_RANDOM
}
