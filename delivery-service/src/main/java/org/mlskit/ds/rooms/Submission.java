package org.mlskit.ds.rooms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ds.api.DsError;
import org.mlskit.ds.api.MlsBody;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Welcome;

/**
 * A group message as the DS reads it from its framing (RFC 9420 §6): group, epoch, content type,
 * and the sender when it is public. A commit arrives as a bundle: the commit, then an optional
 * Welcome, then the GroupInfo of the new epoch, concatenated MLSMessages in one body.
 */
public final class Submission {
    public final byte[] bytes;
    public final int wireFormat;
    public final int contentType;
    public final byte[] groupId;
    public final long epoch;
    /** The sender of a PublicMessage; null for a PrivateMessage (encrypted). */
    public final Sender sender;

    private Submission(byte[] bytes, int wireFormat, int contentType, byte[] groupId, long epoch, Sender sender) {
        this.bytes = bytes;
        this.wireFormat = wireFormat;
        this.contentType = contentType;
        this.groupId = groupId;
        this.epoch = epoch;
        this.sender = sender;
    }

    /** A commit with what goes with it. */
    public record Bundle(Submission commit, byte[] welcome, List<byte[]> welcomeRefs, GroupInfoView groupInfo) {
    }

    /** One application message or proposal. */
    public static Submission message(byte[] body) {
        List<MlsBody.Part> parts = MlsBody.split(body, 3);
        if (parts.size() != 1) {
            throw new DsError(DsError.Code.BAD_REQUEST, "one MLSMessage per request here, got " + parts.size());
        }
        Submission s = of(parts.get(0).message(), parts.get(0).bytes());
        if (s.contentType == ContentType.COMMIT) {
            throw new DsError(DsError.Code.BAD_REQUEST, "a commit goes to POST /v1/groups/{id}/commits with its GroupInfo");
        }
        return s;
    }

    /** A commit bundle: commit, optional Welcome, GroupInfo. */
    public static Bundle bundle(byte[] body) {
        List<MlsBody.Part> parts = MlsBody.split(body, 3);
        if (parts.size() < 2) {
            throw new DsError(DsError.Code.BAD_REQUEST, "a commit bundle is the commit, an optional Welcome and the"
                    + " GroupInfo of the new epoch; got " + parts.size() + " messages");
        }
        Submission commit = of(parts.get(0).message(), parts.get(0).bytes());
        if (commit.contentType != ContentType.COMMIT) {
            throw new DsError(DsError.Code.BAD_REQUEST, "the first message of a commit bundle must be a commit");
        }
        byte[] welcome = null;
        List<byte[]> refs = List.of();
        if (parts.size() == 3) {
            if (parts.get(1).message().wireFormat != WireFormat.WELCOME) {
                throw new DsError(DsError.Code.BAD_REQUEST, "the second of three messages must be a Welcome");
            }
            welcome = parts.get(1).bytes();
            refs = new ArrayList<>();
            for (Welcome.Secrets s : ((Welcome) parts.get(1).message().body).secrets) {
                refs.add(s.newMember.clone());
            }
        }
        MlsBody.Part last = parts.get(parts.size() - 1);
        GroupInfoView gi = GroupInfoView.of(last.message(), last.bytes());
        if (!Arrays.equals(gi.groupId, commit.groupId) || gi.epoch != commit.epoch + 1) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the GroupInfo must be of the same group at the epoch"
                    + " after the commit's (" + (commit.epoch + 1) + "), got epoch " + gi.epoch);
        }
        return new Bundle(commit, welcome, refs, gi);
    }

    private static Submission of(MlsMessage m, byte[] bytes) {
        switch (m.wireFormat) {
            case WireFormat.PUBLIC_MESSAGE: {
                PublicMessage pm = (PublicMessage) m.body;
                if (pm.content.contentType == ContentType.APPLICATION) {
                    // RFC 9420 §6.2: application data is never sent as a PublicMessage; the DS would store plaintext.
                    throw new DsError(DsError.Code.PLAINTEXT_REFUSED, "application data must be a PrivateMessage");
                }
                return new Submission(bytes, m.wireFormat, pm.content.contentType, pm.content.groupId, pm.content.epoch,
                        pm.content.sender);
            }
            case WireFormat.PRIVATE_MESSAGE: {
                PrivateMessage pm = (PrivateMessage) m.body;
                return new Submission(bytes, m.wireFormat, pm.contentType, pm.groupId, pm.epoch, null);
            }
            default:
                throw new DsError(DsError.Code.BAD_REQUEST, "expected a PublicMessage or PrivateMessage, got wire format "
                        + m.wireFormat);
        }
    }

}
