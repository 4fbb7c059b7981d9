package org.mlskit.codec;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** Bytes that are not a valid TLS-presentation-language encoding of the expected structure. */
public final class DecodeException extends MlsException {
    /** Why decoding stopped; stable, so tests and callers can tell the cases apart. */
    public enum Reason {
        /** The input ended before the structure did. */
        TRUNCATED,
        /** A variable-length header that uses more bytes than its value needs (RFC 9420 §2.1.2). */
        NON_MINIMAL_LENGTH,
        /** A variable-length header whose two top bits are 11, or a length beyond 2^30 - 1. */
        INVALID_LENGTH,
        /** A declared length larger than the bytes that remain. */
        LENGTH_BEYOND_INPUT,
        /** Bytes left over after the structure ended. */
        TRAILING_DATA,
        /** A field whose value the structure does not allow (an optional flag other than 0 or 1, an unknown enum). */
        INVALID_VALUE
    }

    private final Reason reason;
    private final int offset;

    public DecodeException(Reason reason, int offset, String detail) {
        super(ErrorCode.MALFORMED, reason + " at byte " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Offset in the outermost input at which the problem was found. */
    public int offset() {
        return offset;
    }
}
