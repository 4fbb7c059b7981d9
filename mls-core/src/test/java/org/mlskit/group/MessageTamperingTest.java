package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.copy;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.handshake;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.receiveCommit;
import static org.mlskit.group.GroupFixture.utf8;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PrivateMessageProtection;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Identity;

/**
 * Damaged, misdirected, forged and replayed messages: each is refused with its typed error, the
 * group's saved state is byte for byte what it was, and the genuine message is accepted after.
 */
class MessageTamperingTest {
    /** What a damaged message may legitimately be refused as (never INVALID_STATE or DUPLICATE_MESSAGE). */
    private static final Set<ErrorCode> DAMAGE = EnumSet.of(ErrorCode.MALFORMED, ErrorCode.DECRYPTION_FAILED,
            ErrorCode.WRONG_GROUP, ErrorCode.WRONG_EPOCH, ErrorCode.INVALID_MEMBERSHIP_TAG, ErrorCode.INVALID_SIGNATURE,
            ErrorCode.UNKNOWN_MEMBER, ErrorCode.WRONG_CONTENT_TYPE, ErrorCode.INVALID_ARGUMENT, ErrorCode.UNSUPPORTED);

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void everyTruncationOfACommitIsMalformed(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        StagedCommit sc = a.update();
        byte[] commit = sc.message();
        for (int n = 0; n < commit.length; n++) {
            assertRejected(b, Arrays.copyOf(commit, n), ErrorCode.MALFORMED);
        }
        assertRejected(b, Arrays.copyOf(commit, commit.length + 1), ErrorCode.MALFORMED);
        deliver(a, sc, all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void everyTruncationOfAnApplicationMessageIsMalformed(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        byte[] message = all.get(0).encrypt(utf8("a message that gets cut short"), utf8("aad"));
        for (int n = 0; n < message.length; n++) {
            assertRejected(all.get(1), Arrays.copyOf(message, n), ErrorCode.MALFORMED);
        }
        assertEquals(ProcessedMessage.Kind.APPLICATION, all.get(1).process(message).kind);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void bitFlipsAreRefused(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Random positions = new Random(cs.id() * 31L + wireFormat);
        Set<ErrorCode> seen = EnumSet.noneOf(ErrorCode.class);
        byte[] application = a.encrypt(utf8("flip me"), utf8("and my aad"));
        for (int bit : sample(application.length * 8, 48, positions)) {
            seen.add(assertRefusedAsDamage(b, flip(application, bit)));
        }
        assertEquals(ProcessedMessage.Kind.APPLICATION, b.process(application).kind);
        StagedCommit sc = a.update();
        byte[] commit = sc.message();
        for (int bit : sample(commit.length * 8, 48, positions)) {
            seen.add(assertRefusedAsDamage(b, flip(commit, bit)));
        }
        // Damage is caught at several layers (decoding, group/epoch routing, AEAD or membership tag).
        assertTrue(seen.size() >= 3, seen.toString());
        deliver(a, sc, all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void wrongEpochAndWrongGroup(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        StagedCommit sc = a.update();
        byte[] commit = sc.message();
        deliver(a, sc, b);
        // C is still an epoch behind: B's messages of the new epoch are from its future.
        byte[] future = b.encrypt(utf8("from epoch 2"), null);
        byte[] futureProposal = b.proposeRemove(0, null);
        assertRejected(c, future, ErrorCode.WRONG_EPOCH);
        assertRejected(c, futureProposal, ErrorCode.WRONG_EPOCH);
        receiveCommit(c, commit);
        assertEquals(ProcessedMessage.Kind.APPLICATION, c.process(future).kind);
        assertEquals(ProcessedMessage.Kind.PROPOSAL, c.process(futureProposal).kind);
        // A replayed commit is for an epoch that has passed.
        assertRejected(c, commit, ErrorCode.WRONG_EPOCH);
        // Messages of another group.
        List<Group> other = GroupFixture.group(cs, 2, handshake(wireFormat));
        assertRejected(c, other.get(0).encrypt(utf8("elsewhere"), null), ErrorCode.WRONG_GROUP);
        assertRejected(c, other.get(0).update().message(), ErrorCode.WRONG_GROUP);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void replaysAreDuplicates(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 2, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        byte[] message = a.encrypt(utf8("once"), null);
        b.process(message);
        assertRejected(b, message, ErrorCode.DUPLICATE_MESSAGE);
        byte[] proposal = a.proposeExternalPsk(utf8("psk"), null);
        b.process(proposal);
        assertRejected(b, proposal, ErrorCode.DUPLICATE_MESSAGE);
        // Out-of-order is fine, replays are not.
        byte[] first = a.encrypt(utf8("1"), null);
        byte[] second = a.encrypt(utf8("2"), null);
        b.process(second);
        b.process(first);
        assertRejected(b, first, ErrorCode.DUPLICATE_MESSAGE);
        assertRejected(b, second, ErrorCode.DUPLICATE_MESSAGE);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void unknownAndRemovedSenders(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 4, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        // A removes B: leaf 1 is blank in the new epoch, the tree still has four leaves.
        StagedCommit removal = a.remove(1);
        deliver(a, removal, a, c, all.get(3));
        assertTrue(receiveCommit(b, removal.message()).removesMe());
        // A message "from" blank leaf 1 of the new epoch, signed by B, built with A's epoch keys.
        Group forger = copy(a);
        FramedContent fromB = wireFormat == WireFormat.PUBLIC_MESSAGE
                ? FramedContent.proposal(a.groupId(), a.epoch(), Sender.member(1), new byte[0], new Proposal.Remove(0))
                : FramedContent.application(a.groupId(), a.epoch(), Sender.member(1), new byte[0], utf8("i'm back"));
        assertRejected(c, Forge.protect(forger, b.identity(), fromB, null, wireFormat), ErrorCode.UNKNOWN_MEMBER);
        if (wireFormat == WireFormat.PUBLIC_MESSAGE) {
            // A leaf beyond the tree.
            FramedContent beyond = FramedContent.proposal(a.groupId(), a.epoch(), Sender.member(9), new byte[0],
                    new Proposal.Remove(0));
            assertRejected(c, Forge.protect(forger, b.identity(), beyond, null, wireFormat), ErrorCode.UNKNOWN_MEMBER);
        }
        // C still hears from A.
        GroupFixture.assertMessageFlows(a, Arrays.asList(c, all.get(3)), "still here");
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void badSignatureLeavesTheKeyForTheGenuineMessage(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Identity mallory = identity(cs, "mallory");
        // The forger is A's own state, signing with the wrong key: same ratchet generation as A's next message.
        Group forger = copy(a);
        FramedContent content = FramedContent.proposal(a.groupId(), a.epoch(), Sender.member(0), new byte[0],
                new Proposal.Remove(2));
        assertRejected(b, Forge.protect(forger, mallory, content, null, wireFormat), ErrorCode.INVALID_SIGNATURE);
        FramedContent app = FramedContent.application(a.groupId(), a.epoch(), Sender.member(0), new byte[0], utf8("x"));
        assertRejected(b, Forge.protect(forger, mallory, app, null, WireFormat.PRIVATE_MESSAGE),
                ErrorCode.INVALID_SIGNATURE);
        assertEquals(ProcessedMessage.Kind.PROPOSAL, b.process(a.proposeRemove(2, null)).kind);
        GroupFixture.assertMessageFlows(a, all, "genuine");
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void badMembershipTag(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(WireFormat.PUBLIC_MESSAGE));
        Group a = all.get(0);
        Group b = all.get(1);
        byte[] proposal = a.proposeRemove(2, null);
        PublicMessage pm = (PublicMessage) MlsMessage.fromBytes(proposal).body;
        byte[] wrongTag = pm.membershipTag.clone();
        wrongTag[wrongTag.length - 1] ^= 0x40;
        assertRejected(b, new MlsMessage(WireFormat.PUBLIC_MESSAGE, new PublicMessage(pm.content, pm.auth, wrongTag))
                .toBytes(), ErrorCode.INVALID_MEMBERSHIP_TAG);
        GroupFixture.deliverProposal(proposal, a, all);
        // A tag made with another epoch's membership key.
        Group stale = copy(a);
        deliver(a, a.update(), all);
        byte[] old = stale.proposeRemove(1, null);
        PublicMessage oldPm = (PublicMessage) MlsMessage.fromBytes(old).body;
        FramedContent moved = FramedContent.proposal(a.groupId(), a.epoch(), Sender.member(0), new byte[0],
                new Proposal.Remove(1));
        byte[] signed = Forge.protect(a, a.identity(), moved, null, WireFormat.PUBLIC_MESSAGE);
        PublicMessage good = (PublicMessage) MlsMessage.fromBytes(signed).body;
        assertRejected(b, new MlsMessage(WireFormat.PUBLIC_MESSAGE, new PublicMessage(good.content, good.auth,
                oldPm.membershipTag)).toBytes(), ErrorCode.INVALID_MEMBERSHIP_TAG);
        assertEquals(ProcessedMessage.Kind.PROPOSAL, b.process(signed).kind);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void badConfirmationTag(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Group before = copy(a);
        StagedCommit sc = a.update();
        AuthenticatedContent genuine = open(sc.message(), copy(b), a);
        byte[] tag = genuine.auth.confirmationTag.clone();
        tag[0] ^= 1;
        // Re-protected from A's state before the commit: same epoch keys, same ratchet generation.
        byte[] forged = before.protect(new AuthenticatedContent(wireFormat, genuine.content,
                new FramedContentAuthData(genuine.auth.signature, tag)));
        assertRejected(b, forged, ErrorCode.INVALID_CONFIRMATION_TAG);
        deliver(a, sc, all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void applicationDataInTheClearIsRefused(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = all.get(0);
        FramedContent app = FramedContent.application(a.groupId(), a.epoch(), Sender.member(0), new byte[0], utf8("clear"));
        byte[] signature = org.mlskit.framing.ContentSigning.sign(cs, a.identity().signaturePrivateKey(),
                WireFormat.PUBLIC_MESSAGE, app, a.context());
        AuthenticatedContent ac = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, app,
                new FramedContentAuthData(signature, null));
        byte[] tag = org.mlskit.framing.MembershipTag.compute(cs, a.state().secrets.membershipKey(), ac, a.context());
        byte[] clear = new MlsMessage(WireFormat.PUBLIC_MESSAGE, new PublicMessage(app, ac.auth, tag)).toBytes();
        assertRejected(all.get(1), clear, ErrorCode.WRONG_CONTENT_TYPE);
        // Welcomes, GroupInfos and KeyPackages are not group messages.
        assertRejected(all.get(1), a.groupInfo(true, true), ErrorCode.INVALID_ARGUMENT);
    }

    /** The AuthenticatedContent of a handshake message from {@code sender}, read with a scratch copy of a member. */
    private static AuthenticatedContent open(byte[] message, Group reader, Group sender) {
        MlsMessage m = MlsMessage.fromBytes(message);
        if (m.wireFormat == WireFormat.PUBLIC_MESSAGE) {
            PublicMessage pm = (PublicMessage) m.body;
            return new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, pm.content, pm.auth);
        }
        EpochState s = reader.state();
        return PrivateMessageProtection.unprotect(reader.suite(), (PrivateMessage) m.body, s.context, s.secretTree,
                s.secrets.senderDataSecret(), sender.identity().signaturePublicKey());
    }

    private static ErrorCode assertRefusedAsDamage(Group g, byte[] damaged) {
        byte[] before = g.toBytes();
        MlsException e = assertThrows(MlsException.class, () -> g.process(damaged));
        assertTrue(DAMAGE.contains(e.code()), e.getMessage());
        assertTrue(Arrays.equals(before, g.toBytes()), "a damaged message changed the group: " + e.getMessage());
        return e.code();
    }

    private static byte[] flip(byte[] message, int bit) {
        byte[] out = message.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** {@code count} bit positions: the first 16 bytes' bits densely (headers), the rest spread at random. */
    private static int[] sample(int bits, int count, Random random) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = i < count / 2 ? (i * 5) % Math.min(bits, 128) : random.nextInt(bits);
        }
        return out;
    }
}
