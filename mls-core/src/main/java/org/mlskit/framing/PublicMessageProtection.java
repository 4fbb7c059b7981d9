package org.mlskit.framing;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;

/**
 * Encoding an AuthenticatedContent as a PublicMessage and back (RFC 9420 §6.2): signed content in
 * the clear, with a membership tag when a member sent it. Application data is never sent this
 * way (§6: applications MUST use PrivateMessage for it).
 */
public final class PublicMessageProtection {
    private PublicMessageProtection() {
    }

    /**
     * Wraps signed content as a PublicMessage, adding the membership tag for a member sender.
     *
     * @param ac content signed for {@link WireFormat#PUBLIC_MESSAGE} (see {@link ContentSigning#authenticate})
     * @param context the epoch's GroupContext; may be null only for external and new-member-proposal senders
     * @param membershipKey the epoch's membership_key; needed only for a member sender
     * @throws MlsException {@link ErrorCode#WRONG_CONTENT_TYPE} for application data or a content type
     *     the sender type does not allow, {@link ErrorCode#INVALID_ARGUMENT} for content signed for
     *     another wire format or a missing key
     */
    public static PublicMessage protect(CipherSuite suite, AuthenticatedContent ac, GroupContext context, byte[] membershipKey) {
        if (ac.wireFormat != WireFormat.PUBLIC_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the content was signed for wire format " + ac.wireFormat
                    + ", not as a PublicMessage");
        }
        checkContentType(ac.content);
        ContextMatch.checkOwn(ac.content.groupId, ac.content.epoch, context);
        byte[] tag = null;
        if (ac.content.sender.type == Sender.MEMBER) {
            if (membershipKey == null) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a member's PublicMessage needs the membership key");
            }
            tag = MembershipTag.compute(suite, membershipKey, ac, context);
        }
        return new PublicMessage(ac.content, ac.auth, tag);
    }

    /**
     * Checks a received PublicMessage and returns its AuthenticatedContent: group and epoch, the
     * content type the sender type allows, the membership tag for a member sender, then the
     * signature with the key {@code keys} gives for the sender. The confirmation tag of a commit
     * is checked later, by whoever derives the next epoch's confirmation key.
     *
     * @throws MlsException {@link ErrorCode#WRONG_GROUP}, {@link ErrorCode#WRONG_EPOCH},
     *     {@link ErrorCode#WRONG_CONTENT_TYPE}, {@link ErrorCode#INVALID_MEMBERSHIP_TAG},
     *     {@link ErrorCode#UNKNOWN_MEMBER}, {@link ErrorCode#INVALID_SIGNATURE}
     */
    public static AuthenticatedContent unprotect(CipherSuite suite, PublicMessage message, GroupContext context,
            byte[] membershipKey, SignatureKeyLookup keys) {
        FramedContent content = message.content;
        ContextMatch.check(content.groupId, content.epoch, context);
        checkContentType(content);
        AuthenticatedContent ac = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, content, message.auth);
        if (content.sender.type == Sender.MEMBER) {
            if (membershipKey == null) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a member's PublicMessage is checked with the membership key");
            }
            MembershipTag.verify(suite, membershipKey, ac, context, message.membershipTag);
        }
        byte[] key = keys.signatureKey(content);
        if (key == null) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "no signature key for sender type " + content.sender.type
                    + " index " + Integer.toUnsignedString(content.sender.index));
        }
        ContentSigning.verify(suite, key, ac, context);
        return ac;
    }

    /** Same as {@link #unprotect(CipherSuite, PublicMessage, GroupContext, byte[], SignatureKeyLookup)} with one known key. */
    public static AuthenticatedContent unprotect(CipherSuite suite, PublicMessage message, GroupContext context,
            byte[] membershipKey, byte[] signaturePublicKey) {
        return unprotect(suite, message, context, membershipKey, SignatureKeyLookup.fixed(signaturePublicKey));
    }

    /** §6 and §6.1: no application data in the clear; each non-member sender type has its one content type. */
    private static void checkContentType(FramedContent content) {
        int type = content.contentType;
        if (type == ContentType.APPLICATION) {
            throw new MlsException(ErrorCode.WRONG_CONTENT_TYPE, "application data must be sent as a PrivateMessage");
        }
        int sender = content.sender.type;
        boolean ok = sender == Sender.MEMBER
                || (sender == Sender.NEW_MEMBER_COMMIT ? type == ContentType.COMMIT : type == ContentType.PROPOSAL);
        if (!ok) {
            throw new MlsException(ErrorCode.WRONG_CONTENT_TYPE, "sender type " + sender + " cannot send content type " + type);
        }
        if (sender == Sender.NEW_MEMBER_PROPOSAL && content.proposal.type() != Proposal.ADD) {
            throw new MlsException(ErrorCode.WRONG_CONTENT_TYPE, "a new member can only propose to add itself, not proposal type "
                    + content.proposal.type());
        }
    }
}
