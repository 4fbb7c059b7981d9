package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.assertRejected;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.receiveCommit;
import static org.mlskit.group.GroupFixture.utf8;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.crypto.CipherSuite;

/** Past epochs: late application messages within retention, nothing beyond it, and nothing for removed members. */
class RetentionTest {

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void lateMessagesDecryptWithinRetentionOnly(CipherSuite cs) {
        for (int retained = 0; retained <= 2; retained++) {
            List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT.withRetainedEpochs(retained));
            Group a = all.get(0);
            Group b = all.get(1);
            // A writes one message per epoch; B reads none of them yet.
            List<byte[]> late = new ArrayList<>();
            for (int i = 0; i <= retained + 1; i++) {
                late.add(a.encrypt(utf8("epoch " + a.epoch()), null));
                deliver(a, a.update(), b);
            }
            // late.get(i) was sent (retained + 2 - i) epochs ago.
            for (int i = 0; i < late.size(); i++) {
                int age = late.size() - i;
                if (age <= retained) {
                    assertEquals(ProcessedMessage.Kind.APPLICATION, b.process(late.get(i)).kind);
                } else {
                    assertRejected(b, late.get(i), ErrorCode.WRONG_EPOCH);
                }
            }
            assertNotNull(b.resumptionPsk(b.epoch()));
            assertEquals(retained > 0, b.resumptionPsk(b.epoch() - 1) != null);
        }
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void handshakeMessagesOfPastEpochsAreRefused(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = all.get(0);
        Group c = all.get(2);
        byte[] oldProposal = c.proposeRemove(1, null);
        StagedCommit competing = c.update();
        StagedCommit winner = a.update();
        byte[] winnerMessage = winner.message();
        deliver(a, winner, all.get(1));
        assertRejected(all.get(1), oldProposal, ErrorCode.WRONG_EPOCH);
        assertRejected(all.get(1), competing.message(), ErrorCode.WRONG_EPOCH);
        // C lost the race: merging A's commit drops its own staged one.
        receiveCommit(c, winnerMessage);
        assertNull(c.stagedCommit());
        assertFails(ErrorCode.INVALID_STATE, () -> c.merge(competing));
        GroupFixture.assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void removedMemberReadsNothingAfterItsRemoval(CipherSuite cs) {
        List<Group> all = GroupFixture.group(cs, 3, GroupConfig.DEFAULT);
        Group a = all.get(0);
        Group b = all.get(1);
        Group c = all.get(2);
        byte[] beforeRemoval = b.encrypt(utf8("still for c"), null);
        StagedCommit removal = a.remove(2);
        deliver(a, removal, b);
        assertTrue(receiveCommit(c, removal.message()).removesMe());
        assertEquals(Group.Status.REMOVED, c.status());
        // What was sent before the removal, C still reads.
        assertEquals("still for c", new String(c.process(beforeRemoval).applicationData(),
                java.nio.charset.StandardCharsets.UTF_8));
        // Nothing after it.
        assertRejected(c, b.encrypt(utf8("not for c"), null), ErrorCode.WRONG_EPOCH);
        StagedCommit next = a.update();
        deliver(a, next, b);
        assertRejected(c, next.message(), ErrorCode.WRONG_EPOCH);
        assertRejected(c, a.encrypt(utf8("not for c either"), null), ErrorCode.WRONG_EPOCH);
        // And it can send nothing.
        assertFails(ErrorCode.INVALID_STATE, () -> c.encrypt(utf8("hello?"), null));
        assertFails(ErrorCode.INVALID_STATE, c::update);
        assertNull(c.stagedCommit());
    }
}
