package org.mlskit.sframe;

/**
 * A decryption-only key with its replay window: a frame is checked against the window, then
 * authenticated, and only then recorded, so a forged or damaged frame changes nothing.
 */
public final class SFrameReceiver {
    private final SFrameKey key;
    private final ReplayWindow window;

    public SFrameReceiver(SFrameKey key, int replayWindow) {
        this.key = key;
        this.window = new ReplayWindow(replayWindow);
    }

    public long kid() {
        return key.kid();
    }

    /** Decrypts {@code frame}, whose already decoded header is {@code h}. */
    public byte[] decrypt(SFrameHeader h, byte[] frame, byte[] metadata) {
        window.check(h.ctr());
        byte[] plaintext = key.decrypt(h, frame, metadata);
        window.accept(h.ctr());
        return plaintext;
    }

    SFrameKey key() {
        return key;
    }

    public void erase() {
        key.erase();
    }
}
