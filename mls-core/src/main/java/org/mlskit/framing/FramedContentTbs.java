package org.mlskit.framing;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsWriter;
import org.mlskit.group.GroupContext;

/**
 * FramedContentTBS (RFC 9420 §6.1): what a sender signs. It binds the content to the wire format
 * it travels in and, for members and new members committing, to the epoch's GroupContext.
 */
public final class FramedContentTbs implements Encodable {
    public final int wireFormat;
    public final FramedContent content;
    /** The epoch's context; only encoded for senders of type member and new_member_commit. */
    public final GroupContext context;

    /**
     * @param context required when {@link #coversContext(Sender)} is true for the content's
     *     sender, ignored otherwise (may be null then)
     */
    public FramedContentTbs(int wireFormat, FramedContent content, GroupContext context) {
        if (coversContext(content.sender) && context == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT,
                    "a FramedContentTBS of sender type " + content.sender.type + " needs the GroupContext");
        }
        this.wireFormat = wireFormat;
        this.content = content;
        this.context = context;
    }

    /** True for the sender types whose signatures cover the GroupContext (member, new_member_commit). */
    public static boolean coversContext(Sender sender) {
        return sender.type == Sender.MEMBER || sender.type == Sender.NEW_MEMBER_COMMIT;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(GroupContext.MLS10).u16(wireFormat);
        content.encode(out);
        if (coversContext(content.sender)) {
            context.encode(out);
        }
    }
}
