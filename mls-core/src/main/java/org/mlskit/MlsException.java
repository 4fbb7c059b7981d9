package org.mlskit;

/**
 * Every rejection mlskit makes: a stable {@link ErrorCode} saying what went wrong, and a message
 * saying why. Throwing one never leaves partially updated state behind.
 */
public class MlsException extends RuntimeException {
    private final ErrorCode code;

    public MlsException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public MlsException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
