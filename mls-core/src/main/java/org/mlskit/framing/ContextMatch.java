package org.mlskit.framing;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.group.GroupContext;

/** The first check on any incoming message: is it for this group and this epoch? */
final class ContextMatch {
    private ContextMatch() {
    }

    static void check(byte[] groupId, long epoch, GroupContext context) {
        if (context == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a received message is checked against the epoch's GroupContext");
        }
        if (!Arrays.equals(groupId, context.groupId())) {
            throw new MlsException(ErrorCode.WRONG_GROUP, "the message is for another group");
        }
        if (epoch != context.epoch()) {
            throw new MlsException(ErrorCode.WRONG_EPOCH, "the message is for epoch " + Long.toUnsignedString(epoch)
                    + ", this state is epoch " + Long.toUnsignedString(context.epoch()));
        }
    }

    /** For outgoing messages: the same check, as a caller's mistake. */
    static void checkOwn(byte[] groupId, long epoch, GroupContext context) {
        if (context != null && (!Arrays.equals(groupId, context.groupId()) || epoch != context.epoch())) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the content's group or epoch is not the context's");
        }
    }
}
