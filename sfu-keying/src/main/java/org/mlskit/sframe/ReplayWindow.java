package org.mlskit.sframe;

/**
 * Anti-replay for one decryption KID (RFC 9605 §9.3): the highest counter accepted so far and a
 * bitmap of the {@code size} counters below it. A counter above the highest is new; one within
 * the window is new unless its bit is set; one older than the window is refused. Counters are
 * unsigned 64-bit. {@link #check} never changes anything; {@link #accept} is called only after
 * the frame authenticated, so a forged frame cannot move the window.
 */
public final class ReplayWindow {
    /** The window when none is configured: 1,024 frames, about 34 s of 30 fps video. */
    public static final int DEFAULT_SIZE = 1024;

    private final int size;
    private final int[] bits;
    private long highest;
    private boolean any;

    /** {@code size}: counters tolerated out of order below the highest; a power of two from 32 to 2^20. */
    public ReplayWindow(int size) {
        if (size < 32 || size > (1 << 20) || (size & (size - 1)) != 0) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "replay window " + size
                    + " is not a power of two from 32 to 2^20");
        }
        this.size = size;
        this.bits = new int[size >>> 5];
    }

    public int size() {
        return size;
    }

    private boolean bit(long ctr) {
        int i = (int) ctr & (size - 1);
        return (bits[i >>> 5] & (1 << (i & 31))) != 0;
    }

    private void setBit(long ctr, boolean on) {
        int i = (int) ctr & (size - 1);
        if (on) {
            bits[i >>> 5] |= 1 << (i & 31);
        } else {
            bits[i >>> 5] &= ~(1 << (i & 31));
        }
    }

    /** Throws {@link SFrameError#REPLAY} when {@code ctr} was accepted before or is older than the window. */
    public void check(long ctr) {
        if (!any || Long.compareUnsigned(ctr, highest) > 0) {
            return;
        }
        long behind = highest - ctr;
        if (Long.compareUnsigned(behind, size) >= 0) {
            throw new SFrameException(SFrameError.REPLAY, "CTR " + Long.toUnsignedString(ctr) + " is older than the replay window ("
                    + size + " below " + Long.toUnsignedString(highest) + ")");
        }
        if (bit(ctr)) {
            throw new SFrameException(SFrameError.REPLAY, "CTR " + Long.toUnsignedString(ctr) + " was already accepted");
        }
    }

    /** Records {@code ctr} as seen; call after {@link #check} passed and the frame authenticated. */
    public void accept(long ctr) {
        if (any && Long.compareUnsigned(ctr, highest) <= 0) {
            setBit(ctr, true);
            return;
        }
        long ahead = any ? ctr - highest : size;
        if (Long.compareUnsigned(ahead, size) >= 0) {
            java.util.Arrays.fill(bits, 0);
        } else {
            int n = (int) ahead;
            for (int k = 1; k < n; k++) {
                setBit(highest + k, false);
            }
            // the slot of ctr itself is cleared by being set below; the counters between are not seen
        }
        highest = ctr;
        any = true;
        setBit(ctr, true);
    }
}
