package org.mlskit.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.mlskit.sframe.FrameCipherTest.assertCode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlskit.group.Group;
import org.mlskit.group.StagedCommit;

/** The RFC 9605 §5.2 key manager over real mls-core groups. */
class MlsSFrameKeysTest {
    private static final byte[] MD = "rtp header ext".getBytes(StandardCharsets.US_ASCII);
    private static final long GRACE = 5_000;

    private static byte[] frame(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<MlsSFrameKeys> managers(List<Group> groups, SFrameSuite suite, int epochBits, MlsCallCheck.ManualClock clock) {
        return managers(groups, suite, epochBits, GRACE, clock);
    }

    private static List<MlsSFrameKeys> managers(List<Group> groups, SFrameSuite suite, int epochBits, long grace,
            MlsCallCheck.ManualClock clock) {
        return MlsCallCheck.managers(groups, suite, epochBits, grace, clock);
    }

    private static void onEpoch(List<Group> groups, List<MlsSFrameKeys> keys) {
        for (int i = 0; i < groups.size(); i++) {
            keys.get(i).onEpoch(groups.get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(SFrameSuite.class)
    void threeMembersDeriveTheSameKeysAndHearEachOther(SFrameSuite suite) {
        List<Group> g = Calls.group(3);
        List<MlsSFrameKeys> k = managers(g, suite, 4, new MlsCallCheck.ManualClock());
        for (int leaf = 0; leaf < 3; leaf++) {
            for (long ctx = 0; ctx < 3; ctx++) {
                long kid = k.get(0).kidOf(leaf, ctx);
                // S = 2 bits for leaves 0..2, E = 4, epoch 1
                assertEquals(ctx << 6 | (long) leaf << 4 | 1, kid);
                SFrameKey ref = k.get(0).deriveForTest(kid);
                for (MlsSFrameKeys m : k) {
                    assertEquals(kid, m.kidOf(leaf, ctx));
                    SFrameKey other = m.deriveForTest(kid);
                    assertArrayEquals(ref.key(), other.key());
                    assertArrayEquals(ref.salt(), other.salt());
                }
            }
        }
        assertNotEquals(Arrays.toString(k.get(0).deriveForTest(k.get(0).kidOf(0, 0)).key()),
                Arrays.toString(k.get(0).deriveForTest(k.get(0).kidOf(1, 0)).key()), "senders have distinct keys");
        for (int s = 0; s < 3; s++) {
            SFrameStream audio = k.get(s).openStream();
            SFrameStream video = k.get(s).openStream();
            assertEquals(0, audio.contextId());
            assertEquals(1, video.contextId());
            for (int n = 0; n < 3; n++) {
                byte[] a = audio.encrypt(MD, frame("audio " + s + "/" + n));
                byte[] v = video.encrypt(MD, frame("video " + s + "/" + n));
                assertEquals(n, SFrameHeader.decode(a).ctr());
                for (int r = 0; r < 3; r++) {
                    if (r == s) {
                        MlsSFrameKeys own = k.get(s);
                        assertCode(SFrameError.UNKNOWN_KEY, () -> own.decrypt(MD, a)); // own keys encrypt only
                        continue;
                    }
                    ReceivedFrame fa = k.get(r).decrypt(MD, a);
                    assertEquals("audio " + s + "/" + n, new String(fa.plaintext, StandardCharsets.UTF_8));
                    assertEquals(s, fa.senderLeaf);
                    assertEquals(0, fa.contextId);
                    assertEquals(1, fa.epoch);
                    ReceivedFrame fv = k.get(r).decrypt(MD, v);
                    assertEquals(1, fv.contextId);
                    assertEquals("video " + s + "/" + n, new String(fv.plaintext, StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** The scenario the TeaVM builds run too (SFrameJs.callCheck), with every suite. */
    @ParameterizedTest
    @EnumSource(SFrameSuite.class)
    void theWholeCallScenario(SFrameSuite suite) {
        assertEquals(suite + ": 6 frames heard, epochs 1-3, removal ok", MlsCallCheck.run(suite, Calls.RANDOM));
    }

    @Test
    void afterACommitTheEpochBitsChangeAndTheOldEpochDecryptsOnlyWithinTheGracePeriod() {
        List<Group> g = Calls.group(3);
        MlsCallCheck.ManualClock clock = new MlsCallCheck.ManualClock();
        List<MlsSFrameKeys> k = managers(g, SFrameSuite.AES_128_GCM_SHA256_128, 2, clock);
        SFrameStream a = k.get(0).openStream();
        byte[] old1 = a.encrypt(MD, frame("old 1"));
        byte[] old2 = a.encrypt(MD, frame("old 2"));
        byte[] old3 = a.encrypt(MD, frame("old 3"));
        long oldKid = SFrameHeader.decode(old1).kid();

        StagedCommit c = g.get(1).update();
        Calls.deliver(g.get(1), c, g);
        onEpoch(g, k);
        assertEquals(2, k.get(0).currentEpoch());
        assertArrayEquals(new long[] {1, 2}, k.get(1).heldEpochs());
        byte[] fresh = a.encrypt(MD, frame("new"));
        long newKid = SFrameHeader.decode(fresh).kid();
        assertEquals(1, oldKid & 3);
        assertEquals(2, newKid & 3);
        assertEquals(oldKid >>> 2, newKid >>> 2, "same sender and context");
        assertEquals(0, SFrameHeader.decode(fresh).ctr(), "a new epoch's key starts its counter at zero");
        assertEquals("new", new String(k.get(1).decrypt(MD, fresh).plaintext, StandardCharsets.UTF_8));

        // old-epoch frames arriving late: fine within the grace period
        clock.now += GRACE - 1;
        ReceivedFrame r1 = k.get(1).decrypt(MD, old1);
        assertEquals(1, r1.epoch);
        assertEquals("old 1", new String(r1.plaintext, StandardCharsets.UTF_8));
        assertEquals("old 2", new String(k.get(2).decrypt(MD, old2).plaintext, StandardCharsets.UTF_8));
        // and refused once it ran out; the keys are erased
        clock.now += 1;
        assertCode(SFrameError.EXPIRED_EPOCH, () -> k.get(1).decrypt(MD, old3));
        assertCode(SFrameError.EXPIRED_EPOCH, () -> k.get(2).decrypt(MD, old3));
        assertArrayEquals(new long[] {2}, k.get(1).heldEpochs());
        assertEquals("new", new String(k.get(2).decrypt(MD, fresh).plaintext, StandardCharsets.UTF_8));
    }

    @Test
    void aZeroGracePeriodDropsThePreviousEpochAtOnce() {
        List<Group> g = Calls.group(2);
        MlsCallCheck.ManualClock clock = new MlsCallCheck.ManualClock();
        List<MlsSFrameKeys> k = managers(g, SFrameSuite.AES_128_CTR_HMAC_SHA256_80, 4, 0, clock);
        byte[] old = k.get(0).openStream().encrypt(MD, frame("x"));
        Calls.deliver(g.get(0), g.get(0).update(), g);
        onEpoch(g, k);
        assertCode(SFrameError.EXPIRED_EPOCH, () -> k.get(1).decrypt(MD, old));
    }

    @Test
    void aRemovedMemberCannotDecryptTheNewEpoch() {
        List<Group> g = Calls.group(3);
        MlsCallCheck.ManualClock clock = new MlsCallCheck.ManualClock();
        List<MlsSFrameKeys> k = managers(g, SFrameSuite.AES_128_CTR_HMAC_SHA256_64, 4, clock);
        SFrameStream a = k.get(0).openStream();
        byte[] before = a.encrypt(MD, frame("before"));
        assertEquals("before", new String(k.get(1).decrypt(MD, before).plaintext, StandardCharsets.UTF_8));
        byte[] oldBaseKeyOfB = g.get(1).export(MlsSFrameKeys.EXPORTER_LABEL, new byte[0], 48);

        StagedCommit c = g.get(0).remove(1); // leaf 1 becomes blank; leaf 2 keeps S = 2
        Calls.deliver(g.get(0), c, g);
        assertEquals(Group.Status.REMOVED, g.get(1).status());
        k.get(0).onEpoch(g.get(0));
        k.get(2).onEpoch(g.get(2));
        assertCode(SFrameError.INVALID_STATE, () -> k.get(1).onEpoch(g.get(1)));

        byte[] after = a.encrypt(MD, frame("after"));
        assertEquals("after", new String(k.get(2).decrypt(MD, after).plaintext, StandardCharsets.UTF_8));
        assertCode(SFrameError.UNKNOWN_KEY, () -> k.get(1).decrypt(MD, after));
        // even with the new epoch number, the removed member's old secrets do not open it
        MlsSFrameKeys guess = new MlsSFrameKeys(SFrameSuite.AES_128_CTR_HMAC_SHA256_64, 4, GRACE, 128, clock);
        guess.installEpoch(g.get(0).epoch(), oldBaseKeyOfB, 1, new int[] {0, 1, 2});
        assertCode(SFrameError.AUTHENTICATION_FAILED, () -> guess.decrypt(MD, after));
        // and the remaining members no longer accept KIDs of the removed (now blank) leaf
        long kidOfRemoved = k.get(0).kidOf(1, 0);
        byte[] forged = SFrameKey.derive(SFrameSuite.AES_128_CTR_HMAC_SHA256_64, kidOfRemoved,
                g.get(0).export(MlsSFrameKeys.EXPORTER_LABEL, new byte[0], 48)).encrypt(0, MD, frame("x"));
        assertCode(SFrameError.UNKNOWN_KEY, () -> k.get(2).decrypt(MD, forged));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> k.get(0).kidOf(4, 0));
    }

    @Test
    void tamperedFramesFailAuthenticationAndReplaysAreRejected() {
        List<Group> g = Calls.group(2);
        List<MlsSFrameKeys> k = managers(g, SFrameSuite.AES_128_CTR_HMAC_SHA256_32, 4, new MlsCallCheck.ManualClock());
        SFrameStream s = k.get(1).openStream();
        s.encrypt(MD, frame("skip ctr 0"));
        byte[] f = s.encrypt(MD, new byte[100]); // CTR 1: header is the config byte and a 1-byte KID
        int hl = SFrameHeader.decode(f).length();
        assertEquals(2, hl);
        byte[] header = f.clone();
        header[0] ^= 0x01; // CTR 1 -> 0
        byte[] body = f.clone();
        body[hl + 50] ^= 0x01;
        byte[] tag = f.clone();
        tag[f.length - 1] ^= 0x01;
        for (byte[] bad : new byte[][] {header, body, tag}) {
            assertCode(SFrameError.AUTHENTICATION_FAILED, () -> k.get(0).decrypt(MD, bad));
        }
        assertCode(SFrameError.AUTHENTICATION_FAILED, () -> k.get(0).decrypt(frame("other metadata"), f));
        assertCode(SFrameError.MALFORMED, () -> k.get(0).decrypt(MD, Arrays.copyOf(f, hl + 3)));
        assertEquals(100, k.get(0).decrypt(MD, f).plaintext.length);
        assertCode(SFrameError.REPLAY, () -> k.get(0).decrypt(MD, f));
        assertCode(SFrameError.REPLAY, () -> k.get(0).decrypt(MD, f));
    }

    @Test
    void atMostTwoToTheEEpochsAreHeldAndTheOldestIsErasedOnRollover() {
        List<Group> g = Calls.group(2);
        MlsCallCheck.ManualClock clock = new MlsCallCheck.ManualClock();
        List<MlsSFrameKeys> k = managers(g, SFrameSuite.AES_256_GCM_SHA512_128, 1, Long.MAX_VALUE, clock);
        SFrameStream s = k.get(0).openStream();
        byte[] e1 = s.encrypt(MD, frame("epoch 1"));
        Calls.deliver(g.get(1), g.get(1).update(), g);
        onEpoch(g, k);
        byte[] e2 = s.encrypt(MD, frame("epoch 2"));
        assertArrayEquals(new long[] {1, 2}, k.get(1).heldEpochs());
        Calls.deliver(g.get(1), g.get(1).update(), g);
        onEpoch(g, k);
        assertArrayEquals(new long[] {2, 3}, k.get(1).heldEpochs());
        // epoch 1's low bit is epoch 3's: its KID now selects epoch 3's key, which does not open it
        assertEquals(SFrameHeader.decode(e1).kid(), SFrameHeader.decode(s.encrypt(MD, frame("epoch 3"))).kid());
        assertCode(SFrameError.AUTHENTICATION_FAILED, () -> k.get(1).decrypt(MD, e1));
        assertEquals("epoch 2", new String(k.get(1).decrypt(MD, e2).plaintext, StandardCharsets.UTF_8));
    }

    @Test
    void streamsKidsAndEpochInstallation() {
        List<Group> g = Calls.group(3);
        MlsCallCheck.ManualClock clock = new MlsCallCheck.ManualClock();
        MlsSFrameKeys k = new MlsSFrameKeys(SFrameSuite.AES_128_GCM_SHA256_128, 4, GRACE, 128, clock);
        assertEquals(-1, k.currentEpoch());
        SFrameStream early = k.openStream(7);
        assertCode(SFrameError.INVALID_STATE, () -> early.encrypt(MD, frame("x")));
        k.onEpoch(g.get(1));
        assertCode(SFrameError.INVALID_STATE, () -> k.openStream(7));
        assertEquals(0, k.openStream().contextId());
        byte[] f0 = early.encrypt(MD, frame("x"));
        early.encrypt(MD, frame("y"));
        k.onEpoch(g.get(1)); // same epoch again: nothing changes, the counter goes on
        assertEquals(2, SFrameHeader.decode(early.encrypt(MD, frame("z"))).ctr());
        assertEquals(7L << 6 | 1 << 4 | 1, SFrameHeader.decode(f0).kid());
        assertCode(SFrameError.INVALID_STATE, () -> k.installEpoch(1, new byte[16], 1, new int[] {0, 1, 2}));
        assertCode(SFrameError.INVALID_STATE, () -> k.installEpoch(0, new byte[16], 1, new int[] {0, 1, 2}));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> k.installEpoch(5, new byte[15], 1, new int[] {0, 1, 2}));
        // a context id must leave room for S + E = 6 bits
        SFrameStream huge = k.openStream(1L << 58);
        assertCode(SFrameError.INVALID_ARGUMENT, () -> huge.encrypt(MD, frame("x")));
        SFrameStream largest = k.openStream((1L << 58) - 1);
        assertEquals(-1L ^ 0x3f | 1 << 4 | 1, SFrameHeader.decode(largest.encrypt(MD, frame("x"))).kid());
        // KIDs of no member, of no held epoch
        long blank = 3L << 4 | 1; // leaf 3 fits S = 2 bits but is not in the group
        byte[] base = g.get(1).export(MlsSFrameKeys.EXPORTER_LABEL, new byte[0], 16);
        byte[] forged = SFrameKey.derive(SFrameSuite.AES_128_GCM_SHA256_128, blank, base).encrypt(0, MD, frame("x"));
        assertCode(SFrameError.UNKNOWN_KEY, () -> k.decrypt(MD, forged));
        byte[] wrongEpoch = SFrameKey.derive(SFrameSuite.AES_128_GCM_SHA256_128, 2, base).encrypt(0, MD, frame("x"));
        assertCode(SFrameError.UNKNOWN_KEY, () -> k.decrypt(MD, wrongEpoch));
        early.close();
        assertCode(SFrameError.INVALID_STATE, () -> early.encrypt(MD, frame("x")));
        k.eraseAll();
        assertEquals(-1, k.currentEpoch());
        assertCode(SFrameError.INVALID_STATE, () -> k.openStream().encrypt(MD, frame("x")));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> new MlsSFrameKeys(SFrameSuite.AES_128_GCM_SHA256_128, 0, 0, 128, clock));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> new MlsSFrameKeys(SFrameSuite.AES_128_GCM_SHA256_128, 4, -1, 128, clock));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> new MlsSFrameKeys(SFrameSuite.AES_128_GCM_SHA256_128, 4, 0, 100, clock));
    }
}
