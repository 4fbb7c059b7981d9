package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertAllTalk;
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
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/** Saving and restoring a group, an identity and a KeyPackage mid-conversation. */
class SavedStateTest {

    /** Replaces {@code all[i]} with its restored copy, checking the copy saves to the same bytes. */
    private static Group restore(List<Group> all, int i) {
        byte[] saved = all.get(i).toBytes();
        Group restored = Group.fromBytes(saved, all.get(i).config(), RANDOM);
        assertArrayEquals(saved, restored.toBytes());
        all.set(i, restored);
        return restored;
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#allSuites")
    void restoredGroupCarriesOn(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        Group a = all.get(0);
        assertAllTalk(all);
        byte[] late = a.encrypt(utf8("sent before the next epoch"), null);
        deliver(a, a.update(), all);
        // B proposes an Update and saves: its pending leaf key and the cached proposal must survive.
        Group b = all.get(1);
        deliverProposal(b.proposeUpdate(null), b, all);
        Group restoredB = restore(all, 1);
        Group restoredC = restore(all, 2);
        assertEquals(b.epoch(), restoredB.epoch());
        assertArrayEquals(b.epochAuthenticator(), restoredB.epochAuthenticator());
        // A late message of the retained past epoch still decrypts after restoring.
        assertEquals("sent before the next epoch", new String(restoredC.process(late).applicationData(),
                java.nio.charset.StandardCharsets.UTF_8));
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.updated().size());
        deliver(a, sc, all);
        assertAgreeAndTalk(all);
        deliver(restoredB, restoredB.update(), all);
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void identityAndKeyPackageRoundTrip(CipherSuite cs) {
        Identity bob = identity(cs, "bob");
        KeyPackageBundle kp = keyPackage(bob);
        Identity bob2 = Identity.fromBytes(bob.toBytes());
        assertArrayEquals(bob.toBytes(), bob2.toBytes());
        KeyPackageBundle kp2 = KeyPackageBundle.fromBytes(kp.toBytes());
        assertArrayEquals(kp.toBytes(), kp2.toBytes());
        assertArrayEquals(kp.keyPackage().toBytes(), kp2.keyPackage().toBytes());
        Group a = GroupFixture.create(identity(cs, "alice"), GroupConfig.DEFAULT);
        StagedCommit sc = a.add(Collections.singletonList(kp.keyPackage()));
        a.merge(sc);
        Group b = Group.join(sc.welcome(), kp2, bob2, null, GroupConfig.DEFAULT, RANDOM);
        assertAgreeAndTalk(Arrays.asList(a, b));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void statusSurvivesRestoring(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 3, GroupConfig.DEFAULT));
        Group a = all.get(0);
        StagedCommit removal = a.remove(2);
        deliver(a, removal, all);
        assertEquals(Group.Status.REMOVED, restore(all, 2).status());
        all.remove(2);
        Proposal reInit = new Proposal.ReInit(RANDOM.bytes(8), GroupContext.MLS10, cs.id(),
                Collections.<Extension>emptyList());
        deliver(a, a.commit(Collections.singletonList(reInit), false, null), all);
        Group restored = restore(all, 1);
        assertEquals(Group.Status.REINIT_PENDING, restored.status());
        assertArrayEquals(a.pendingReInit().toBytes(), restored.pendingReInit().toBytes());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void damagedSavedStateIsMalformed(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        byte[] saved = all.get(1).toBytes();
        for (int n = 0; n < saved.length; n += 7) {
            byte[] prefix = Arrays.copyOf(saved, n);
            MlsException e = assertThrows(MlsException.class, () -> Group.fromBytes(prefix, GroupConfig.DEFAULT, RANDOM),
                    "prefix of " + n);
            assertEquals(ErrorCode.MALFORMED, e.code(), "prefix of " + n + ": " + e.getMessage());
        }
        byte[] identity = all.get(1).identity().toBytes();
        byte[] bundle = keyPackage(all.get(1).identity()).toBytes();
        for (int n = 0; n < Math.max(identity.length, bundle.length); n++) {
            if (n < identity.length) {
                byte[] prefix = Arrays.copyOf(identity, n);
                assertFails(ErrorCode.MALFORMED, () -> Identity.fromBytes(prefix));
            }
            if (n < bundle.length) {
                byte[] prefix = Arrays.copyOf(bundle, n);
                assertFails(ErrorCode.MALFORMED, () -> KeyPackageBundle.fromBytes(prefix));
            }
        }
        byte[] otherKey = identity.clone();
        otherKey[otherKey.length - 60] ^= 1;
        assertFails(ErrorCode.INVALID_KEY, () -> Identity.fromBytes(otherKey));
        byte[] longer = Arrays.copyOf(saved, saved.length + 1);
        assertFails(ErrorCode.MALFORMED, () -> Group.fromBytes(longer, GroupConfig.DEFAULT, RANDOM));
        byte[] future = saved.clone();
        future[1] = 9;
        assertFails(ErrorCode.UNSUPPORTED, () -> Group.fromBytes(future, GroupConfig.DEFAULT, RANDOM));
    }
}
