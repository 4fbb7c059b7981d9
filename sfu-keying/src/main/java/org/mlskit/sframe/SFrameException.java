package org.mlskit.sframe;

/**
 * Every rejection of the SFrame layer: a stable {@link SFrameError} and a message saying why. A
 * rejected operation leaves the state as it was (no counter consumed, no replay window moved).
 */
public final class SFrameException extends RuntimeException {
    private final SFrameError code;

    public SFrameException(SFrameError code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public SFrameError code() {
        return code;
    }
}
