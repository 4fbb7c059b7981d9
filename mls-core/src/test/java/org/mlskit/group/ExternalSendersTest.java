package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.joiner;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.receiveCommit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.Sender;
import org.mlskit.group.GroupFixture.Joiner;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/** Proposals from outside the group: external senders (§12.1.8.1) and new members proposing their own Add. */
class ExternalSendersTest {

    /** A three-member group whose external_senders extension lists {@code server} at index 0. */
    private static List<Group> groupWithExternalSender(CipherSuite cs, Identity server) {
        Extension ext = ExternalSenders.toExtension(Collections.singletonList(
                new ExternalSenders.Entry(server.signaturePublicKey(), server.credential())));
        List<Identity> ids = Arrays.asList(identity(cs, "m0"), identity(cs, "m1"), identity(cs, "m2"));
        return new ArrayList<>(GroupFixture.group(ids, Collections.singletonList(ext), GroupConfig.DEFAULT));
    }

    /** Every member caches {@code proposal} as one from a non-member (no leaf) with {@code sender}'s credential. */
    private static void deliverNonMemberProposal(byte[] proposal, Identity sender, List<Group> all) {
        for (Group g : all) {
            ProcessedMessage pm = g.process(proposal);
            assertEquals(ProcessedMessage.Kind.PROPOSAL, pm.kind);
            assertEquals(-1, pm.senderLeaf());
            assertArrayEquals(sender.credential().toBytes(), pm.senderCredential.toBytes());
        }
    }

    /** External sender 0 ({@code server}) sends {@code proposal} to the group, and every member caches it. */
    private static void serverProposes(Identity server, List<Group> all, Proposal proposal) {
        byte[] message = Forge.nonMemberProposal(server, Sender.external(0), all.get(0), proposal);
        deliverNonMemberProposal(message, server, all);
    }

    /** {@code committer} commits the cached Add of {@code joiner}, who joins from the Welcome; all agree and talk. */
    private static void commitAddAndJoin(Group committer, List<Group> all, Joiner joiner) {
        StagedCommit sc = committer.commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.added().size());
        deliver(committer, sc, all);
        all.add(joiner.join(sc.welcome(), GroupConfig.DEFAULT));
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalSenderRemovesAMember(CipherSuite cs) {
        Identity server = identity(cs, "server");
        List<Group> all = groupWithExternalSender(cs, server);
        serverProposes(server, all, new Proposal.Remove(2));
        Group a = all.get(0);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertEquals(2, sc.removed().get(0).leafIndex);
        Group c = all.remove(2);
        deliver(a, sc, all);
        assertTrue(receiveCommit(c, sc.message()).removesMe());
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalSenderAddsAMember(CipherSuite cs) {
        Identity server = identity(cs, "server");
        List<Group> all = groupWithExternalSender(cs, server);
        Joiner dave = joiner(cs, "dave");
        serverProposes(server, all, new Proposal.Add(dave.keyPackage()));
        commitAddAndJoin(all.get(1), all, dave);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void newMemberProposesItsOwnAdd(CipherSuite cs) {
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, GroupConfig.DEFAULT));
        Joiner carol = joiner(cs, "carol");
        byte[] proposal = Forge.nonMemberProposal(carol.identity, Sender.newMemberProposal(), all.get(0),
                new Proposal.Add(carol.keyPackage()));
        deliverNonMemberProposal(proposal, carol.identity, all);
        commitAddAndJoin(all.get(0), all, carol);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void badExternalProposalsAreRejected(CipherSuite cs) {
        Identity server = identity(cs, "server");
        List<Group> all = groupWithExternalSender(cs, server);
        Group b = all.get(1);
        // An index the extension does not list.
        assertRejected(b, Forge.nonMemberProposal(server, Sender.external(1), b, new Proposal.Remove(2)),
                ErrorCode.UNKNOWN_MEMBER);
        // Signed by someone else than the listed sender.
        Identity mallory = identity(cs, "mallory");
        assertRejected(b, Forge.nonMemberProposal(mallory, Sender.external(0), b, new Proposal.Remove(2)),
                ErrorCode.INVALID_SIGNATURE);
        // External senders cannot propose Updates.
        Proposal.Update update = new Proposal.Update(b.state().tree.leaf(2));
        assertRejected(b, Forge.nonMemberProposal(server, Sender.external(0), b, update), ErrorCode.INVALID_PROPOSAL);
        // A Remove of a blank leaf.
        assertRejected(b, Forge.nonMemberProposal(server, Sender.external(0), b, new Proposal.Remove(7)),
                ErrorCode.INVALID_PROPOSAL);
        // A new member may only propose its own Add.
        assertRejected(b, Forge.nonMemberProposal(mallory, Sender.newMemberProposal(), b, new Proposal.Remove(2)),
                ErrorCode.WRONG_CONTENT_TYPE);
        // A new member proposing someone else's KeyPackage signs with a key that is not the KeyPackage's.
        KeyPackageBundle dave = keyPackage(identity(cs, "dave"));
        assertRejected(b, Forge.nonMemberProposal(mallory, Sender.newMemberProposal(), b, new Proposal.Add(dave.keyPackage())),
                ErrorCode.INVALID_SIGNATURE);
        // A group without external senders knows no external sender at all.
        List<Group> plain = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        assertRejected(plain.get(1), Forge.nonMemberProposal(server, Sender.external(0), plain.get(1),
                new Proposal.Remove(0)), ErrorCode.UNKNOWN_MEMBER);
        // The genuine one still goes through.
        serverProposes(server, all, new Proposal.Remove(2));
    }
}
