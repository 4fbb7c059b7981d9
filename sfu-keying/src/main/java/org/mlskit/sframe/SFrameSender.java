package org.mlskit.sframe;

/**
 * An encryption-only key with its counter (RFC 9605 §4.4.1): CTR starts at zero, goes up by one
 * per frame and never wraps, so no (key, nonce) pair is used twice. After the frame with CTR
 * 2^64-1 the key refuses with {@link SFrameError#COUNTER_EXHAUSTED}.
 */
public final class SFrameSender {
    private final SFrameKey key;
    private long next;
    private boolean exhausted;

    SFrameSender(SFrameKey key, long firstCounter) {
        this.key = key;
        this.next = firstCounter;
    }

    public SFrameSender(SFrameKey key) {
        this(key, 0);
    }

    public long kid() {
        return key.kid();
    }

    /** The CTR the next frame gets (unsigned); meaningless once {@link #isExhausted()}. */
    public long nextCounter() {
        return next;
    }

    public boolean isExhausted() {
        return exhausted;
    }

    public byte[] encrypt(byte[] metadata, byte[] plaintext) {
        if (exhausted) {
            throw new SFrameException(SFrameError.COUNTER_EXHAUSTED, "KID " + Long.toUnsignedString(key.kid())
                    + " used every CTR up to 2^64-1");
        }
        long ctr = next;
        byte[] out = key.encrypt(ctr, metadata, plaintext);
        next = ctr + 1;
        exhausted = next == 0;
        return out;
    }

    SFrameKey key() {
        return key;
    }

    public void erase() {
        key.erase();
    }
}
