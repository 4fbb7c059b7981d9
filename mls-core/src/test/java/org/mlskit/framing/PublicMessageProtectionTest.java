package org.mlskit.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.framing.FramingFixture.assertMls;
import static org.mlskit.framing.FramingFixture.assertSameContent;
import static org.mlskit.framing.FramingFixture.flipBit;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;

/** PublicMessage protection (RFC 9420 §6.2): membership tag and signature, and bad input as typed errors. */
class PublicMessageProtectionTest {
    private static final FramingFixture F1 = new FramingFixture(CipherSuite.of(1));

    private static PublicMessage body(byte[] wire) {
        return (PublicMessage) MlsMessage.fromBytes(wire).body;
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.framing.FramingFixture#suites")
    void proposalsAndCommitsRoundTripAndBitFlipsAreRejected(CipherSuite cs) {
        FramingFixture f = new FramingFixture(cs);
        for (FramedContent c : new FramedContent[] {f.proposal(), f.commit()}) {
            byte[] genuine = f.sendPublic(c);
            AuthenticatedContent got = f.receivePublic(genuine);
            assertSameContent(c, got);
            assertEquals(WireFormat.PUBLIC_MESSAGE, got.wireFormat);
            for (int bit = 0; bit < genuine.length * 8; bit++) {
                byte[] bad = flipBit(genuine, bit);
                assertThrows(MlsException.class, () -> f.receivePublic(bad), "bit " + bit);
            }
        }
    }

    @Test
    void aTruncatedMessageIsMalformed() {
        byte[] genuine = F1.sendPublic(F1.commit());
        for (int n = 0; n < genuine.length; n++) {
            byte[] prefix = Arrays.copyOf(genuine, n);
            assertMls(ErrorCode.MALFORMED, () -> F1.receivePublic(prefix));
        }
        byte[] longer = Arrays.copyOf(genuine, genuine.length + 1);
        assertMls(ErrorCode.MALFORMED, () -> F1.receivePublic(longer));
    }

    @Test
    void aWrongMembershipTagIsRejected() {
        PublicMessage pm = body(F1.sendPublic(F1.proposal()));
        assertMls(ErrorCode.INVALID_MEMBERSHIP_TAG, () -> PublicMessageProtection.unprotect(F1.cs, pm, F1.ctx, new byte[32],
                F1.signer.publicKey()));
        byte[] tag = pm.membershipTag.clone();
        tag[0] ^= 1;
        for (byte[] t : new byte[][] {tag, Arrays.copyOf(pm.membershipTag, 31), new byte[0], null}) {
            PublicMessage bad = new PublicMessage(pm.content, pm.auth, t);
            assertMls(ErrorCode.INVALID_MEMBERSHIP_TAG, () -> PublicMessageProtection.unprotect(F1.cs, bad, F1.ctx,
                    F1.membershipKey, F1.signer.publicKey()));
        }
        // The tag covers the GroupContext: another context with the same group and epoch does not match.
        GroupContext otherTree = new GroupContext(F1.cs.id(), F1.ctx.groupId(), F1.ctx.epoch(), new byte[32],
                F1.ctx.confirmedTranscriptHash(), F1.ctx.extensions());
        assertMls(ErrorCode.INVALID_MEMBERSHIP_TAG, () -> PublicMessageProtection.unprotect(F1.cs, pm, otherTree,
                F1.membershipKey, F1.signer.publicKey()));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.framing.FramingFixture#suites")
    void aWrongSignatureUnderAValidMembershipTagIsRejected(CipherSuite cs) {
        FramingFixture f = new FramingFixture(cs);
        FramedContent c = f.proposal();
        // Signed by someone else, tagged by a member.
        AuthenticatedContent forged = ContentSigning.authenticate(cs, f.otherSigner.privateKey(), WireFormat.PUBLIC_MESSAGE, c,
                f.ctx, null);
        byte[] bad = FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, PublicMessageProtection.protect(cs, forged, f.ctx,
                f.membershipKey));
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> f.receivePublic(bad));
        // Signature bytes that are not a signature at all: empty, short, long, random.
        byte[] real = f.signed(WireFormat.PUBLIC_MESSAGE, c).auth.signature;
        for (byte[] sig : new byte[][] {new byte[0], new byte[1], Arrays.copyOf(real, real.length - 1),
            Arrays.copyOf(real, real.length + 1), FramingFixture.RANDOM.bytes(real.length), flipBit(real, 13)}) {
            AuthenticatedContent junk = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, c, new FramedContentAuthData(sig, null));
            byte[] msg = FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, PublicMessageProtection.protect(cs, junk, f.ctx,
                    f.membershipKey));
            assertMls(ErrorCode.INVALID_SIGNATURE, () -> f.receivePublic(msg));
        }
        // The genuine message, checked with another member's key.
        PublicMessage genuine = body(f.sendPublic(c));
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> PublicMessageProtection.unprotect(cs, genuine, f.ctx, f.membershipKey,
                f.otherSigner.publicKey()));
        // Signed for a PrivateMessage and sent in the clear.
        AuthenticatedContent asPrivate = f.signed(WireFormat.PRIVATE_MESSAGE, c);
        byte[] moved = FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, PublicMessageProtection.protect(cs,
                new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, c, asPrivate.auth), f.ctx, f.membershipKey));
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> f.receivePublic(moved));
    }

    @Test
    void applicationDataIsNeverAPublicMessage() {
        FramedContent app = F1.application("secret");
        AuthenticatedContent ac = F1.signed(WireFormat.PUBLIC_MESSAGE, app);
        assertMls(ErrorCode.WRONG_CONTENT_TYPE, () -> PublicMessageProtection.protect(F1.cs, ac, F1.ctx, F1.membershipKey));
        // Built by hand with a valid tag and signature, it is still refused.
        PublicMessage pm = new PublicMessage(app, ac.auth, MembershipTag.compute(F1.cs, F1.membershipKey, ac, F1.ctx));
        assertMls(ErrorCode.WRONG_CONTENT_TYPE, () -> F1.receivePublic(FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, pm)));
    }

    @Test
    void groupAndEpochMustMatch() {
        PublicMessage pm = body(F1.sendPublic(F1.proposal()));
        GroupContext nextEpoch = new GroupContext(F1.cs.id(), F1.ctx.groupId(), F1.ctx.epoch() + 1, F1.ctx.treeHash(),
                F1.ctx.confirmedTranscriptHash(), F1.ctx.extensions());
        GroupContext otherGroup = new GroupContext(F1.cs.id(), new byte[] {1}, F1.ctx.epoch(), F1.ctx.treeHash(),
                F1.ctx.confirmedTranscriptHash(), F1.ctx.extensions());
        assertMls(ErrorCode.WRONG_EPOCH, () -> PublicMessageProtection.unprotect(F1.cs, pm, nextEpoch, F1.membershipKey,
                F1.signer.publicKey()));
        assertMls(ErrorCode.WRONG_GROUP, () -> PublicMessageProtection.unprotect(F1.cs, pm, otherGroup, F1.membershipKey,
                F1.signer.publicKey()));
        assertMls(ErrorCode.UNKNOWN_MEMBER, () -> PublicMessageProtection.unprotect(F1.cs, pm, F1.ctx, F1.membershipKey,
                content -> null));
    }

    @Test
    void nonMemberSendersHaveNoTagAndTheirOwnContentTypes() {
        // An external sender's proposal: no membership tag, no GroupContext in the signature.
        FramedContent ext = FramedContent.proposal(F1.ctx.groupId(), F1.ctx.epoch(), Sender.external(0), new byte[0],
                new Proposal.Remove(2));
        AuthenticatedContent ac = ContentSigning.authenticate(F1.cs, F1.signer.privateKey(), WireFormat.PUBLIC_MESSAGE, ext,
                null, null);
        PublicMessage pm = PublicMessageProtection.protect(F1.cs, ac, null, null);
        assertNull(pm.membershipTag);
        assertSameContent(ext, F1.receivePublic(FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, pm)));
        // ... but never a commit, and a new member proposes only its own Add.
        FramedContent extCommit = FramedContent.commit(F1.ctx.groupId(), F1.ctx.epoch(), Sender.external(0), new byte[0],
                F1.commit().commit);
        PublicMessage badCommit = new PublicMessage(extCommit, new FramedContentAuthData(new byte[64], new byte[32]), null);
        assertMls(ErrorCode.WRONG_CONTENT_TYPE, () -> F1.receivePublic(FramingFixture.wire(WireFormat.PUBLIC_MESSAGE, badCommit)));
        FramedContent newMemberRemove = FramedContent.proposal(F1.ctx.groupId(), F1.ctx.epoch(), Sender.newMemberProposal(),
                new byte[0], new Proposal.Remove(0));
        PublicMessage badProposal = new PublicMessage(newMemberRemove, new FramedContentAuthData(new byte[64], null), null);
        assertMls(ErrorCode.WRONG_CONTENT_TYPE, () -> F1.receivePublic(FramingFixture.wire(WireFormat.PUBLIC_MESSAGE,
                badProposal)));
    }

    @Test
    void misuseOnTheSendingSideIsAnInvalidArgument() {
        FramedContent c = F1.proposal();
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> PublicMessageProtection.protect(F1.cs,
                F1.signed(WireFormat.PRIVATE_MESSAGE, c), F1.ctx, F1.membershipKey));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> PublicMessageProtection.protect(F1.cs,
                F1.signed(WireFormat.PUBLIC_MESSAGE, c), F1.ctx, null));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> ContentSigning.authenticate(F1.cs, F1.signer.privateKey(),
                WireFormat.PUBLIC_MESSAGE, F1.commit(), F1.ctx, null));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> ContentSigning.authenticate(F1.cs, F1.signer.privateKey(),
                WireFormat.PUBLIC_MESSAGE, c, null, null));
    }
}
