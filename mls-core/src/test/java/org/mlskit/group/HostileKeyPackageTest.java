package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.suite;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.LeafNode;

/**
 * KeyPackages that break a rule and still carry valid KeyPackage signatures (their owner signed
 * them): validation on receipt of an Add proposal is the same as at inspection and at commit
 * (§10.1, §12.1.1), and a rejected one leaves the group as it was.
 */
class HostileKeyPackageTest {
    private static final CipherSuite CS = suite(1);
    private static final long NOW = System.currentTimeMillis() / 1000;

    /** {@code owner}'s KeyPackage with {@code leaf} put in and the KeyPackage signature made again. */
    private static KeyPackage resigned(Identity owner, KeyPackage kp, LeafNode leaf, List<Extension> kpExtensions) {
        KeyPackage unsigned = new KeyPackage(kp.version, kp.cipherSuite, kp.initKey, leaf, kpExtensions, new byte[0]);
        return new KeyPackage(kp.version, kp.cipherSuite, kp.initKey, leaf, kpExtensions,
                owner.sign("KeyPackageTBS", unsigned.toBeSigned()));
    }

    private static LeafNode signedLeaf(Identity owner, LeafNode l, Capabilities caps, List<Extension> ext) {
        LeafNode unsigned = new LeafNode(l.encryptionKey, l.signatureKey, l.credential, caps, l.source, l.lifetime, null, ext,
                new byte[0]);
        return unsigned.withSignature(owner.sign("LeafNodeTBS", unsigned.toBeSigned(new byte[0], 0)));
    }

    @Test
    void aKeyPackageWhoseLeafSignatureIsBadIsRefusedEverywhere() {
        Identity carol = identity(CS, "carol");
        KeyPackage good = keyPackage(carol).keyPackage();
        byte[] sig = good.leafNode.signature.clone();
        sig[0] ^= 1;
        KeyPackage bad = resigned(carol, good, good.leafNode.withSignature(sig), good.extensions);
        assertFails(ErrorCode.INVALID_SIGNATURE, () -> KeyPackageValidation.validate(CS, bad, NOW));

        List<Group> g = GroupFixture.group(CS, 2, GroupConfig.DEFAULT);
        Group alice = g.get(0);
        Group bob = g.get(1);
        // Received as a proposal: refused on receipt, not cached for a later commit.
        byte[] proposal = Forge.proposal(bob, bob.identity(), new Proposal.Add(bad), WireFormat.PUBLIC_MESSAGE);
        assertRejected(alice, proposal, ErrorCode.INVALID_SIGNATURE);
        // Committed by value.
        byte[] commit = Forge.commit(bob, Collections.singletonList(ProposalOrRef.byValue(new Proposal.Add(bad))), null,
                Forge.garbageTag(bob), WireFormat.PUBLIC_MESSAGE);
        assertRejected(alice, commit, ErrorCode.INVALID_SIGNATURE);
        // Adding it locally.
        assertFails(ErrorCode.INVALID_SIGNATURE, () -> alice.add(Collections.singletonList(bad)));
        GroupFixture.assertAgreeAndTalk(g);
    }

    @Test
    void repeatedExtensionTypesInAKeyPackageOrItsLeafAreMalformed() {
        Identity carol = identity(CS, "carol");
        KeyPackageBundle b = keyPackage(carol);
        KeyPackage kp = b.keyPackage();
        Extension x1 = new Extension(0xff10, new byte[] {1});
        Extension x2 = new Extension(0xff10, new byte[] {2});
        KeyPackage kpDup = resigned(carol, kp, kp.leafNode, Arrays.asList(x1, x2));
        Capabilities c = kp.leafNode.capabilities;
        Capabilities caps = new Capabilities(c.versions, c.cipherSuites, new int[] {0xff10}, c.proposals, c.credentials);
        KeyPackage leafDup = resigned(carol, kp, signedLeaf(carol, kp.leafNode, caps, Arrays.asList(x1, x2)), kp.extensions);
        KeyPackage leafOnce = resigned(carol, kp, signedLeaf(carol, kp.leafNode, caps, Arrays.asList(x1)), kp.extensions);
        KeyPackageValidation.validate(CS, leafOnce, NOW); // the control: one of them is fine

        List<Group> g = GroupFixture.group(CS, 2, GroupConfig.DEFAULT);
        Group alice = g.get(0);
        Group bob = g.get(1);
        for (KeyPackage dup : Arrays.asList(kpDup, leafDup)) {
            byte[] published = new MlsMessage(WireFormat.KEY_PACKAGE, dup).toBytes();
            assertFails(ErrorCode.MALFORMED, () -> MlsMessage.fromBytes(published));
            assertRejected(alice, Forge.proposal(bob, bob.identity(), new Proposal.Add(dup), WireFormat.PUBLIC_MESSAGE),
                    ErrorCode.MALFORMED);
            assertRejected(alice, Forge.commit(bob, Collections.singletonList(ProposalOrRef.byValue(new Proposal.Add(dup))), null,
                    Forge.garbageTag(bob), WireFormat.PUBLIC_MESSAGE), ErrorCode.MALFORMED);
        }
        StagedCommit ok = bob.add(Collections.singletonList(leafOnce));
        assertTrue(ok.welcome() != null);
        bob.discard(ok);
    }
}
