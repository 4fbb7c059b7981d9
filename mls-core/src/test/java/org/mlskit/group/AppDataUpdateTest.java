package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.addByWelcome;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.suite;
import static org.mlskit.group.GroupFixture.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.AppDataDictionary;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.RequiredCapabilities;

/** AppDataUpdate and the app_data_dictionary GroupContext extension (draft-ietf-mls-extensions): group metadata. */
class AppDataUpdateTest {
    /** Private-use component ids an application picks for its metadata. */
    private static final int NAME = 0x8001;
    private static final int TOPIC = 0x8002;
    private static final int COUNTER = 0x8003;

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#suitesAndWireFormats")
    void metadataIsUpdatedWithoutAPathAndSeenByJoiners(CipherSuite cs, int wireFormat) {
        GroupConfig config = GroupFixture.handshake(wireFormat);
        List<Extension> initial = Collections.singletonList(AppDataDictionary.EMPTY.with(NAME, utf8("climbers")).toExtension());
        List<Group> all = new ArrayList<>(GroupFixture.group(Arrays.asList(identity(cs, "a"), identity(cs, "b"),
                identity(cs, "c")), initial, config));
        assertArrayEquals(utf8("climbers"), all.get(2).appData().get(NAME));
        deliverProposal(all.get(1).proposeAppDataUpdate(TOPIC, utf8("alps"), null), all.get(1), all);
        deliverProposal(all.get(2).proposeAppDataUpdate(NAME, utf8("hikers"), null), all.get(2), all);
        StagedCommit sc = all.get(0).commit(new ArrayList<>(), false, null);
        assertFalse(sc.hasUpdatePath(), "AppDataUpdate needs no UpdatePath");
        assertTrue(sc.changesExtensions());
        deliver(all.get(0), sc, all);
        for (Group g : all) {
            AppDataDictionary d = g.appData();
            assertEquals(Arrays.asList(NAME, TOPIC), d.componentIds(), "sorted by component id");
            assertArrayEquals(utf8("hikers"), d.get(NAME));
            assertArrayEquals(utf8("alps"), d.get(TOPIC));
        }
        all.addAll(addByWelcome(all.get(1), all, Collections.singletonList(identity(cs, "d")), config));
        assertArrayEquals(utf8("alps"), all.get(3).appData().get(TOPIC));
        // Removal by value in a commit.
        StagedCommit rm = all.get(3).commit(Collections.<Proposal>singletonList(new Proposal.AppDataUpdate(TOPIC, null)),
                false, null);
        deliver(all.get(3), rm, all);
        for (Group g : all) {
            assertNull(g.appData().get(TOPIC));
            assertArrayEquals(utf8("hikers"), g.appData().get(NAME));
        }
        assertAgreeAndTalk(all);
    }

    @Test
    void theApplicationLogicFoldsUpdatesInCommitOrder() {
        CipherSuite cs = suite(1);
        // A counter component: each update adds its single byte to the current value.
        AppDataUpdater adder = new AppDataUpdater() {
            @Override
            public boolean knows(int componentId) {
                return componentId == COUNTER;
            }

            @Override
            public byte[] apply(int componentId, byte[] current, List<byte[]> updates) {
                int v = current == null ? 0 : current[0];
                for (byte[] u : updates) {
                    if (u.length != 1) {
                        return null;
                    }
                    v += u[0];
                }
                return new byte[] {(byte) v};
            }
        };
        GroupConfig config = GroupConfig.DEFAULT.withAppDataUpdater(adder);
        List<Group> all = GroupFixture.group(cs, 3, config);
        deliverProposal(all.get(1).proposeAppDataUpdate(COUNTER, new byte[] {2}, null), all.get(1), all);
        deliverProposal(all.get(2).proposeAppDataUpdate(COUNTER, new byte[] {5}, null), all.get(2), all);
        deliver(all.get(0), all.get(0).commit(new ArrayList<>(), false, null), all);
        for (Group g : all) {
            assertArrayEquals(new byte[] {7}, g.appData().get(COUNTER));
        }
        // An unknown component, and a removal of data that does not exist, are invalid proposals.
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(1).proposeAppDataUpdate(NAME, utf8("x"), null));
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(1).proposeAppDataRemove(0x9999, null));
        // Updates the logic refuses make the commit invalid.
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).commit(Collections.<Proposal>singletonList(
                new Proposal.AppDataUpdate(COUNTER, new byte[] {1, 2})), false, null));
        // A received proposal for a component this member does not know is refused, the group unchanged.
        Group lax = GroupFixture.copy(all.get(1));
        lax.setConfig(GroupConfig.DEFAULT);
        byte[] unknown = lax.proposeAppDataUpdate(NAME, utf8("x"), null);
        assertRejected(all.get(2), unknown, ErrorCode.INVALID_PROPOSAL);
    }

    @Test
    void removeAndUpdateOfOneComponentInOneCommitIsInvalid() {
        CipherSuite cs = suite(1);
        List<Extension> initial = Collections.singletonList(AppDataDictionary.EMPTY.with(NAME, utf8("n")).toExtension());
        List<Group> all = GroupFixture.group(Arrays.asList(identity(cs, "a"), identity(cs, "b")), initial, GroupConfig.DEFAULT);
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).commit(Arrays.<Proposal>asList(
                new Proposal.AppDataUpdate(NAME, null), new Proposal.AppDataUpdate(NAME, utf8("m"))), false, null));
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).commit(Arrays.<Proposal>asList(
                new Proposal.AppDataUpdate(NAME, null), new Proposal.AppDataUpdate(NAME, null)), false, null));
        // A received commit with both is refused too (forged: our own builder will not make it).
        byte[] forged = Forge.commit(all.get(1), Arrays.asList(ProposalOrRef.byValue(new Proposal.AppDataUpdate(NAME, null)),
                ProposalOrRef.byValue(new Proposal.AppDataUpdate(NAME, utf8("m")))), null, Forge.garbageTag(all.get(1)),
                WireFormat.PUBLIC_MESSAGE);
        assertRejected(all.get(0), forged, ErrorCode.INVALID_PROPOSAL);
    }

    @Test
    void withAppDataUpdateRequiredGroupContextExtensionsLeaveTheDictionaryAlone() {
        CipherSuite cs = suite(1);
        RequiredCapabilities required = new RequiredCapabilities(new int[] {ExtensionType.APP_DATA_DICTIONARY},
                new int[] {Proposal.APP_DATA_UPDATE}, new int[0]);
        Extension dict = AppDataDictionary.EMPTY.with(NAME, utf8("n")).toExtension();
        Extension req = required.toExtension();
        List<Group> all = GroupFixture.group(Arrays.asList(identity(cs, "a"), identity(cs, "b")), Arrays.asList(req, dict),
                GroupConfig.DEFAULT);
        Extension changed = AppDataDictionary.EMPTY.with(NAME, utf8("other")).toExtension();
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).proposeGroupContextExtensions(Arrays.asList(req, changed), null));
        // Keeping the dictionary as it is, the proposal is fine.
        assertEquals(ProcessedMessage.Kind.PROPOSAL,
                all.get(1).process(all.get(0).proposeGroupContextExtensions(Arrays.asList(req, dict), null)).kind);
    }

    @Test
    void everyRemainingMemberMustSupportTheProposalType() {
        CipherSuite cs = suite(1);
        Identity plain = identity(cs, "plain").withCapabilities(new Capabilities(new int[] {1}, new int[] {cs.id()},
                new int[] {ExtensionType.APP_DATA_DICTIONARY}, new int[0], new int[] {Credential.BASIC}));
        List<Group> all = GroupFixture.group(Arrays.asList(identity(cs, "a"), identity(cs, "b"), plain),
                Collections.<Extension>emptyList(), GroupConfig.DEFAULT);
        Proposal name = new Proposal.AppDataUpdate(NAME, utf8("n"));
        assertFails(ErrorCode.INVALID_PROPOSAL, () -> all.get(0).commit(Collections.singletonList(name), false, null));
        // The member that lacks it is removed by the same commit: it need not support it (RFC 9420 §12.2).
        StagedCommit sc = all.get(0).commit(Arrays.asList(new Proposal.Remove(2), name), false, null);
        deliver(all.get(0), sc, all.subList(1, 2));
        assertArrayEquals(utf8("n"), all.get(1).appData().get(NAME));
    }

    @Test
    void dictionaryCodecKeepsOrderAndRefusesUnsortedInput() {
        AppDataDictionary d = AppDataDictionary.EMPTY.with(5, utf8("e")).with(2, utf8("b")).with(9, utf8("i"));
        assertEquals(Arrays.asList(2, 5, 9), d.componentIds());
        AppDataDictionary back = AppDataDictionary.fromBytes(d.toBytes());
        assertArrayEquals(d.toBytes(), back.toBytes());
        assertEquals(Arrays.asList(2, 9), d.without(5).componentIds());
        byte[] unsorted = {8, 0, 5, 1, 'e', 0, 2, 1, 'b'};
        MlsException e = assertFails(ErrorCode.MALFORMED, () -> AppDataDictionary.fromBytes(unsorted));
        assertTrue(e.getMessage().contains("sorted"), e.getMessage());
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> AppDataDictionary.EMPTY.with(0x10000, new byte[0]));
    }
}
