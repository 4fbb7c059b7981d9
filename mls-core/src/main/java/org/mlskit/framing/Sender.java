package org.mlskit.framing;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** Who sent a message (RFC 9420 §6): a member by leaf, an external sender by index, or a new member. */
public final class Sender implements Encodable {
    public static final int MEMBER = 1;
    public static final int EXTERNAL = 2;
    public static final int NEW_MEMBER_PROPOSAL = 3;
    public static final int NEW_MEMBER_COMMIT = 4;

    public final int type;
    /** Leaf index for a member, sender index for an external sender, 0 otherwise. */
    public final int index;

    private Sender(int type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Sender member(int leaf) {
        return new Sender(MEMBER, leaf);
    }

    public static Sender external(int senderIndex) {
        return new Sender(EXTERNAL, senderIndex);
    }

    public static Sender newMemberProposal() {
        return new Sender(NEW_MEMBER_PROPOSAL, 0);
    }

    public static Sender newMemberCommit() {
        return new Sender(NEW_MEMBER_COMMIT, 0);
    }

    @Override
    public void encode(TlsWriter out) {
        out.u8(type);
        if (type == MEMBER || type == EXTERNAL) {
            out.u32(index);
        }
    }

    public static Sender decode(TlsReader in) {
        int at = in.position();
        int type = in.u8();
        switch (type) {
            case MEMBER:
            case EXTERNAL:
                return new Sender(type, in.u32());
            case NEW_MEMBER_PROPOSAL:
            case NEW_MEMBER_COMMIT:
                return new Sender(type, 0);
            default:
                throw Codec.invalid(in, at, "sender type " + type);
        }
    }
}
