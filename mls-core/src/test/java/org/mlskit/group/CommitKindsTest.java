package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.addByWelcome;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.handshake;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.joiner;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.receiveCommit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.group.GroupFixture.Joiner;
import org.mlskit.keys.KeyPackage;

/** Commits with and without a path, Updates and Removes by value and by reference, in both handshake wire formats. */
class CommitKindsTest {

    private static int wireFormatOf(byte[] message) {
        return MlsMessage.fromBytes(message).wireFormat;
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void addOnlyCommitHasNoPathAndUpdateHasOne(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        byte[] leafKey = a.member(0).encryptionKey();
        KeyPackage kp = keyPackage(identity(cs, "dave")).keyPackage();
        StagedCommit add = a.add(Collections.singletonList(kp));
        assertEquals(wireFormat, wireFormatOf(add.message()));
        deliver(a, add, all);
        // Without a path the committer's leaf is untouched.
        assertArrayEquals(leafKey, all.get(1).member(0).encryptionKey());
        assertEquals(4, a.memberCount());

        StagedCommit update = a.update();
        assertEquals(wireFormat, wireFormatOf(update.message()));
        deliver(a, update, all);
        assertFalse(Arrays.equals(leafKey, all.get(1).member(0).encryptionKey()));
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void updateProposalByReference(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        byte[] oldKey = b.member(1).encryptionKey();
        byte[] proposal = b.proposeUpdate(GroupFixture.utf8("new keys"));
        assertEquals(wireFormat, wireFormatOf(proposal));
        deliverProposal(proposal, b, all);
        StagedCommit commit = a.commit(new ArrayList<>(), false, null);
        assertEquals(Collections.singletonList(1), leaves(commit.updated()));
        deliver(a, commit, all);
        assertFalse(Arrays.equals(oldKey, a.member(1).encryptionKey()));
        assertAgreeAndTalk(all);
        // B's new leaf key works: a later path from C reaches B through it.
        deliver(all.get(2), all.get(2).update(), all);
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void removeByValueAndByReference(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 4, handshake(wireFormat));
        Group a = all.get(0);
        // By value: A removes D.
        StagedCommit byValue = a.remove(3);
        assertEquals(Collections.singletonList(3), leaves(byValue.removed()));
        Group d = all.get(3);
        List<Group> rest = all.subList(0, 3);
        deliver(a, byValue, rest);
        StagedCommit dSees = receiveCommit(d, byValue.message());
        assertTrue(dSees.removesMe());
        assertEquals(Group.Status.REMOVED, d.status());
        assertAgree(rest);
        assertEquals(3, a.memberCount());
        // By reference: B proposes to remove C, A commits.
        Group b = all.get(1);
        Group c = all.get(2);
        byte[] proposal = b.proposeRemove(2, null);
        deliverProposal(proposal, b, rest);
        StagedCommit byRef = a.commit(new ArrayList<>(), false, null);
        assertEquals(Collections.singletonList(2), leaves(byRef.removed()));
        deliver(a, byRef, a, b);
        assertTrue(receiveCommit(c, byRef.message()).removesMe());
        assertAgree(a, b);
        assertEquals(Arrays.asList("0:m0", "1:m1"), GroupFixture.memberNames(a));
        assertAllTalk(Arrays.asList(a, b));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void proposalsFromSeveralMembersInOneCommit(CipherSuite cs, int wireFormat) {
        GroupConfig config = handshake(wireFormat);
        List<Group> all = GroupFixture.group(cs, 4, config);
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        Group d = all.get(3);
        Joiner erin = joiner(cs, "erin");
        // B proposes an Add, C an Update, D its own removal; A commits them all by reference.
        byte[] add = b.proposeAdd(erin.keyPackage(), null);
        deliverProposal(add, b, all);
        byte[] update = c.proposeUpdate(null);
        deliverProposal(update, c, all);
        byte[] remove = d.proposeRemove(3, null);
        deliverProposal(remove, d, all);
        StagedCommit commit = a.commit(new ArrayList<>(), false, null);
        assertEquals(1, commit.added().size());
        assertEquals(Collections.singletonList(2), leaves(commit.updated()));
        assertEquals(Collections.singletonList(3), leaves(commit.removed()));
        deliver(a, commit, a, b, c);
        assertTrue(receiveCommit(d, commit.message()).removesMe());
        List<Group> rest = new ArrayList<>(Arrays.asList(a, b, c));
        // Erin takes D's freed leaf (the leftmost blank one once D is removed).
        rest.add(erin.join(commit.welcome(), config));
        assertEquals(3, rest.get(3).myLeafIndex());
        assertEquals(Arrays.asList("0:m0", "1:m1", "2:m2", "3:erin"), GroupFixture.memberNames(a));
        assertAgreeAndTalk(rest);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void alwaysUpdatePathAddsAPathToAnAddCommit(CipherSuite cs, int wireFormat) {
        GroupConfig config = handshake(wireFormat).withAlwaysUpdatePath(true);
        List<Group> all = GroupFixture.group(cs, 2, config);
        Group a = all.get(0);
        byte[] leafKey = a.member(0).encryptionKey();
        List<Group> joined = addByWelcome(a, all.subList(1, 2), Collections.singletonList(identity(cs, "carol")), config);
        all = new ArrayList<>(all);
        all.addAll(joined);
        assertFalse(Arrays.equals(leafKey, all.get(1).member(0).encryptionKey()), "the add commit carried a path");
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void cachedProposalsAreDroppedByTheNextEpoch(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = all.get(0);
        Group b = all.get(1);
        deliverProposal(b.proposeRemove(2, null), b, all);
        // A commits something else first... its commit includes B's proposal by reference.
        StagedCommit first = a.update();
        assertEquals(Collections.singletonList(2), leaves(first.removed()));
        a.discard(first);
        // If C commits an update instead, the proposal does not survive into the next epoch.
        Group c = all.get(2);
        deliver(c, c.update(), all);
        StagedCommit next = a.update();
        assertTrue(next.removed().isEmpty());
        assertNull(next.welcome());
        deliver(a, next, all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void commitArrivingBeforeItsProposalWaitsForIt(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 3, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        byte[] proposal = b.proposeRemove(2, null);
        a.process(proposal);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        a.merge(sc);
        // C gets the commit first: it cannot know the proposal yet, and nothing changes.
        GroupFixture.assertRejected(c, sc.message(), org.mlskit.ErrorCode.UNKNOWN_PROPOSAL);
        c.process(proposal);
        assertTrue(receiveCommit(c, sc.message()).removesMe());
        receiveCommit(b, sc.message());
        assertAgree(a, b);
    }

    private static List<Integer> leaves(List<Member> members) {
        List<Integer> out = new ArrayList<>();
        for (Member m : members) {
            out.add(m.leafIndex);
        }
        return out;
    }
}
