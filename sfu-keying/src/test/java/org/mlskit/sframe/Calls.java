package org.mlskit.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/** Real mls-core groups for the key-manager tests, and a clock the tests move by hand. */
final class Calls {
    static final RandomSource RANDOM = new SecureRandomSource();
    static final CipherSuite MLS_SUITE = CipherSuite.of(1);

    private Calls() {
    }

    /** A clock that stands still until told to move. */
    static final class ManualClock implements MlsSFrameKeys.Clock {
        long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }
    }

    static Identity identity(String name) {
        return Identity.generate(MLS_SUITE, Credential.basic(name.getBytes(StandardCharsets.UTF_8)), RANDOM);
    }

    /** A group of {@code n} members m0..m(n-1) at leaves 0..n-1: m0 created it and added the others in one commit. */
    static List<Group> group(int n) {
        Group creator = Group.create(identity("m0"), RANDOM.bytes(16), Collections.<Extension>emptyList(), GroupConfig.DEFAULT, RANDOM);
        List<Identity> ids = new ArrayList<>();
        List<KeyPackageBundle> bundles = new ArrayList<>();
        List<KeyPackage> kps = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            Identity id = identity("m" + i);
            KeyPackageBundle b = KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, RANDOM);
            ids.add(id);
            bundles.add(b);
            kps.add(b.keyPackage());
        }
        List<Group> all = new ArrayList<>();
        all.add(creator);
        if (n > 1) {
            StagedCommit sc = creator.add(kps);
            creator.merge(sc);
            for (int i = 0; i < ids.size(); i++) {
                all.add(Group.join(sc.welcome(), bundles.get(i), ids.get(i), null, GroupConfig.DEFAULT, RANDOM));
            }
        }
        return all;
    }

    /** The committer merges its commit; every other group processes and merges it. */
    static void deliver(Group committer, StagedCommit commit, List<Group> others) {
        byte[] message = commit.message();
        committer.merge(commit);
        for (Group g : others) {
            if (g != committer) {
                ProcessedMessage pm = g.process(message);
                assertEquals(ProcessedMessage.Kind.COMMIT, pm.kind);
                g.merge(pm.commit);
            }
        }
    }
}
