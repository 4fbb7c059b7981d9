package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.joiner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupFixture.Joiner;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;

/** Reinitialization into a new group and suite (§11.2) and subgroup branching (§11.3). */
class ReInitBranchTest {

    /** Another fast suite than {@code cs}, so that every reinit changes the suite. */
    private static CipherSuite otherSuite(CipherSuite cs) {
        return CipherSuite.of(cs.id() % 3 + 1);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void reInitIntoANewSuite(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group b = old.get(1);
        CipherSuite next = otherSuite(cs);
        byte[] newGroupId = RANDOM.bytes(12);
        deliverProposal(b.proposeReInit(newGroupId, next, Collections.<Extension>emptyList(), null), b, old);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertArrayEquals(newGroupId, sc.reInit().groupId);
        deliver(a, sc, old);
        for (Group g : old) {
            assertEquals(Group.Status.REINIT_PENDING, g.status());
            assertEquals(next.id(), g.pendingReInit().cipherSuite);
            assertFails(ErrorCode.INVALID_STATE, () -> g.encrypt(new byte[1], null));
        }
        // B recreates the group: itself in the new suite, and new KeyPackages of A and C.
        Identity newB = null;
        List<Joiner> others = new ArrayList<>();
        List<KeyPackage> kps = new ArrayList<>();
        for (Group g : old) {
            Identity id = Identity.generate(next, g.identity().credential(), RANDOM);
            if (g == b) {
                newB = id;
            } else {
                Joiner other = joiner(id);
                others.add(other);
                kps.add(other.keyPackage());
            }
        }
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> b.reInitialize(b.identity(), kps));
        Group.Successor successor = b.reInitialize(newB, kps);
        Group nb = successor.group;
        assertArrayEquals(newGroupId, nb.groupId());
        assertEquals(next, nb.suite());
        assertEquals(1, nb.epoch());
        List<Group> renewed = new ArrayList<>();
        renewed.add(nb);
        Group[] oldOthers = {a, old.get(2)};
        for (int i = 0; i < 2; i++) {
            Joiner other = others.get(i);
            GroupConfig config = GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, oldOthers[i]));
            renewed.add(other.join(successor.welcome(), config));
            // Without the old group's resumption secret, the Welcome cannot be opened.
            assertFails(ErrorCode.MISSING_PSK, () -> other.join(successor.welcome(), GroupConfig.DEFAULT));
        }
        assertEquals(3, nb.memberCount());
        assertAgreeAndTalk(renewed);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void reInitNeedsACommittedReInit(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        assertFails(ErrorCode.INVALID_STATE, () -> old.get(0).reInitialize(old.get(0).identity(),
                Collections.<KeyPackage>emptyList()));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void branchASubgroupOfTwo(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group c = old.get(2);
        Joiner cAgain = joiner(c.identity());
        byte[] subId = RANDOM.bytes(16);
        Group.Successor branch = a.branch(subId, Collections.<Extension>emptyList(),
                Collections.singletonList(cAgain.keyPackage()));
        Group sub = cAgain.join(branch.welcome(),
                GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, c)));
        List<Group> both = Arrays.asList(branch.group, sub);
        assertEquals(Arrays.asList("0:m0", "1:m2"), GroupFixture.memberNames(sub));
        assertAgreeAndTalk(both);
        // The old group carries on unaffected.
        assertEquals(Group.Status.ACTIVE, a.status());
        assertAllTalk(old);
        // B, not in the branch, has no Welcome entry.
        Joiner bAgain = joiner(old.get(1).identity());
        assertFails(ErrorCode.NOT_FOR_US, () -> bAgain.join(branch.welcome(), GroupConfig.DEFAULT));
        assertEquals(Credential.BASIC, sub.members().get(1).credential.type());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void aReInitSuccessorMustBeTheGroupTheReInitAskedFor(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group b = old.get(1);
        byte[] newGroupId = RANDOM.bytes(12);
        deliverProposal(b.proposeReInit(newGroupId, cs, Collections.<Extension>emptyList(), null), b, old);
        deliver(a, a.commit(new ArrayList<>(), false, null), old);
        Joiner bAgain = joiner(b.identity());
        GroupConfig withOld = GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, b));
        // A successor under another group id than the ReInit named (§11.2): refused.
        Group.Successor wrongId = Successors.successor(a, a.identity(), RANDOM.bytes(12), Collections.<Extension>emptyList(),
                Collections.singletonList(bAgain.keyPackage()), org.mlskit.schedule.PreSharedKeyId.USAGE_REINIT);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> bAgain.join(wrongId.welcome(), withOld));
        // The right successor joins; a store that has the secret but not the old group cannot check it.
        Joiner bOnceMore = joiner(b.identity());
        Group.Successor right = a.reInitialize(a.identity(), Collections.singletonList(bOnceMore.keyPackage()));
        PskStore secretOnly = new PskStore() {
            @Override
            public byte[] externalPsk(byte[] pskId) {
                return null;
            }

            @Override
            public byte[] resumptionPsk(byte[] groupId, long epoch) {
                return b.resumptionPsk(epoch);
            }
        };
        assertFails(ErrorCode.MISSING_PSK, () -> bOnceMore.join(right.welcome(), GroupConfig.DEFAULT.withPskStore(secretOnly)));
        assertAgreeAndTalk(Arrays.asList(right.group, bOnceMore.join(right.welcome(), withOld)));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void aBranchHoldsOnlyMembersOfTheOldGroup(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group c = old.get(2);
        Joiner cAgain = joiner(c.identity());
        Joiner stranger = joiner(cs, "stranger");
        Group.Successor branch = a.branch(RANDOM.bytes(16), Collections.<Extension>emptyList(),
                Arrays.asList(cAgain.keyPackage(), stranger.keyPackage()));
        // §11.3: every leaf of a branch must match a member of the old group; the stranger does not.
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> cAgain.join(branch.welcome(),
                GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, c))));
    }
}
