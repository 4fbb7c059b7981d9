package org.mlskit.sframe;

import java.util.List;

import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.StagedCommit;

/** Real mls-core groups for the key-manager tests (through {@link MlsCallCheck}). */
final class Calls {
    static final RandomSource RANDOM = new SecureRandomSource();

    private Calls() {
    }

    static List<Group> group(int n) {
        return MlsCallCheck.group(n, RANDOM);
    }

    static void deliver(Group committer, StagedCommit commit, List<Group> others) {
        MlsCallCheck.deliver(committer, commit, others);
    }
}
