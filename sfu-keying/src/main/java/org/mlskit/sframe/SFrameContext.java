package org.mlskit.sframe;

import java.util.HashMap;
import java.util.Map;

/**
 * The SFrame context of RFC 9605 Appendix A for keys the application provisions itself: KIDs
 * mapped to send keys (with their counters) or receive keys (with their replay windows), never
 * both. {@link MlsSFrameKeys} is the MLS-keyed counterpart that derives the KIDs and keys itself.
 */
public final class SFrameContext {
    private final SFrameSuite suite;
    private final int replayWindow;
    private final Map<Long, SFrameSender> send = new HashMap<>();
    private final Map<Long, SFrameReceiver> receive = new HashMap<>();

    public SFrameContext(SFrameSuite suite) {
        this(suite, ReplayWindow.DEFAULT_SIZE);
    }

    public SFrameContext(SFrameSuite suite, int replayWindow) {
        new ReplayWindow(replayWindow); // validates the size before anything is kept
        this.suite = suite;
        this.replayWindow = replayWindow;
    }

    public SFrameSuite suite() {
        return suite;
    }

    private void checkFree(long kid) {
        if (send.containsKey(kid) || receive.containsKey(kid)) {
            throw new SFrameException(SFrameError.INVALID_STATE, "KID " + Long.toUnsignedString(kid) + " already has a key");
        }
    }

    /** Derives the key of {@code kid} from {@code baseKey} for encryption only, with CTR starting at zero. */
    public void addSendKey(long kid, byte[] baseKey) {
        checkFree(kid);
        send.put(kid, new SFrameSender(SFrameKey.derive(suite, kid, baseKey)));
    }

    /** Derives the key of {@code kid} from {@code baseKey} for decryption only. */
    public void addReceiveKey(long kid, byte[] baseKey) {
        checkFree(kid);
        receive.put(kid, new SFrameReceiver(SFrameKey.derive(suite, kid, baseKey), replayWindow));
    }

    /** Erases and forgets the key of {@code kid}, if any; returns whether there was one. */
    public boolean removeKey(long kid) {
        SFrameSender s = send.remove(kid);
        if (s != null) {
            s.erase();
            return true;
        }
        SFrameReceiver r = receive.remove(kid);
        if (r != null) {
            r.erase();
            return true;
        }
        return false;
    }

    public byte[] encrypt(long kid, byte[] metadata, byte[] plaintext) {
        SFrameSender s = send.get(kid);
        if (s == null) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "no send key for KID " + Long.toUnsignedString(kid));
        }
        return s.encrypt(metadata, plaintext);
    }

    public byte[] decrypt(byte[] metadata, byte[] frame) {
        SFrameHeader h = SFrameHeader.decode(frame);
        SFrameReceiver r = receive.get(h.kid());
        if (r == null) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "no receive key for KID " + Long.toUnsignedString(h.kid()));
        }
        return r.decrypt(h, frame, metadata);
    }

    /** Erases and forgets every key. */
    public void eraseAll() {
        for (SFrameSender s : send.values()) {
            s.erase();
        }
        for (SFrameReceiver r : receive.values()) {
            r.erase();
        }
        send.clear();
        receive.clear();
    }
}
