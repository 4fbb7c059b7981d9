package org.mlskit.group;

import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.handshake;
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
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.LeafNode;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.UpdatePath;

/**
 * Commits a member would never build (§12.2, §12.4): forged with the committer's real keys and
 * refused by the receiver with INVALID_PROPOSAL, INVALID_COMMIT or UNKNOWN_PROPOSAL, its state
 * untouched, after which a genuine commit still goes through.
 */
class InvalidCommitTest {

    private static ProposalOrRef value(Proposal p) {
        return ProposalOrRef.byValue(p);
    }

    private static List<ProposalOrRef> list(ProposalOrRef... ps) {
        return Arrays.asList(ps);
    }

    /** A commit from A of these proposals, without a path and with a garbage confirmation tag. */
    private static byte[] forged(Group a, int wireFormat, ProposalOrRef... ps) {
        return Forge.commit(a, list(ps), null, Forge.garbageTag(a), wireFormat);
    }

    private static Proposal psk(CipherSuite cs) {
        return new Proposal.PreSharedKey(PreSharedKeyId.external(utf8("k"), RANDOM.bytes(cs.kdf().length())));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void forbiddenProposalListsAreRefused(CipherSuite cs, int wireFormat) {
        List<Group> all = GroupFixture.group(cs, 4, handshake(wireFormat));
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        ErrorCode bad = ErrorCode.INVALID_PROPOSAL;

        assertRejected(b, forged(a, wireFormat, ProposalOrRef.byReference(RANDOM.bytes(32))), ErrorCode.UNKNOWN_PROPOSAL);
        Proposal gce = new Proposal.GroupContextExtensions(Collections.<Extension>emptyList());
        assertRejected(b, forged(a, wireFormat, value(gce), value(gce)), bad);
        Proposal reInit = new Proposal.ReInit(RANDOM.bytes(8), GroupContext.MLS10, cs.id(), Collections.<Extension>emptyList());
        assertRejected(b, forged(a, wireFormat, value(reInit), value(new Proposal.Remove(3))), bad);
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Remove(0))), bad);
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Remove(9))), bad);
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Remove(3)), value(new Proposal.Remove(3))), bad);
        KeyPackage dave = keyPackage(identity(cs, "dave")).keyPackage();
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Add(dave)), value(new Proposal.Add(dave))), bad);
        KeyPackage cAgain = keyPackage(c.identity()).keyPackage();
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Add(cAgain))), bad);
        assertRejected(b, forged(a, wireFormat, value(new Proposal.ExternalInit(RANDOM.bytes(32)))), bad);
        Proposal samePsk = psk(cs);
        assertRejected(b, forged(a, wireFormat, value(samePsk), value(samePsk)), bad);
        Proposal shortNonce = new Proposal.PreSharedKey(PreSharedKeyId.external(utf8("k"), new byte[3]));
        assertRejected(b, forged(a, wireFormat, value(shortNonce)), bad);
        Proposal branchPsk = new Proposal.PreSharedKey(PreSharedKeyId.resumption(PreSharedKeyId.USAGE_BRANCH, a.groupId(),
                0, RANDOM.bytes(cs.kdf().length())));
        assertRejected(b, forged(a, wireFormat, value(branchPsk)), bad);
        Proposal unsupported = new Proposal.GroupContextExtensions(Collections.singletonList(
                new Extension(0xF0F0, utf8("nobody supports this"))));
        assertRejected(b, forged(a, wireFormat, value(unsupported)), bad);
        // An Update by value is the committer's own: it must use the path instead.
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Update(updateLeaf(a)))), bad);

        // Update and Remove of the same leaf: C's Update by reference, C's removal by value.
        byte[] cUpdate = c.proposeUpdate(null);
        ProposalOrRef cRef = ProposalOrRef.byReference(b.process(cUpdate).proposalRef());
        assertRejected(b, forged(a, wireFormat, cRef, value(new Proposal.Remove(2))), bad);
        // The committer's own Update by reference.
        byte[] aUpdate = a.proposeUpdate(null);
        ProposalOrRef aRef = ProposalOrRef.byReference(b.process(aUpdate).proposalRef());
        assertRejected(b, forged(a, wireFormat, aRef), bad);

        // Proposals that need a path, without one.
        assertRejected(b, forged(a, wireFormat, value(new Proposal.Remove(3))), ErrorCode.INVALID_COMMIT);
        assertRejected(b, forged(a, wireFormat), ErrorCode.INVALID_COMMIT);
        assertRejected(b, forged(a, wireFormat, cRef), ErrorCode.INVALID_COMMIT);

        // After all that, a genuine commit of both Updates by reference goes through everywhere.
        Group d = all.get(3);
        a.process(cUpdate);
        c.process(aUpdate);
        d.process(cUpdate);
        d.process(aUpdate);
        StagedCommit genuine = b.commit(new ArrayList<>(), false, null);
        org.junit.jupiter.api.Assertions.assertEquals(2, genuine.updated().size());
        deliver(b, genuine, all);
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void badKeyPackagesAndPathsAreRefused(CipherSuite cs) {
        int wf = WireFormat.PUBLIC_MESSAGE;
        List<Group> all = GroupFixture.group(cs, 4, handshake(wf));
        Group a = all.get(0);
        Group b = all.get(1);
        // KeyPackages: expired, and with a signature that does not verify.
        long now = System.currentTimeMillis() / 1000;
        KeyPackage expired = org.mlskit.keys.KeyPackageBundle.create(identity(cs, "old"), now - 7200, now - 3600,
                Collections.<Extension>emptyList(), Collections.<Extension>emptyList(), false, RANDOM).keyPackage();
        assertRejected(b, forged(a, wf, value(new Proposal.Add(expired))), ErrorCode.EXPIRED);
        KeyPackage good = keyPackage(identity(cs, "erin")).keyPackage();
        byte[] sig = good.signature.clone();
        sig[sig.length / 2] ^= 1;
        KeyPackage badSig = new KeyPackage(good.version, good.cipherSuite, good.initKey, good.leafNode, good.extensions, sig);
        assertRejected(b, forged(a, wf, value(new Proposal.Add(badSig))), ErrorCode.INVALID_SIGNATURE);
        // Paths: a leaf naming another client, a leaf of the wrong source, a path of the wrong length.
        List<ProposalOrRef> remove = list(value(new Proposal.Remove(3)));
        LeafNode current = a.state().tree.leaf(0);
        LeafNode otherClient = commitLeaf(a, org.mlskit.keys.Credential.basic(utf8("mallory")), LeafNode.SOURCE_COMMIT);
        assertRejected(b, Forge.commit(a, remove, new UpdatePath(otherClient, new ArrayList<UpdatePath.Node>()),
                Forge.garbageTag(a), wf), ErrorCode.INVALID_COMMIT);
        LeafNode updateSourced = commitLeaf(a, current.credential, LeafNode.SOURCE_UPDATE);
        assertRejected(b, Forge.commit(a, remove, new UpdatePath(updateSourced, new ArrayList<UpdatePath.Node>()),
                Forge.garbageTag(a), wf), ErrorCode.INVALID_LEAF_NODE);
        LeafNode sameClient = commitLeaf(a, current.credential, LeafNode.SOURCE_COMMIT);
        assertRejected(b, Forge.commit(a, remove, new UpdatePath(sameClient, new ArrayList<UpdatePath.Node>()),
                Forge.garbageTag(a), wf), ErrorCode.INVALID_TREE);
        // A genuine commit's path with the leaf swapped: its parent hash no longer matches.
        StagedCommit genuine = a.remove(3);
        UpdatePath path = ((PublicMessage) MlsMessage.fromBytes(genuine.message()).body).content.commit.path;
        assertRejected(b, Forge.commit(a, remove, new UpdatePath(sameClient, path.nodes), Forge.garbageTag(a), wf),
                ErrorCode.INVALID_PARENT_HASH);
        deliver(a, genuine, all.subList(0, 3));
        assertAgree(all.subList(0, 3));
    }

    /** A commit-sourced leaf for {@code g}'s member with this credential, a fresh key and a made-up parent hash. */
    private static LeafNode commitLeaf(Group g, org.mlskit.keys.Credential credential, int source) {
        LeafNode current = g.state().tree.leaf(g.myLeafIndex());
        LeafNode unsigned = new LeafNode(g.suite().hpke().generateKeyPair(RANDOM).publicKey(), current.signatureKey,
                credential, current.capabilities, source, null,
                source == LeafNode.SOURCE_COMMIT ? RANDOM.bytes(g.suite().kdf().length()) : null, current.extensions,
                new byte[0]);
        return unsigned.withSignature(g.identity().sign("LeafNodeTBS", unsigned.toBeSigned(g.groupId(), g.myLeafIndex())));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalCommitsOfTheWrongShapeAreRefused(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group b = all.get(1);
        Identity dave = identity(cs, "dave");
        Group.ExternalJoin join = Group.joinExternally(all.get(0).groupInfo(true, true), dave, null, -1,
                Collections.<PreSharedKeyId>emptyList(), null, GroupConfig.DEFAULT, RANDOM);
        PublicMessage genuine = (PublicMessage) MlsMessage.fromBytes(join.commit()).body;
        Commit commit = genuine.content.commit;
        ProposalOrRef externalInit = commit.proposals.get(0);
        KeyPackage erin = keyPackage(identity(cs, "erin")).keyPackage();
        // A proposal B has cached: known, but an external commit may not refer to anything.
        byte[] someRef = b.process(all.get(0).proposeRemove(2, null)).proposalRef();
        ErrorCode bad = ErrorCode.INVALID_COMMIT;
        assertRejected(b, resigned(b, dave, list(externalInit, value(new Proposal.Add(erin))), commit), bad);
        assertRejected(b, resigned(b, dave, list(externalInit, ProposalOrRef.byReference(someRef)), commit), bad);
        assertRejected(b, resigned(b, dave, list(externalInit, externalInit), commit), bad);
        assertRejected(b, resigned(b, dave, list(value(new Proposal.Remove(2))), commit), bad);
        assertRejected(b, resigned(b, dave, list(externalInit, value(new Proposal.Remove(1)),
                value(new Proposal.Remove(2))), commit), bad);
        // The genuine one is fine.
        GroupFixture.receiveCommit(b, join.commit());
    }

    /** A well-formed update leaf for {@code g}'s member: fresh HPKE key, signed for its leaf. */
    private static LeafNode updateLeaf(Group g) {
        LeafNode current = g.state().tree.leaf(g.myLeafIndex());
        LeafNode unsigned = new LeafNode(g.suite().hpke().generateKeyPair(RANDOM).publicKey(), current.signatureKey,
                current.credential, current.capabilities, LeafNode.SOURCE_UPDATE, null, null, current.extensions,
                new byte[0]);
        return unsigned.withSignature(g.identity().sign("LeafNodeTBS", unsigned.toBeSigned(g.groupId(), g.myLeafIndex())));
    }

    /** The external commit with other proposals, re-signed by the joiner (with a garbage confirmation tag). */
    private static byte[] resigned(Group receiver, Identity joiner, List<ProposalOrRef> proposals, Commit original) {
        FramedContent content = FramedContent.commit(receiver.groupId(), receiver.epoch(), Sender.newMemberCommit(),
                new byte[0], new Commit(proposals, original.path));
        byte[] signature = ContentSigning.sign(receiver.suite(), joiner.signaturePrivateKey(), WireFormat.PUBLIC_MESSAGE,
                content, receiver.context());
        return new MlsMessage(WireFormat.PUBLIC_MESSAGE, new PublicMessage(content,
                new FramedContentAuthData(signature, Forge.garbageTag(receiver)), null)).toBytes();
    }
}
