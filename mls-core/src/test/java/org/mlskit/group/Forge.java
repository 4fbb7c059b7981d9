package org.mlskit.group;

import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Identity;
import org.mlskit.tree.UpdatePath;

/**
 * Hand-built handshake messages, for what {@link Group} would never send: proposals from external
 * senders and new members, and commits of arbitrary proposal lists, signed by a member with its
 * real keys (so only the point under test is wrong). Protecting a PrivateMessage consumes the
 * sender's handshake ratchet, as a real send would.
 */
final class Forge {
    private Forge() {
    }

    /** A PublicMessage proposal from a non-member sender (external or new member), signed by {@code signer}. */
    static byte[] nonMemberProposal(Identity signer, Sender sender, Group target, Proposal proposal) {
        CipherSuite cs = signer.suite();
        FramedContent content = FramedContent.proposal(target.groupId(), target.epoch(), sender, new byte[0], proposal);
        AuthenticatedContent ac = ContentSigning.authenticate(cs, signer.signaturePrivateKey(), WireFormat.PUBLIC_MESSAGE,
                content, null, null);
        // Built directly rather than with PublicMessageProtection.protect, which refuses the bad combinations tests need.
        return new MlsMessage(WireFormat.PUBLIC_MESSAGE, new PublicMessage(ac.content, ac.auth, null)).toBytes();
    }

    /** A proposal from {@code sender}'s leaf in its current epoch, signed with {@code signer}'s key. */
    static byte[] proposal(Group sender, Identity signer, Proposal proposal, int wireFormat) {
        FramedContent content = FramedContent.proposal(sender.groupId(), sender.epoch(), Sender.member(sender.myLeafIndex()),
                new byte[0], proposal);
        return protect(sender, signer, content, null, wireFormat);
    }

    /**
     * A commit from {@code sender}'s leaf of exactly these proposals and path, signed by it, with
     * the given confirmation tag (garbage is fine where validation must fail before the tag is checked).
     */
    static byte[] commit(Group sender, List<ProposalOrRef> proposals, UpdatePath path, byte[] confirmationTag,
            int wireFormat) {
        FramedContent content = FramedContent.commit(sender.groupId(), sender.epoch(), Sender.member(sender.myLeafIndex()),
                new byte[0], new Commit(proposals, path));
        return protect(sender, sender.identity(), content, confirmationTag, wireFormat);
    }

    /** Random bytes the length of a confirmation tag. */
    static byte[] garbageTag(Group g) {
        return GroupFixture.RANDOM.bytes(g.suite().kdf().length());
    }

    /** Signs {@code content} with {@code signer} and protects it as {@code sender} would in its current epoch. */
    static byte[] protect(Group sender, Identity signer, FramedContent content, byte[] confirmationTag, int wireFormat) {
        return Insider.protect(sender, signer, content, confirmationTag, wireFormat);
    }
}
