package org.mlskit.sframe;

/**
 * One outgoing media stream (an audio track, a video track, one simulcast layer) of this member.
 * It owns a context id of the KID, so its (key, nonce) pairs never meet another stream's; in each
 * epoch its CTR starts at zero under that epoch's key.
 */
public final class SFrameStream {
    private final MlsSFrameKeys keys;
    private final long contextId;
    private boolean closed;

    SFrameStream(MlsSFrameKeys keys, long contextId) {
        this.keys = keys;
        this.contextId = contextId;
    }

    public long contextId() {
        return contextId;
    }

    /** The KID the next frame gets in the current epoch. */
    public long kid() {
        return keys.kidFor(contextId);
    }

    /** Encrypts one frame under the current epoch's key of this stream, with {@code metadata} authenticated in the AAD. */
    public byte[] encrypt(byte[] metadata, byte[] plaintext) {
        if (closed) {
            throw new SFrameException(SFrameError.INVALID_STATE, "stream " + Long.toUnsignedString(contextId) + " is closed");
        }
        return keys.encrypt(contextId, metadata, plaintext);
    }

    /** Closes the stream. Its context id is never handed out again by the same key manager, so its counters never restart. */
    public void close() {
        closed = true;
    }
}
