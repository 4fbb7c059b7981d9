package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.keyPackage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

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
            MlsException e = assertThrows(MlsException.class, () -> g.encrypt(new byte[1], null));
            assertEquals(ErrorCode.INVALID_STATE, e.code());
        }
        // B recreates the group: itself in the new suite, and new KeyPackages of A and C.
        List<Identity> ids = new ArrayList<>();
        List<KeyPackageBundle> bundles = new ArrayList<>();
        List<KeyPackage> kps = new ArrayList<>();
        for (Group g : old) {
            Identity id = Identity.generate(next, g.identity().credential(), RANDOM);
            ids.add(id);
            if (g != b) {
                KeyPackageBundle kp = keyPackage(id);
                bundles.add(kp);
                kps.add(kp.keyPackage());
            }
        }
        MlsException wrongSuite = assertThrows(MlsException.class, () -> b.reInitialize(b.identity(), kps));
        assertEquals(ErrorCode.INVALID_ARGUMENT, wrongSuite.code());
        Group.Successor successor = b.reInitialize(ids.get(1), kps);
        Group nb = successor.group;
        assertArrayEquals(newGroupId, nb.groupId());
        assertEquals(next, nb.suite());
        assertEquals(1, nb.epoch());
        List<Group> renewed = new ArrayList<>();
        renewed.add(nb);
        Group[] oldOthers = {a, old.get(2)};
        Identity[] newOthers = {ids.get(0), ids.get(2)};
        for (int i = 0; i < 2; i++) {
            GroupConfig config = GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, oldOthers[i]));
            renewed.add(Group.join(successor.welcome(), bundles.get(i), newOthers[i], null, config, RANDOM));
            // Without the old group's resumption secret, the Welcome cannot be opened.
            final int k = i;
            MlsException missing = assertThrows(MlsException.class, () -> Group.join(successor.welcome(), bundles.get(k),
                    newOthers[k], null, GroupConfig.DEFAULT, RANDOM));
            assertEquals(ErrorCode.MISSING_PSK, missing.code());
        }
        assertAgree(renewed);
        assertEquals(3, nb.memberCount());
        assertAllTalk(renewed);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void reInitNeedsACommittedReInit(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        MlsException e = assertThrows(MlsException.class, () -> old.get(0).reInitialize(old.get(0).identity(),
                Collections.<KeyPackage>emptyList()));
        assertEquals(ErrorCode.INVALID_STATE, e.code());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void branchASubgroupOfTwo(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group c = old.get(2);
        KeyPackageBundle cKp = keyPackage(c.identity());
        byte[] subId = RANDOM.bytes(16);
        Group.Successor branch = a.branch(subId, Collections.<Extension>emptyList(),
                Collections.singletonList(cKp.keyPackage()));
        Group sub = Group.join(branch.welcome(), cKp, c.identity(), null,
                GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, c)), RANDOM);
        List<Group> both = Arrays.asList(branch.group, sub);
        assertAgree(both);
        assertEquals(Arrays.asList("0:m0", "1:m2"), GroupFixture.memberNames(sub));
        assertAllTalk(both);
        // The old group carries on unaffected.
        assertEquals(Group.Status.ACTIVE, a.status());
        assertAllTalk(old);
        // B, not in the branch, has no Welcome entry.
        KeyPackageBundle bKp = keyPackage(old.get(1).identity());
        MlsException e = assertThrows(MlsException.class, () -> Group.join(branch.welcome(), bKp,
                old.get(1).identity(), null, GroupConfig.DEFAULT, RANDOM));
        assertEquals(ErrorCode.NOT_FOR_US, e.code());
        assertEquals(Credential.BASIC, sub.members().get(1).credential.type());
    }
}
