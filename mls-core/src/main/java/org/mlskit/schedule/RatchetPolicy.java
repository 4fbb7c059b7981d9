package org.mlskit.schedule;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/**
 * How far a receiving ratchet may jump forward, and how many keys of skipped generations it keeps
 * for out-of-order messages (RFC 9420 §9.2 leaves both to the application).
 */
public final class RatchetPolicy {
    /** 1,000 generations ahead; 32 skipped keys kept per ratchet. */
    public static final RatchetPolicy DEFAULT = new RatchetPolicy(1000, 32);

    private final int maxForwardDistance;
    private final int outOfOrderTolerance;

    public RatchetPolicy(int maxForwardDistance, int outOfOrderTolerance) {
        if (maxForwardDistance < 0 || outOfOrderTolerance < 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "ratchet limits must not be negative");
        }
        this.maxForwardDistance = maxForwardDistance;
        this.outOfOrderTolerance = outOfOrderTolerance;
    }

    public int maxForwardDistance() {
        return maxForwardDistance;
    }

    public int outOfOrderTolerance() {
        return outOfOrderTolerance;
    }
}
