package org.mlskit.sframe;

/** Stable codes of every SFrame rejection; the names are public API (the JS bindings expose them as {@code e.code}). */
public enum SFrameError {
    /** Bytes that are not an SFrame ciphertext: a truncated header, or too short for the tag. */
    MALFORMED,
    /** A cipher suite identifier this library does not implement. */
    UNSUPPORTED,
    /** An argument out of range: a key of the wrong length, an epoch-bits or window setting, a context id that does not fit the KID. */
    INVALID_ARGUMENT,
    /** A KID with no decryption key: never provisioned, an epoch not (or no longer) held, a blank leaf, or one's own encryption key. */
    UNKNOWN_KEY,
    /** A KID of an epoch whose grace period after the next epoch ran out; its keys are erased. */
    EXPIRED_EPOCH,
    /** A frame whose tag does not verify: a tampered header, metadata, ciphertext or tag, or the wrong key. */
    AUTHENTICATION_FAILED,
    /** A frame whose counter was already accepted for its KID, or is older than the replay window. */
    REPLAY,
    /** An encryption key whose counter reached 2^64-1: it never wraps, so it encrypts no more. */
    COUNTER_EXHAUSTED,
    /** An operation the state does not allow now: no epoch installed yet, a stream context already open, an epoch not newer than the current one. */
    INVALID_STATE
}
