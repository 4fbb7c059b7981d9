package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.schedule.TranscriptHash;
import org.mlskit.tree.RatchetTree;

/**
 * Welcomes and GroupInfos an insider (a member with a real signing key) crafts to get past the
 * signature checks: each must end in a specific error, never a crash or an accepted join. Each
 * forgery is first made honestly and shown to be accepted, so a rejection is the check's doing.
 */
class HostileJoinTest {
    private static final CipherSuite CS = suite(1);

    /** Alice (leaf 0) with a tree that already has bob's leaf at leaf 1, and bob's KeyPackage. */
    private static final class Scene {
        final Identity alice = identity(CS, "alice");
        final Identity bob = identity(CS, "bob");
        final KeyPackageBundle bobKp = keyPackage(bob);
        final Group aliceGroup = GroupFixture.create(alice, GroupConfig.DEFAULT);
        final RatchetTree tree;

        Scene() {
            StagedCommit add = aliceGroup.add(Collections.singletonList(bobKp.keyPackage()));
            aliceGroup.merge(add);
            tree = Codec.decodeAll(aliceGroup.ratchetTree(), in -> RatchetTree.decode(CS, in));
        }

        /** A Welcome for bob signed by alice over {@code t}, GroupContext extensions and extra GroupInfo extensions. */
        byte[] welcome(RatchetTree t, List<Extension> contextExt, List<Extension> infoExt, byte[] pathSecret) {
            GroupContext ctx = new GroupContext(CS.id(), aliceGroup.groupId(), aliceGroup.epoch(), t.treeHash(),
                    aliceGroup.context().confirmedTranscriptHash(), contextExt);
            byte[] joinerSecret = RANDOM.bytes(CS.kdf().length());
            byte[] pskSecret = Psks.secret(CS, PskStore.NONE, Collections.emptyList());
            EpochSecrets epoch = KeySchedule.fromJoiner(CS, joinerSecret, pskSecret, ctx);
            byte[] tag = TranscriptHash.confirmationTag(CS, epoch.confirmationKey(), ctx.confirmedTranscriptHash());
            GroupInfo info = signed(ctx, withTree(t, infoExt), tag);
            GroupSecrets secrets = new GroupSecrets(joinerSecret, pathSecret, Collections.emptyList());
            Welcome w = Welcome.seal(CS, epoch.welcomeSecret(), info, Collections.singletonList(bobKp.keyPackage()),
                    Collections.singletonList(secrets), RANDOM);
            return new MlsMessage(WireFormat.WELCOME, w).toBytes();
        }

        /** A GroupInfo for an external join signed by alice, with the real external_pub. */
        byte[] groupInfo(List<Extension> contextExt, List<Extension> infoExt) {
            GroupInfo real = (GroupInfo) MlsMessage.fromBytes(aliceGroup.groupInfo(true, true)).body;
            GroupContext c = real.groupContext;
            GroupContext ctx = new GroupContext(c.cipherSuite(), c.groupId(), c.epoch(), c.treeHash(),
                    c.confirmedTranscriptHash(), contextExt);
            List<Extension> ext = new ArrayList<>(real.extensions);
            ext.addAll(infoExt);
            return new MlsMessage(WireFormat.GROUP_INFO, signed(ctx, ext, real.confirmationTag)).toBytes();
        }

        GroupInfo signed(GroupContext ctx, List<Extension> ext, byte[] tag) {
            GroupInfo unsigned = new GroupInfo(ctx, ext, tag, 0, new byte[0]);
            return new GroupInfo(ctx, ext, tag, 0, alice.sign("GroupInfoTBS", unsigned.toBeSigned()));
        }

        Group join(byte[] welcome) {
            return Group.join(welcome, bobKp, bob, null, GroupConfig.DEFAULT, RANDOM);
        }
    }

    private static List<Extension> withTree(RatchetTree t, List<Extension> more) {
        List<Extension> ext = new ArrayList<>();
        ext.add(new Extension(ExtensionType.RATCHET_TREE, t.toBytes()));
        ext.addAll(more);
        return ext;
    }

    private static List<Extension> list(Extension... e) {
        return Arrays.asList(e);
    }

    @Test
    void anHonestForgeryJoinsSoTheRejectionsBelowAreTheChecksDoing() {
        Scene s = new Scene();
        // GREASE in the GroupInfo's extensions is ignored (§13.5).
        Group bob = s.join(s.welcome(s.tree, list(), list(new Extension(0x4a4a, new byte[] {9})), null));
        assertEquals(2, bob.memberCount());
        assertEquals(s.aliceGroup.epoch(), bob.epoch());
        Group.ExternalJoin carol = Group.joinExternally(s.groupInfo(list(), list(new Extension(0x5a5a, new byte[0]))),
                identity(CS, "carol"), null, -1, Collections.emptyList(), null, GroupConfig.DEFAULT, RANDOM);
        assertTrue(carol.commit().length > 0);
    }

    /** The fuzzing finding: a blank node on the committer's filtered direct path with a path secret was an NPE. */
    @Test
    void aPathSecretWithABlankNodeOnTheCommittersPathIsInvalidTree() {
        Scene s = new Scene();
        RatchetTree blankRoot = s.tree.copy();
        blankRoot.set(1, null); // the root of the two-leaf tree, on leaf 0's filtered direct path
        assertFails(ErrorCode.INVALID_TREE, () -> s.join(s.welcome(blankRoot, list(), list(), RANDOM.bytes(32))));
    }

    @Test
    void groupContextExtensionsAreCheckedOnJoin() {
        Scene s = new Scene();
        Extension externalPub = new Extension(ExtensionType.EXTERNAL_PUB, new byte[] {0});
        Extension applicationId = new Extension(ExtensionType.APPLICATION_ID, new byte[] {1});
        Extension unsupported = new Extension(0xff00, new byte[0]);
        for (Extension misplaced : list(externalPub, applicationId, new Extension(ExtensionType.RATCHET_TREE, new byte[0]))) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> s.join(s.welcome(s.tree, list(misplaced), list(), null)));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.joinExternally(s.groupInfo(list(misplaced), list()),
                    identity(CS, "carol"), null, -1, Collections.emptyList(), null, GroupConfig.DEFAULT, RANDOM));
        }
        // §13: a joiner must support every GroupContext extension, by Welcome and by external commit.
        assertFails(ErrorCode.UNSUPPORTED, () -> s.join(s.welcome(s.tree, list(unsupported), list(), null)));
        assertFails(ErrorCode.UNSUPPORTED, () -> Group.joinExternally(s.groupInfo(list(unsupported), list()),
                identity(CS, "carol"), null, -1, Collections.emptyList(), null, GroupConfig.DEFAULT, RANDOM));
    }

    /** §13: "Any field containing a list of extensions MUST NOT have more than one extension of any given type." */
    @Test
    void repeatedExtensionTypesAreMalformed() {
        Scene s = new Scene();
        Extension a = new Extension(0x7a7a, new byte[] {1});
        Extension b = new Extension(0x7a7a, new byte[] {2});
        assertFails(ErrorCode.MALFORMED, () -> s.join(s.welcome(s.tree, list(a, b), list(), null)));
        assertFails(ErrorCode.MALFORMED, () -> s.join(s.welcome(s.tree, list(), list(a, b), null)));
        assertFails(ErrorCode.MALFORMED, () -> Group.joinExternally(s.groupInfo(list(a, b), list()),
                identity(CS, "carol"), null, -1, Collections.emptyList(), null, GroupConfig.DEFAULT, RANDOM));
        assertFails(ErrorCode.MALFORMED, () -> Group.joinExternally(s.groupInfo(list(), list(a, b)),
                identity(CS, "carol"), null, -1, Collections.emptyList(), null, GroupConfig.DEFAULT, RANDOM));
        // Creating a group with them is a bad argument.
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.create(identity(CS, "dave"), RANDOM.bytes(8),
                list(new Extension(ExtensionType.REQUIRED_CAPABILITIES, new byte[] {0, 0, 0}),
                        new Extension(ExtensionType.REQUIRED_CAPABILITIES, new byte[] {0, 0, 0})), GroupConfig.DEFAULT, RANDOM));
    }
}
