package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.joiner;
import static org.mlskit.group.GroupFixture.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupFixture.Joiner;
import org.mlskit.schedule.PreSharedKeyId;

/** Pre-shared keys (§8.4, §12.1.4): external PSKs from the application's store and resumption PSKs of past epochs. */
class PskTest {
    private static final byte[] PSK_ID = utf8("team-secret");

    /** The default config with a store that knows one external PSK, {@code PSK_ID}, as a fresh random secret. */
    private static GroupConfig configWithPsk() {
        byte[] secret = RANDOM.bytes(32);
        return GroupConfig.DEFAULT.withPskStore(id -> Arrays.equals(id, PSK_ID) ? secret.clone() : null);
    }

    /** {@code PSK_ID} with a fresh nonce. */
    private static PreSharedKeyId pskId(CipherSuite cs) {
        return PreSharedKeyId.external(PSK_ID, RANDOM.bytes(cs.kdf().length()));
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalPskByReferenceAndByValue(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, configWithPsk());
        Group a = all.get(0);
        Group b = all.get(1);
        deliverProposal(b.proposeExternalPsk(PSK_ID, null), b, all);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.psks().size());
        assertArrayEquals(PSK_ID, sc.psks().get(0).pskId());
        deliver(a, sc, all);
        assertAgree(all);
        // By value, with a path.
        Proposal byValue = new Proposal.PreSharedKey(pskId(cs));
        deliver(b, b.commit(Collections.singletonList(byValue), true, null), all);
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void memberWithoutThePskCannotFollow(CipherSuite cs) {
        GroupConfig config = configWithPsk();
        List<Group> all = GroupFixture.group(cs, 3, config);
        Group c = all.get(2);
        c.setConfig(GroupConfig.DEFAULT);
        Group a = all.get(0);
        StagedCommit sc = a.commit(Collections.singletonList(new Proposal.PreSharedKey(pskId(cs))), false, null);
        deliver(a, sc, all.get(1));
        assertRejected(c, sc.message(), ErrorCode.MISSING_PSK);
        // A different secret under the same id gives another epoch: the confirmation tag says so.
        c.setConfig(configWithPsk());
        assertRejected(c, sc.message(), ErrorCode.INVALID_CONFIRMATION_TAG);
        // Once the application supplies it, the same commit goes through.
        c.setConfig(config);
        GroupFixture.receiveCommit(c, sc.message());
        assertAgree(all);
        // A committer without the PSK cannot commit it.
        c.setConfig(GroupConfig.DEFAULT);
        Proposal psk = new Proposal.PreSharedKey(pskId(cs));
        assertFails(ErrorCode.MISSING_PSK, () -> c.commit(Collections.singletonList(psk), false, null));
        assertEquals(null, c.stagedCommit());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void committerLeavesOutACachedPskItDoesNotHave(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group b = all.get(1);
        b.setConfig(configWithPsk());
        deliverProposal(b.proposeExternalPsk(PSK_ID, null), b, all);
        // A does not know the PSK: its commits leave the proposal out instead of failing (§12.2).
        Group a = all.get(0);
        StagedCommit sc = a.update();
        assertEquals(0, sc.psks().size());
        deliver(a, sc, all);
        assertAgree(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void joinerNeedsThePskOfTheWelcome(CipherSuite cs) {
        GroupConfig config = configWithPsk();
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, config));
        Joiner carol = joiner(cs, "carol");
        List<Proposal> ps = Arrays.asList(new Proposal.Add(carol.keyPackage()), new Proposal.PreSharedKey(pskId(cs)));
        StagedCommit sc = all.get(0).commit(ps, false, null);
        deliver(all.get(0), sc, all);
        assertFails(ErrorCode.MISSING_PSK, () -> carol.join(sc.welcome(), GroupConfig.DEFAULT));
        all.add(carol.join(sc.welcome(), config));
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalJoinWithAPsk(CipherSuite cs) {
        GroupConfig config = configWithPsk();
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, config));
        List<PreSharedKeyId> psks = Collections.singletonList(pskId(cs));
        assertFails(ErrorCode.MISSING_PSK, () -> Group.joinExternally(all.get(0).groupInfo(true, true),
                identity(cs, "carol"), null, -1, psks, null, GroupConfig.DEFAULT, RANDOM));
        Group.ExternalJoin join = Group.joinExternally(all.get(0).groupInfo(true, true), identity(cs, "carol"), null, -1,
                psks, null, config, RANDOM);
        assertEquals(1, GroupFixture.acceptExternalJoin(all, join).psks().size());
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void resumptionPskOfARetainedEpoch(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = all.get(0);
        Group b = all.get(1);
        deliver(a, a.update(), all);
        long past = a.epoch() - 1;
        byte[] resumption = a.resumptionPsk(past);
        assertArrayEquals(resumption, b.resumptionPsk(past));
        byte[] proposal = b.proposeResumptionPsk(past, null);
        deliverProposal(proposal, b, all);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertEquals(PreSharedKeyId.RESUMPTION, sc.psks().get(0).type());
        assertEquals(past, sc.psks().get(0).epoch());
        deliver(a, sc, all);
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void resumptionPskOutOfRetentionIsMissing(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = all.get(0);
        Group c = all.get(2);
        c.setConfig(GroupConfig.DEFAULT.withRetainedEpochs(0));
        deliver(a, a.update(), all);
        long past = a.epoch() - 1;
        assertEquals(null, c.resumptionPsk(past));
        Proposal psk = new Proposal.PreSharedKey(PreSharedKeyId.resumption(PreSharedKeyId.USAGE_APPLICATION, a.groupId(),
                past, RANDOM.bytes(cs.kdf().length())));
        StagedCommit sc = a.commit(Collections.singletonList(psk), false, null);
        deliver(a, sc, all.get(1));
        assertRejected(c, sc.message(), ErrorCode.MISSING_PSK);
        assertFalse(c.epoch() == a.epoch());
    }
}
