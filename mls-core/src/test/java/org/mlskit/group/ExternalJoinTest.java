package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.receiveCommit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Identity;
import org.mlskit.schedule.PreSharedKeyId;

/** Joining by external commit (§12.4.3.2) and resyncing a member who lost its state. */
class ExternalJoinTest {
    private static final List<PreSharedKeyId> NO_PSKS = Collections.emptyList();

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#allSuites")
    void externalJoin(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        byte[] groupInfo = all.get(1).groupInfo(true, true);
        Group.ExternalJoin join = Group.joinExternally(groupInfo, identity(cs, "dave"), null, -1, NO_PSKS,
                GroupFixture.utf8("let me in"), GroupConfig.DEFAULT, RANDOM);
        assertEquals(2, join.group.epoch());
        for (Group g : all) {
            StagedCommit sc = receiveCommit(g, join.commit());
            assertTrue(sc.isExternal());
            assertEquals(3, sc.committerLeaf());
            assertEquals(1, sc.added().size());
        }
        all.add(join.group);
        assertAgree(all);
        assertEquals(Arrays.asList("0:m0", "1:m1", "2:m2", "3:dave"), GroupFixture.memberNames(join.group));
        assertAllTalk(all);
        // The new member commits too.
        GroupFixture.deliver(join.group, join.group.update(), all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalJoinWithTreeOutOfBand(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, GroupConfig.DEFAULT));
        byte[] groupInfo = all.get(0).groupInfo(false, true);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.joinExternally(groupInfo, identity(cs, "carol"), null, -1,
                NO_PSKS, null, GroupConfig.DEFAULT, RANDOM));
        Group.ExternalJoin join = Group.joinExternally(groupInfo, identity(cs, "carol"), all.get(0).ratchetTree(), -1,
                NO_PSKS, null, GroupConfig.DEFAULT, RANDOM);
        GroupFixture.acceptExternalJoin(all, join);
        assertAgree(all);
    }

    /** The GroupInfo a committer sends with its commit, made before merging, is the one it has after merging. */
    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#allSuites")
    void groupInfoOfAStagedCommitIsTheNextEpochs(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        Group committer = all.get(0);
        StagedCommit c = committer.update();
        byte[] before = committer.groupInfo(c, true, true);
        assertEquals(1, committer.epoch(), "staging does not move the group");
        StagedCommit received = all.get(1).process(c.message()).commit;
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> all.get(1).groupInfo(received, true, true));
        all.get(1).merge(received);
        GroupFixture.deliver(committer, c, all.get(2));
        assertEquals(2, MessageInfo.inspect(before).epoch);
        if (cs.signatureScheme().name().startsWith("ED")) {
            // Ed25519 and Ed448 sign deterministically: the same bytes as after merging.
            assertTrue(Arrays.equals(before, committer.groupInfo(true, true)));
        }
        // A joiner uses it like any GroupInfo.
        Group.ExternalJoin join = Group.joinExternally(before, identity(cs, "erin"), null, -1, NO_PSKS, null,
                GroupConfig.DEFAULT, RANDOM);
        GroupFixture.acceptExternalJoin(all, join);
        all.add(join.group);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void groupInfoWithoutExternalPubRefusesExternalJoins(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        byte[] groupInfo = all.get(0).groupInfo(true, false);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.joinExternally(groupInfo, identity(cs, "carol"), null, -1,
                NO_PSKS, null, GroupConfig.DEFAULT, RANDOM));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void resyncReplacesTheOldLeaf(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        Group lost = all.remove(1);
        Identity bob = lost.identity();
        byte[] groupInfo = all.get(0).groupInfo(true, true);
        Group.ExternalJoin join = Group.joinExternally(groupInfo, bob, null, 1, NO_PSKS, null, GroupConfig.DEFAULT, RANDOM);
        for (Group g : all) {
            StagedCommit sc = receiveCommit(g, join.commit());
            assertEquals(1, sc.removed().size());
            assertEquals(1, sc.removed().get(0).leafIndex);
            assertEquals(1, sc.committerLeaf());
        }
        all.add(1, join.group);
        assertEquals(1, join.group.myLeafIndex());
        assertAgree(all);
        assertEquals(3, join.group.memberCount());
        assertAllTalk(all);
        // The old state learns it was replaced.
        assertTrue(receiveCommit(lost, join.commit()).removesMe());
        assertEquals(Group.Status.REMOVED, lost.status());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void resyncThatRemovesSomeoneElseIsRefused(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        byte[] groupInfo = all.get(0).groupInfo(true, true);
        // Mallory claims leaf 2 (carol's) as her old leaf.
        Group.ExternalJoin join = Group.joinExternally(groupInfo, identity(cs, "mallory"), null, 2, NO_PSKS, null,
                GroupConfig.DEFAULT, RANDOM);
        assertRejected(all.get(0), join.commit(), ErrorCode.INVALID_COMMIT);
        assertRejected(all.get(1), join.commit(), ErrorCode.INVALID_COMMIT);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalJoinIntoAPublicHandshakeGroup(CipherSuite cs) {
        GroupConfig config = GroupFixture.handshake(WireFormat.PUBLIC_MESSAGE);
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, config));
        Group.ExternalJoin join = Group.joinExternally(all.get(0).groupInfo(true, true), identity(cs, "carol"), null, -1,
                NO_PSKS, null, config, RANDOM);
        GroupFixture.acceptExternalJoin(all, join);
        assertAgree(all);
        // A stale external commit (the group moved on) is for the wrong epoch.
        Group.ExternalJoin late = Group.joinExternally(all.get(0).groupInfo(true, true), identity(cs, "dave"), null, -1,
                NO_PSKS, null, config, RANDOM);
        GroupFixture.deliver(all.get(0), all.get(0).update(), all);
        assertRejected(all.get(1), late.commit(), ErrorCode.WRONG_EPOCH);
    }
}
