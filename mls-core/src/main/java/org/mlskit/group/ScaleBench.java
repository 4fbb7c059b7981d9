package org.mlskit.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * Big groups made the way an outside measurement makes them, shared by JMH and the TeaVM harness:
 * one member creates a group and adds N - 1 KeyPackages in one commit ({@link #add}); a new member
 * then joins from that commit's Welcome, with the whole tree in it ({@link #join}), as a fresh
 * process would: the signature verifier's caches of decoded keys are first filled with other keys,
 * so no leaf key is known in advance. Each step is prepared untimed ({@link #prepareAdd},
 * {@link #prepareJoin}) so that a caller can time it alone.
 */
public final class ScaleBench {
    /** More keys than the verifier caches hold (1,024 decoded Ed25519 keys). */
    private static final int EVICTING_KEYS = 1100;

    private final CipherSuite suite;
    private final int members;
    private final RandomSource random;
    private final GroupConfig config = GroupConfig.DEFAULT;
    private final Identity[] ids;
    private final KeyPackageBundle[] bundles;
    private final List<Identity> strangers = new ArrayList<>();
    private Group creator;
    private StagedCommit addCommit;
    private byte[] welcome;

    private ScaleBench(CipherSuite suite, int members, RandomSource random) {
        this.suite = suite;
        this.members = members;
        this.random = random;
        long now = config.clock.nowSeconds();
        ids = new Identity[members];
        bundles = new KeyPackageBundle[members];
        for (int i = 1; i < members; i++) {
            ids[i] = Identity.generate(suite, Credential.basic(("member-" + i).getBytes(StandardCharsets.UTF_8)), random);
            bundles[i] = KeyPackageBundle.create(ids[i], now, random);
        }
    }

    /** N - 1 fresh KeyPackages (the slow part of the set-up, done once). */
    public static ScaleBench build(int suite, int members, RandomSource random) {
        return new ScaleBench(CipherSuite.of(suite), members, random);
    }

    public int members() {
        return members;
    }

    /** A new group of one (untimed), ready for {@link #add}. */
    public void prepareAdd() {
        creator = Group.create(Identity.generate(suite, Credential.basic("member-0".getBytes(StandardCharsets.UTF_8)), random),
                new byte[] {'s', 'c', 'a', 'l', 'e'}, Collections.emptyList(), config, random);
        addCommit = null;
    }

    /** The measured step: one commit adding every other member, Welcome included; returns its size. */
    public int add() {
        List<KeyPackage> kps = new ArrayList<>(members - 1);
        for (int i = 1; i < members; i++) {
            kps.add(bundles[i].keyPackage());
        }
        addCommit = creator.add(kps);
        return addCommit.welcome().length;
    }

    /** After {@link #add} (once): merged, with its Welcome kept for {@link #join}. */
    public void prepareJoin() {
        if (welcome == null) {
            if (addCommit == null) {
                prepareAdd();
                add();
            }
            creator.merge(addCommit);
            welcome = addCommit.welcome();
        }
        evictKeyCaches();
    }

    /** The measured step: the last added member joins from the big Welcome (tree included); returns its leaf. */
    public int join() {
        return Group.join(welcome, bundles[members - 1], ids[members - 1], null, config, random).myLeafIndex();
    }

    /** Fills the verifier's caches of decoded keys with other keys, as a joiner's fresh process has none of the tree's. */
    private void evictKeyCaches() {
        if (strangers.isEmpty()) {
            for (int i = 0; i < EVICTING_KEYS; i++) {
                strangers.add(Identity.generate(suite, Credential.basic(new byte[] {'x'}), random));
            }
        }
        byte[] message = {1};
        for (Identity s : strangers) {
            byte[] sig = suite.signWithLabel(s.signaturePrivateKey(), "scale", message);
            if (!suite.verifyWithLabel(s.signaturePublicKey(), "scale", message, sig)) {
                throw new IllegalStateException("a fresh signature does not verify");
            }
        }
    }
}
