package org.mlskit.sframe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * A call keyed by a real mls-core group, end to end, so that the JVM tests and the TeaVM builds
 * (through {@code SFrameJs}) run the same scenario: three members agree on every sender's KID and
 * key and hear each other; after a commit the KIDs' epoch bits change and frames of the previous
 * epoch decrypt within the grace period and not after; a removed member cannot decrypt the next
 * epoch. Any broken expectation throws {@link IllegalStateException}.
 */
public final class MlsCallCheck {
    /** Grace period of the scenario's key managers. */
    public static final long GRACE_MILLIS = 5_000;

    private MlsCallCheck() {
    }

    /** A clock that stands still until moved. */
    public static final class ManualClock implements MlsSFrameKeys.Clock {
        public long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }
    }

    /** A group of {@code n} members m0..m(n-1) at leaves 0..n-1 (MLS suite 1): m0 created it and added the others in one commit. */
    public static List<Group> group(int n, RandomSource random) {
        CipherSuite cs = CipherSuite.of(1);
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Identity.generate(cs, Credential.basic(("m" + i).getBytes(StandardCharsets.UTF_8)), random));
        }
        Group creator = Group.create(ids.get(0), random.bytes(16), Collections.<Extension>emptyList(), GroupConfig.DEFAULT, random);
        List<Group> all = new ArrayList<>();
        all.add(creator);
        if (n > 1) {
            long now = GroupConfig.DEFAULT.clock.nowSeconds();
            List<KeyPackageBundle> bundles = new ArrayList<>();
            List<KeyPackage> kps = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                KeyPackageBundle b = KeyPackageBundle.create(ids.get(i), now, random);
                bundles.add(b);
                kps.add(b.keyPackage());
            }
            StagedCommit sc = creator.add(kps);
            creator.merge(sc);
            for (int i = 1; i < n; i++) {
                all.add(Group.join(sc.welcome(), bundles.get(i - 1), ids.get(i), null, GroupConfig.DEFAULT, random));
            }
        }
        return all;
    }

    /** The committer merges its commit; every other group processes and merges it. */
    public static void deliver(Group committer, StagedCommit commit, List<Group> others) {
        byte[] message = commit.message();
        committer.merge(commit);
        for (Group g : others) {
            if (g != committer) {
                ProcessedMessage pm = g.process(message);
                check(pm.kind == ProcessedMessage.Kind.COMMIT, "a commit was processed as " + pm.kind);
                g.merge(pm.commit);
            }
        }
    }

    /** One key manager per member (E = 4, a 128-frame replay window), each with the group's current epoch installed. */
    public static List<MlsSFrameKeys> managers(List<Group> groups, SFrameSuite suite, int epochBits, long graceMillis,
            MlsSFrameKeys.Clock clock) {
        List<MlsSFrameKeys> out = new ArrayList<>();
        for (Group g : groups) {
            MlsSFrameKeys k = new MlsSFrameKeys(suite, epochBits, graceMillis, 128, clock);
            k.onEpoch(g);
            out.add(k);
        }
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void expectRejected(SFrameError code, MlsSFrameKeys keys, byte[] metadata, byte[] frame, String what) {
        try {
            keys.decrypt(metadata, frame);
        } catch (SFrameException e) {
            check(e.code() == code, what + ": " + e.code() + " instead of " + code);
            return;
        }
        throw new IllegalStateException(what + ": decrypted");
    }

    /** Runs the scenario with SFrame suite {@code suite}; returns a one-line summary. */
    public static String run(SFrameSuite suite, RandomSource random) {
        byte[] md = bytes("metadata");
        List<Group> g = group(3, random);
        ManualClock clock = new ManualClock();
        List<MlsSFrameKeys> k = managers(g, suite, 4, GRACE_MILLIS, clock);
        int frames = 0;
        for (int s = 0; s < 3; s++) {
            for (int other = 0; other < 3; other++) {
                long kid = k.get(0).kidOf(s, 0);
                check(k.get(other).kidOf(s, 0) == kid, "members disagree on the KID of leaf " + s);
                check(Arrays.equals(k.get(0).deriveForTest(kid).key(), k.get(other).deriveForTest(kid).key()),
                        "members disagree on the key of leaf " + s);
            }
            byte[] f = k.get(s).openStream().encrypt(md, bytes("from " + s));
            for (int r = 0; r < 3; r++) {
                if (r != s) {
                    ReceivedFrame rf = k.get(r).decrypt(md, f);
                    check(text(rf.plaintext).equals("from " + s) && rf.senderLeaf == s, "leaf " + r + " misread leaf " + s);
                    frames++;
                }
            }
        }
        SFrameStream video = k.get(0).openStream();
        byte[] late = video.encrypt(md, bytes("late"));
        byte[] tooLate = video.encrypt(md, bytes("too late"));
        long oldKid = SFrameHeader.decode(late).kid();

        deliver(g.get(1), g.get(1).update(), g);
        for (int i = 0; i < 3; i++) {
            k.get(i).onEpoch(g.get(i));
        }
        byte[] fresh = video.encrypt(md, bytes("fresh"));
        long newKid = SFrameHeader.decode(fresh).kid();
        check((oldKid & 15) == 1 && (newKid & 15) == 2 && oldKid >>> 4 == newKid >>> 4, "epoch bits did not move from 1 to 2");
        check(text(k.get(2).decrypt(md, fresh).plaintext).equals("fresh"), "new epoch");
        clock.now += GRACE_MILLIS - 1;
        check(text(k.get(2).decrypt(md, late).plaintext).equals("late"), "previous epoch within the grace period");
        clock.now += 1;
        expectRejected(SFrameError.EXPIRED_EPOCH, k.get(2), md, tooLate, "previous epoch after the grace period");

        deliver(g.get(0), g.get(0).remove(2), g);
        check(g.get(2).status() == Group.Status.REMOVED, "leaf 2 was not removed");
        k.get(0).onEpoch(g.get(0));
        k.get(1).onEpoch(g.get(1));
        byte[] secret = video.encrypt(md, bytes("after the removal"));
        check(text(k.get(1).decrypt(md, secret).plaintext).equals("after the removal"), "a remaining member");
        expectRejected(SFrameError.UNKNOWN_KEY, k.get(2), md, secret, "the removed member");
        return suite + ": " + frames + " frames heard, epochs 1-3, removal ok";
    }
}
