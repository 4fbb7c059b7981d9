package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.addByWelcome;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.RequiredCapabilities;

/** GroupContext extensions (§12.1.7): an application extension, required_capabilities, and leaf extensions. */
class GroupExtensionsTest {
    /** An application-defined "group name" extension. */
    private static final int GROUP_NAME = 0xF001;

    /** A client that supports the group name extension. */
    private static Identity capable(CipherSuite cs, String name) {
        return identity(cs, name).withCapabilities(new Capabilities(new int[] {1}, new int[] {cs.id()},
                new int[] {GROUP_NAME, ExtensionType.APP_DATA_DICTIONARY}, new int[0],
                new int[] {Credential.BASIC, Credential.X509}));
    }

    private static List<Group> capableGroup(CipherSuite cs, int n) {
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(capable(cs, "m" + i));
        }
        return new ArrayList<>(GroupFixture.group(ids, Collections.<Extension>emptyList(), GroupConfig.DEFAULT));
    }

    private static Extension groupName(String name) {
        return new Extension(GROUP_NAME, utf8(name));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void groupNameSetByProposalIsSeenByJoiners(CipherSuite cs) {
        List<Group> all = capableGroup(cs, 3);
        Group b = all.get(1);
        assertNull(b.extension(GROUP_NAME));
        deliverProposal(b.proposeGroupContextExtensions(Collections.singletonList(groupName("climbers")), null), b, all);
        StagedCommit sc = all.get(0).commit(new ArrayList<>(), false, null);
        assertTrue(sc.changesExtensions());
        deliver(all.get(0), sc, all);
        for (Group g : all) {
            assertArrayEquals(utf8("climbers"), g.extension(GROUP_NAME));
        }
        all.addAll(addByWelcome(all.get(2), all, Collections.singletonList(capable(cs, "dave")), GroupConfig.DEFAULT));
        assertArrayEquals(utf8("climbers"), all.get(3).extension(GROUP_NAME));
        assertAgree(all);
        // A client that does not support the extension cannot be added.
        KeyPackageBundle plain = keyPackage(identity(cs, "eve"));
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).add(Collections.singletonList(plain.keyPackage())));
        assertNull(all.get(0).stagedCommit());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void extensionNotSupportedByAMemberCannotBeSet(CipherSuite cs) {
        List<Identity> ids = Arrays.asList(capable(cs, "m0"), identity(cs, "m1"));
        List<Group> all = GroupFixture.group(ids, Collections.<Extension>emptyList(), GroupConfig.DEFAULT);
        Proposal gce = new Proposal.GroupContextExtensions(Collections.singletonList(groupName("x")));
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).commit(Collections.singletonList(gce), false, null));
        // Nor can the group be created with it when the creator lacks it.
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> Group.create(identity(cs, "x"), RANDOM.bytes(8),
                Collections.singletonList(groupName("x")), GroupConfig.DEFAULT, RANDOM));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void requiredCapabilitiesKeepOutClientsWithout(CipherSuite cs) {
        List<Group> all = capableGroup(cs, 2);
        Extension required = new RequiredCapabilities(new int[] {GROUP_NAME}, new int[0], new int[] {Credential.BASIC})
                .toExtension();
        Proposal gce = new Proposal.GroupContextExtensions(Arrays.asList(required, groupName("strict")));
        deliver(all.get(0), all.get(0).commit(Collections.singletonList(gce), false, null), all);
        assertAgree(all);
        assertArrayEquals(required.data(), all.get(1).extension(ExtensionType.REQUIRED_CAPABILITIES));
        KeyPackageBundle plain = keyPackage(identity(cs, "eve"));
        assertFails(ErrorCode.INVALID_LEAF_NODE, () -> all.get(1).add(Collections.singletonList(plain.keyPackage())));
        all.addAll(addByWelcome(all.get(1), all, Collections.singletonList(capable(cs, "carol")), GroupConfig.DEFAULT));
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void applicationIdInALeafSurvivesItsCommits(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 1, GroupConfig.DEFAULT));
        Identity bob = identity(cs, "bob");
        long now = System.currentTimeMillis() / 1000;
        KeyPackageBundle kp = KeyPackageBundle.create(bob, now - 60, now + 3600, Collections.<Extension>emptyList(),
                Collections.singletonList(new Extension(ExtensionType.APPLICATION_ID, utf8("bob-phone"))), false, RANDOM);
        StagedCommit sc = all.get(0).add(Collections.singletonList(kp.keyPackage()));
        deliver(all.get(0), sc, all);
        all.add(Group.join(sc.welcome(), kp, bob, null, GroupConfig.DEFAULT, RANDOM));
        assertArrayEquals(utf8("bob-phone"), applicationId(all.get(0), 1));
        deliver(all.get(1), all.get(1).update(), all);
        assertArrayEquals(utf8("bob-phone"), applicationId(all.get(0), 1));
        assertAgree(all);
    }

    /** The application_id of a leaf as a member sees it, or null. */
    private static byte[] applicationId(Group g, int leaf) {
        LeafNode node = g.state().tree.leaf(leaf);
        for (Extension e : node.extensions) {
            if (e.type() == ExtensionType.APPLICATION_ID) {
                return e.data();
            }
        }
        return null;
    }
}
