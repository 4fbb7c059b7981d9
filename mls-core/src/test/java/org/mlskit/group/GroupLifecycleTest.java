package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.addByWelcome;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.create;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
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
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

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
        assertAgree(all);
        assertEquals(2, alice.epoch());
        assertAllTalk(all);
        assertEquals(false, Arrays.equals(before, alice.epochAuthenticator()));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void welcomeWithoutTreeAndNoTreeSuppliedIsRefused(CipherSuite cs) {
        GroupConfig config = GroupConfig.DEFAULT.withRatchetTreeInWelcome(false);
        Group alice = create(identity(cs, "alice"), config);
        Identity bob = identity(cs, "bob");
        KeyPackageBundle kp = keyPackage(bob);
        StagedCommit sc = alice.add(Collections.singletonList(kp.keyPackage()));
        alice.merge(sc);
        MlsException e = assertThrows(MlsException.class,
                () -> Group.join(sc.welcome(), kp, bob, null, config, RANDOM));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        // With the tree from alice it works.
        Group b = Group.join(sc.welcome(), kp, bob, alice.ratchetTree(), config, RANDOM);
        assertAgree(alice, b);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void welcomeForSomeoneElseIsNotForUs(CipherSuite cs) {
        Group alice = create(identity(cs, "alice"), GroupConfig.DEFAULT);
        Identity bob = identity(cs, "bob");
        StagedCommit sc = alice.add(Collections.singletonList(keyPackage(bob).keyPackage()));
        Identity eve = identity(cs, "eve");
        MlsException e = assertThrows(MlsException.class,
                () -> Group.join(sc.welcome(), keyPackage(eve), eve, null, GroupConfig.DEFAULT, RANDOM));
        assertEquals(ErrorCode.NOT_FOR_US, e.code());
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
        MlsException second = assertThrows(MlsException.class, a::update);
        assertEquals(ErrorCode.INVALID_STATE, second.code());
        a.discard(sc);
        assertNull(a.stagedCommit());
        // Same epoch and tree; only the handshake ratchet moved on (its key was used and must not be reused).
        assertEquals(1, a.epoch());
        assertArrayEquals(authenticator, a.epochAuthenticator());
        assertArrayEquals(tree, a.ratchetTree());
        // The discarded commit is gone for good; a new one works.
        GroupFixture.deliver(a, a.update(), all);
        assertAgree(all);
        MlsException late = assertThrows(MlsException.class, () -> a.merge(sc));
        assertEquals(ErrorCode.INVALID_STATE, late.code());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void ownCommitMessageIsNotProcessedAsSomeoneElses(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = all.get(0);
        StagedCommit sc = a.update();
        a.merge(sc);
        // After merging, the own commit is for a past epoch.
        MlsException e = assertThrows(MlsException.class, () -> a.process(sc.message()));
        assertEquals(ErrorCode.WRONG_EPOCH, e.code());
    }
}
