package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.copy;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.schedule.PreSharedKeyId;

/** SelfRemove (draft-ietf-mls-extensions): a member leaves through another member's or an external joiner's commit. */
class SelfRemoveTest {
    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void aMemberLeavesThroughAnotherMembersCommit(CipherSuite cs, int wireFormat) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 4, GroupFixture.handshake(wireFormat)));
        Group leaver = all.get(2);
        byte[] proposal = leaver.proposeSelfRemove(null);
        // Always a PublicMessage, whatever the handshake config: external joiners must read it.
        assertEquals(WireFormat.PUBLIC_MESSAGE, MessageInfo.inspect(proposal).wireFormat);
        deliverProposal(proposal, leaver, all);
        // The sender cannot commit its own SelfRemove: its commit leaves it out.
        StagedCommit own = leaver.commit(new ArrayList<>(), false, null);
        assertTrue(own.removed().isEmpty());
        leaver.discard(own);
        StagedCommit sc = all.get(0).commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.removed().size());
        assertEquals(2, sc.removed().get(0).leafIndex);
        assertTrue(sc.hasUpdatePath(), "SelfRemove requires an UpdatePath");
        byte[] commit = sc.message();
        all.get(0).merge(sc);
        StagedCommit seen = GroupFixture.receiveCommit(leaver, commit);
        assertTrue(seen.removesMe());
        assertEquals(Group.Status.REMOVED, leaver.status());
        for (Group g : Arrays.asList(all.get(1), all.get(3))) {
            GroupFixture.receiveCommit(g, commit);
        }
        all.remove(leaver);
        assertAgreeAndTalk(all);
    }

    @Test
    void oneSelfRemovePerEpochSentAsPublicMessageOnly() {
        CipherSuite cs = suite(1);
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group leaver = all.get(1);
        Group scratch = copy(leaver);
        byte[] first = leaver.proposeSelfRemove(null);
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> leaver.proposeSelfRemove(null));
        all.get(0).process(first);
        // A second SelfRemove from the same member in the epoch (another signature: another ref) is refused.
        assertRejected(all.get(0), scratch.proposeSelfRemove(null), ErrorCode.INVALID_PROPOSAL);
        // A SelfRemove framed as a PrivateMessage is refused.
        Group other = copy(all.get(2));
        byte[] privateOne = Forge.proposal(other, other.identity(), new Proposal.SelfRemove(), WireFormat.PRIVATE_MESSAGE);
        assertRejected(all.get(1), privateOne, ErrorCode.INVALID_PROPOSAL);
    }

    @Test
    void byValueOrWithoutSupportIsInvalid() {
        CipherSuite cs = suite(1);
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        // By value in a commit: refused when building, so it cannot be sent.
        assertFails(ErrorCode.INVALID_COMMIT, () -> all.get(0).commit(
                Collections.<Proposal>singletonList(new Proposal.SelfRemove()), false, null));
        assertEquals(null, all.get(0).stagedCommit());
        // A member without self_remove in its capabilities: the group is not self-remove-capable.
        Identity plain = identity(cs, "plain").withCapabilities(new Capabilities(new int[] {1}, new int[] {cs.id()},
                new int[0], new int[0], new int[] {Credential.BASIC}));
        List<Group> mixed = GroupFixture.group(Arrays.asList(identity(cs, "a"), identity(cs, "b"), plain),
                Collections.<Extension>emptyList(), GroupConfig.DEFAULT);
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> mixed.get(1).proposeSelfRemove(null));
    }

    @Test
    void aRemoveOfTheSameLeafGivesWayToTheSelfRemove() {
        CipherSuite cs = suite(2);
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 4, GroupConfig.DEFAULT));
        deliverProposal(all.get(1).proposeRemove(3, null), all.get(1), all);
        deliverProposal(all.get(3).proposeSelfRemove(null), all.get(3), all);
        StagedCommit sc = all.get(0).commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.removed().size());
        assertEquals(3, sc.removed().get(0).leafIndex);
        deliver(all.get(0), sc, all.subList(1, 3));
        all.remove(3);
        assertAgreeAndTalk(all);
    }

    @Test
    void anExternalJoinerCommitsPendingSelfRemovesByReference() {
        CipherSuite cs = suite(1);
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        Group leaver = all.get(1);
        byte[] selfRemove = leaver.proposeSelfRemove(null);
        deliverProposal(selfRemove, leaver, all);
        byte[] info = all.get(0).groupInfo(true, true);
        Group.ExternalJoin join = Group.joinExternally(info, identity(cs, "newcomer"), null, -1,
                Collections.<PreSharedKeyId>emptyList(), Collections.singletonList(selfRemove), null, GroupConfig.DEFAULT, RANDOM);
        StagedCommit first = null;
        for (Group g : all) {
            StagedCommit sc = GroupFixture.receiveCommit(g, join.commit());
            assertTrue(sc.isExternal());
            assertEquals(1, sc.removed().size());
            assertEquals(1, sc.removed().get(0).leafIndex);
            first = first == null ? sc : first;
        }
        assertEquals(Group.Status.REMOVED, leaver.status());
        all.remove(leaver);
        all.add(join.group);
        assertFalse(first.removesMe());
        assertAgreeAndTalk(all);
    }

    @Test
    void anExternalJoinerRefusesATamperedSelfRemove() {
        CipherSuite cs = suite(1);
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        byte[] selfRemove = all.get(1).proposeSelfRemove(null);
        byte[] tampered = selfRemove.clone();
        tampered[tampered.length - 40] ^= 1; // inside the signature
        byte[] info = all.get(0).groupInfo(true, true);
        assertFails(ErrorCode.INVALID_SIGNATURE, () -> Group.joinExternally(info, identity(cs, "newcomer"), null, -1,
                Collections.<PreSharedKeyId>emptyList(), Collections.singletonList(tampered), null, GroupConfig.DEFAULT, RANDOM));
        // Not a SelfRemove: an Add proposal message is refused.
        byte[] add = all.get(1).proposeAdd(GroupFixture.keyPackage(identity(cs, "x")).keyPackage(), null);
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> Group.joinExternally(info, identity(cs, "newcomer"), null, -1,
                Collections.<PreSharedKeyId>emptyList(), Collections.singletonList(add), null, GroupConfig.DEFAULT, RANDOM));
        assertArrayEquals(all.get(0).epochAuthenticator(), all.get(2).epochAuthenticator());
    }
}
