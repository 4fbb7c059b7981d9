package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgree;
import static org.mlskit.group.GroupFixture.assertAllTalk;
import static org.mlskit.group.GroupFixture.assertRejected;
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
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.PreSharedKeyId;

/** Pre-shared keys (§8.4, §12.1.4): external PSKs from the application's store and resumption PSKs of past epochs. */
class PskTest {
    private static final byte[] PSK_ID = utf8("team-secret");

    /** A store that knows one external PSK. */
    private static PskStore storeWith(byte[] secret) {
        return id -> Arrays.equals(id, PSK_ID) ? secret.clone() : null;
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalPskByReferenceAndByValue(CipherSuite cs) {
        GroupConfig config = GroupConfig.DEFAULT.withPskStore(storeWith(RANDOM.bytes(32)));
        List<Group> all = GroupFixture.group(cs, 3, config);
        Group a = all.get(0);
        Group b = all.get(1);
        deliverProposal(b.proposeExternalPsk(PSK_ID, null), b, all);
        StagedCommit sc = a.commit(new ArrayList<>(), false, null);
        assertEquals(1, sc.psks().size());
        assertArrayEquals(PSK_ID, sc.psks().get(0).pskId());
        deliver(a, sc, all);
        assertAgree(all);
        // By value, with a path.
        Proposal byValue = new Proposal.PreSharedKey(PreSharedKeyId.external(PSK_ID, RANDOM.bytes(cs.kdf().length())));
        deliver(b, b.commit(Collections.singletonList(byValue), true, null), all);
        assertAgree(all);
        assertAllTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void memberWithoutThePskCannotFollow(CipherSuite cs) {
        PskStore store = storeWith(RANDOM.bytes(32));
        GroupConfig config = GroupConfig.DEFAULT.withPskStore(store);
        List<Group> all = GroupFixture.group(cs, 3, config);
        Group c = all.get(2);
        c.setConfig(GroupConfig.DEFAULT);
        Group a = all.get(0);
        Proposal psk = new Proposal.PreSharedKey(PreSharedKeyId.external(PSK_ID, RANDOM.bytes(cs.kdf().length())));
        StagedCommit sc = a.commit(Collections.singletonList(psk), false, null);
        deliver(a, sc, all.get(1));
        assertRejected(c, sc.message(), ErrorCode.MISSING_PSK);
        // A different secret under the same id gives another epoch: the confirmation tag says so.
        c.setConfig(GroupConfig.DEFAULT.withPskStore(storeWith(RANDOM.bytes(32))));
        assertRejected(c, sc.message(), ErrorCode.INVALID_CONFIRMATION_TAG);
        // Once the application supplies it, the same commit goes through.
        c.setConfig(config);
        GroupFixture.receiveCommit(c, sc.message());
        assertAgree(all);
        // A committer without the PSK cannot commit it.
        c.setConfig(GroupConfig.DEFAULT);
        MlsException e = assertThrows(MlsException.class, () -> c.commit(Collections.singletonList(
                new Proposal.PreSharedKey(PreSharedKeyId.external(PSK_ID, RANDOM.bytes(cs.kdf().length())))), false, null));
        assertEquals(ErrorCode.MISSING_PSK, e.code());
        assertEquals(null, c.stagedCommit());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void committerLeavesOutACachedPskItDoesNotHave(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group b = all.get(1);
        b.setConfig(GroupConfig.DEFAULT.withPskStore(storeWith(RANDOM.bytes(32))));
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
        GroupConfig config = GroupConfig.DEFAULT.withPskStore(storeWith(RANDOM.bytes(32)));
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, config));
        Identity carol = identity(cs, "carol");
        KeyPackageBundle kp = keyPackage(carol);
        List<Proposal> ps = Arrays.asList(new Proposal.Add(kp.keyPackage()),
                new Proposal.PreSharedKey(PreSharedKeyId.external(PSK_ID, RANDOM.bytes(cs.kdf().length()))));
        StagedCommit sc = all.get(0).commit(ps, false, null);
        deliver(all.get(0), sc, all);
        MlsException e = assertThrows(MlsException.class,
                () -> Group.join(sc.welcome(), kp, carol, null, GroupConfig.DEFAULT, RANDOM));
        assertEquals(ErrorCode.MISSING_PSK, e.code());
        all.add(Group.join(sc.welcome(), kp, carol, null, config, RANDOM));
        assertAgree(all);
        assertAllTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void externalJoinWithAPsk(CipherSuite cs) {
        GroupConfig config = GroupConfig.DEFAULT.withPskStore(storeWith(RANDOM.bytes(32)));
        List<Group> all = new ArrayList<>(GroupFixture.group(cs, 2, config));
        List<PreSharedKeyId> psks = Collections.singletonList(PreSharedKeyId.external(PSK_ID,
                RANDOM.bytes(cs.kdf().length())));
        MlsException missing = assertThrows(MlsException.class, () -> Group.joinExternally(all.get(0).groupInfo(true, true),
                identity(cs, "carol"), null, -1, psks, null, GroupConfig.DEFAULT, RANDOM));
        assertEquals(ErrorCode.MISSING_PSK, missing.code());
        Group.ExternalJoin join = Group.joinExternally(all.get(0).groupInfo(true, true), identity(cs, "carol"), null, -1,
                psks, null, config, RANDOM);
        assertEquals(1, GroupFixture.acceptExternalJoin(all, join).psks().size());
        assertAgree(all);
        assertAllTalk(all);
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
        assertAgree(all);
        assertAllTalk(all);
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
