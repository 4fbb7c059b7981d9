package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.IdentityChecker;
import org.mlskit.keys.KeyPackageBundle;

/** What interop peers and delivery services asked for: message inspection, per-commit choices, join checks. */
class InspectAndCommitOptionsTest {
    @Test
    void joiningWithAnotherClientsKeyPackageIsRefusedUpFront() {
        CipherSuite cs = suite(1);
        Group a = GroupFixture.create(identity(cs, "a"), GroupConfig.DEFAULT);
        Identity bob = identity(cs, "bob");
        KeyPackageBundle bobs = keyPackage(bob);
        StagedCommit sc = a.add(Collections.singletonList(bobs.keyPackage()));
        a.merge(sc);
        // Same name, another signature key: before, the join succeeded and bob's messages then failed INVALID_SIGNATURE.
        Identity impostor = identity(cs, "bob");
        MlsException e = assertFails(ErrorCode.INVALID_ARGUMENT,
                () -> Group.join(sc.welcome(), bobs, impostor, null, GroupConfig.DEFAULT, RANDOM));
        assertTrue(e.getMessage().contains("signature key"), e.getMessage());
        // The same key under another credential is refused too.
        Identity renamed = Identity.of(cs, Credential.basic(GroupFixture.utf8("robert")), bob.signaturePrivateKey());
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.join(sc.welcome(), bobs, renamed, null, GroupConfig.DEFAULT, RANDOM));
        // A saved bundle still knows whose it is.
        KeyPackageBundle restored = KeyPackageBundle.fromBytes(bobs.toBytes());
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.join(sc.welcome(), restored, impostor, null, GroupConfig.DEFAULT, RANDOM));
        Group b = Group.join(sc.welcome(), restored, bob, null, GroupConfig.DEFAULT, RANDOM);
        List<Group> both = new ArrayList<>();
        both.add(a);
        both.add(b);
        assertAgreeAndTalk(both);
    }

    @Test
    void messagesTellTheirHeaderBeforeProcessing() {
        CipherSuite cs = suite(2);
        List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = all.get(0);
        MessageInfo app = MessageInfo.inspect(a.encrypt(GroupFixture.utf8("hi"), null));
        assertEquals(WireFormat.PRIVATE_MESSAGE, app.wireFormat);
        assertEquals(ContentType.APPLICATION, app.contentType);
        assertArrayEquals(a.groupId(), app.groupId());
        assertEquals(a.epoch(), app.epoch);
        assertNull(app.sender);
        byte[] publicProposal = a.propose(new Proposal.Remove(1), null) ;
        MessageInfo prop = MessageInfo.inspect(publicProposal);
        assertEquals(ContentType.PROPOSAL, prop.contentType);
        StagedCommit pub = all.get(1).update(CommitOptions.DEFAULT.withWireFormat(WireFormat.PUBLIC_MESSAGE));
        MessageInfo commit = MessageInfo.inspect(pub.message());
        assertEquals(WireFormat.PUBLIC_MESSAGE, commit.wireFormat);
        assertEquals(ContentType.COMMIT, commit.contentType);
        assertEquals(Sender.MEMBER, commit.sender.type);
        assertEquals(1, commit.sender.index);
        all.get(1).discard(pub);
        MessageInfo info = MessageInfo.inspect(a.groupInfo(true, false));
        assertEquals(WireFormat.GROUP_INFO, info.wireFormat);
        assertEquals(a.epoch(), info.epoch);
        assertEquals(cs.id(), info.cipherSuite);
        assertFails(ErrorCode.MALFORMED, () -> MessageInfo.inspect(new byte[] {0, 1, 0}));
    }

    @Test
    void aWelcomeSaysWhichKeyPackagesItIsFor() {
        CipherSuite cs = suite(1);
        Group a = GroupFixture.create(identity(cs, "a"), GroupConfig.DEFAULT);
        Identity bob = identity(cs, "bob");
        KeyPackageBundle used = keyPackage(bob);
        KeyPackageBundle other = keyPackage(bob);
        StagedCommit sc = a.add(Collections.singletonList(used.keyPackage()));
        MessageInfo w = MessageInfo.inspect(sc.welcome());
        assertEquals(WireFormat.WELCOME, w.wireFormat);
        assertEquals(1, w.keyPackageRefs().size());
        assertArrayEquals(used.keyPackage().ref(cs), w.keyPackageRefs().get(0));
        assertTrue(w.isFor(used.keyPackage()));
        assertFalse(w.isFor(other.keyPackage()));
        assertFails(ErrorCode.NOT_FOR_US, () -> Group.join(sc.welcome(), other, bob, null, GroupConfig.DEFAULT, RANDOM));
    }

    @Test
    void framingTreeInWelcomeAndPathAreChosenPerCommit() {
        CipherSuite cs = suite(1);
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, GroupConfig.DEFAULT));
        Group a = all.get(0);
        Identity carol = identity(cs, "carol");
        KeyPackageBundle kp = keyPackage(carol);
        StagedCommit sc = a.add(Collections.singletonList(kp.keyPackage()), CommitOptions.DEFAULT
                .withWireFormat(WireFormat.PUBLIC_MESSAGE).withRatchetTreeInWelcome(false).withForcePath(true));
        assertEquals(WireFormat.PUBLIC_MESSAGE, MessageInfo.inspect(sc.message()).wireFormat);
        assertTrue(sc.hasUpdatePath());
        byte[] welcome = sc.welcome();
        ProcessedMessage seen = all.get(1).process(sc.message());
        assertTrue(seen.commit.hasUpdatePath(), "the receiver sees the path");
        all.get(1).merge(seen.commit);
        a.merge(sc);
        // The Welcome lacks the tree: joining without it fails, with it succeeds.
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> Group.join(welcome, kp, carol, null, GroupConfig.DEFAULT, RANDOM));
        all.add(Group.join(welcome, kp, carol, a.ratchetTree(), GroupConfig.DEFAULT, RANDOM));
        assertArrayEquals(a.treeHash(), all.get(2).treeHash());
        assertArrayEquals(a.context().treeHash(), a.treeHash());
        // Without options, a Remove commits no path beyond what the RFC requires (it does require one).
        StagedCommit plain = all.get(2).commit(new ArrayList<>(), CommitOptions.DEFAULT);
        assertTrue(plain.hasUpdatePath(), "an empty commit needs a path");
        all.get(2).discard(plain);
        StagedCommit priv = all.get(2).remove(new int[] {1}, CommitOptions.DEFAULT.withWireFormat(WireFormat.PRIVATE_MESSAGE));
        assertEquals(WireFormat.PRIVATE_MESSAGE, MessageInfo.inspect(priv.message()).wireFormat);
        deliver(all.get(2), priv, all);
        all.remove(1);
        assertAgreeAndTalk(all);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> CommitOptions.DEFAULT.withWireFormat(WireFormat.WELCOME));
    }

    @Test
    void theIdentityCheckerSeesEveryMemberAtJoin() {
        CipherSuite cs = suite(1);
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        // A joiner whose application refuses "m1": the join is refused, naming the credential.
        IdentityChecker noM1 = new IdentityChecker() {
            @Override
            public void validate(Credential credential, byte[] signatureKey) {
                IdentityChecker.BASIC.validate(credential, signatureKey);
                String name = new String(credential.identity(), java.nio.charset.StandardCharsets.UTF_8);
                if (name.equals("m1") || name.equals("mallory")) {
                    throw new MlsException(ErrorCode.INVALID_CREDENTIAL, name + " is not welcome here");
                }
            }

            @Override
            public byte[] clientId(Credential credential) {
                return IdentityChecker.BASIC.clientId(credential);
            }
        };
        Identity dave = identity(cs, "dave");
        KeyPackageBundle kp = keyPackage(dave);
        StagedCommit sc = all.get(0).add(Collections.singletonList(kp.keyPackage()));
        assertFails(ErrorCode.INVALID_CREDENTIAL, () -> Group.join(sc.welcome(), kp, dave, null,
                GroupConfig.DEFAULT.withIdentityChecker(noM1), RANDOM));
        Group.join(sc.welcome(), kp, dave, null, GroupConfig.DEFAULT, RANDOM);
        // The same checker at an existing member refuses adding mallory.
        all.get(0).discard(sc);
        all.get(2).setConfig(GroupConfig.DEFAULT.withIdentityChecker(noM1));
        assertFails(ErrorCode.INVALID_CREDENTIAL, () -> all.get(2).add(Collections.singletonList(
                keyPackage(identity(cs, "mallory")).keyPackage())));
    }
}
