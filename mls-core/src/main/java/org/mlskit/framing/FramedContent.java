package org.mlskit.framing;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.group.Commit;
import org.mlskit.group.Proposal;

/** FramedContent (RFC 9420 §6): an application message, a proposal or a commit, with its group, epoch and sender. */
public final class FramedContent implements Encodable {
    public final byte[] groupId;
    public final long epoch;
    public final Sender sender;
    public final byte[] authenticatedData;
    public final int contentType;
    /** Exactly one of these is set, as contentType says. */
    public final byte[] applicationData;
    public final Proposal proposal;
    public final Commit commit;

    private FramedContent(byte[] groupId, long epoch, Sender sender, byte[] authenticatedData, int contentType,
            byte[] applicationData, Proposal proposal, Commit commit) {
        this.groupId = groupId;
        this.epoch = epoch;
        this.sender = sender;
        this.authenticatedData = authenticatedData;
        this.contentType = contentType;
        this.applicationData = applicationData;
        this.proposal = proposal;
        this.commit = commit;
    }

    public static FramedContent application(byte[] groupId, long epoch, Sender sender, byte[] aad, byte[] data) {
        return new FramedContent(groupId, epoch, sender, aad, ContentType.APPLICATION, data, null, null);
    }

    public static FramedContent proposal(byte[] groupId, long epoch, Sender sender, byte[] aad, Proposal p) {
        return new FramedContent(groupId, epoch, sender, aad, ContentType.PROPOSAL, null, p, null);
    }

    public static FramedContent commit(byte[] groupId, long epoch, Sender sender, byte[] aad, Commit c) {
        return new FramedContent(groupId, epoch, sender, aad, ContentType.COMMIT, null, null, c);
    }

    /** The content body alone, as PrivateMessageContent carries it. */
    void encodeBody(TlsWriter out) {
        switch (contentType) {
            case ContentType.APPLICATION:
                out.opaque(applicationData);
                break;
            case ContentType.PROPOSAL:
                proposal.encode(out);
                break;
            default:
                commit.encode(out);
        }
    }

    static FramedContent decodeBody(TlsReader in, int at, byte[] groupId, long epoch, Sender sender, byte[] aad, int type) {
        switch (type) {
            case ContentType.APPLICATION:
                return application(groupId, epoch, sender, aad, in.opaque());
            case ContentType.PROPOSAL:
                return proposal(groupId, epoch, sender, aad, Proposal.decode(in));
            case ContentType.COMMIT:
                return commit(groupId, epoch, sender, aad, Commit.decode(in));
            default:
                throw Codec.invalid(in, at, "content type " + type);
        }
    }

    @Override
    public void encode(TlsWriter out) {
        out.opaque(groupId).u64(epoch);
        sender.encode(out);
        out.opaque(authenticatedData).u8(contentType);
        encodeBody(out);
    }

    public static FramedContent decode(TlsReader in) {
        byte[] groupId = in.opaque();
        long epoch = in.u64();
        Sender sender = Sender.decode(in);
        byte[] aad = in.opaque();
        int at = in.position();
        int type = in.u8();
        return decodeBody(in, at, groupId, epoch, sender, aad, type);
    }
}
