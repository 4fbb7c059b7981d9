package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.addByWelcome;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.create;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.joiner;
import static org.mlskit.group.GroupFixture.memberNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupFixture.Joiner;

/** Creating a group, adding members by Welcome (with and without the tree), and talking in it. */
class GroupLifecycleTest {

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#allSuites")
    void createAddTwoAndTalk(CipherSuite cs) {
        createAddTwoAndTalk(cs, GroupConfig.DEFAULT);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void welcomeWithoutRatchetTree(CipherSuite cs) {
        createAddTwoAndTalk(cs, GroupConfig.DEFAULT.withRatchetTreeInWelcome(false));
    }

    private static void createAddTwoAndTalk(CipherSuite cs, GroupConfig config) {
        Group alice = create(identity(cs, "alice"), config);
        assertEquals(0, alice.epoch());
        assertEquals(1, alice.memberCount());
        assertEquals(Group.Status.ACTIVE, alice.status());
        List<Group> joined = addByWelcome(alice, Collections.<Group>emptyList(),
                Arrays.asList(identity(cs, "bob"), identity(cs, "carol")), config);
        List<Group> all = new ArrayList<>();
        all.add(alice);
        all.addAll(joined);
        assertEquals(1, alice.epoch());
        assertAgree(all);
        assertEquals(Arrays.asList("0:alice", "1:bob", "2:carol"), memberNames(alice));
        assertEquals(1, joined.get(0).myLeafIndex());
        assertEquals(2, joined.get(1).myLeafIndex());
        assertAllTalk(all);
        // Another epoch, then talk again: keys move on for everyone.
        byte[] before = alice.epochAuthenticator();
        GroupFixture.deliver(joined.get(1), joined.get(1).update(), all);
        assertEquals(2, alice.epoch());
        assertAgreeAndTalk(all);
        assertEquals(false, Arrays.equals(before, alice.epochAuthenticator()));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void welcomeWithoutTreeAndNoTreeSuppliedIsRefused(CipherSuite cs) {
        GroupConfig config = GroupConfig.DEFAULT.withRatchetTreeInWelcome(false);
        Group alice = create(identity(cs, "alice"), config);
        Joiner bob = joiner(cs, "bob");
        StagedCommit sc = alice.add(Collections.singletonList(bob.keyPackage()));
        alice.merge(sc);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> bob.join(sc.welcome(), config));
        // With the tree from alice it works.
        Group b = bob.join(sc.welcome(), alice.ratchetTree(), config);
        assertAgree(alice, b);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void welcomeForSomeoneElseIsNotForUs(CipherSuite cs) {
        Group alice = create(identity(cs, "alice"), GroupConfig.DEFAULT);
        StagedCommit sc = alice.add(Collections.singletonList(joiner(cs, "bob").keyPackage()));
        Joiner eve = joiner(cs, "eve");
        assertFails(ErrorCode.NOT_FOR_US, () -> eve.join(sc.welcome(), GroupConfig.DEFAULT));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void stagedCommitChangesNothingUntilMerged(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = all.get(0);
        byte[] authenticator = a.epochAuthenticator();
        byte[] tree = a.ratchetTree();
        StagedCommit sc = a.update();
        assertEquals(sc, a.stagedCommit());
        assertEquals(1, a.epoch());
        assertThrows(MlsException.class, a::toBytes);
        assertFails(ErrorCode.INVALID_STATE, a::update);
        a.discard(sc);
        assertNull(a.stagedCommit());
        // Same epoch and tree; only the handshake ratchet moved on (its key was used and must not be reused).
        assertEquals(1, a.epoch());
        assertArrayEquals(authenticator, a.epochAuthenticator());
        assertArrayEquals(tree, a.ratchetTree());
        // The discarded commit is gone for good; a new one works.
        GroupFixture.deliver(a, a.update(), all);
        assertAgree(all);
        assertFails(ErrorCode.INVALID_STATE, () -> a.merge(sc));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void ownCommitMessageIsNotProcessedAsSomeoneElses(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = all.get(0);
        StagedCommit sc = a.update();
        a.merge(sc);
        // After merging, the own commit is for a past epoch.
        assertFails(ErrorCode.WRONG_EPOCH, () -> a.process(sc.message()));
    }
}
