package org.mlskit.distributed;

import org.mlskit.group.GroupConfig;

/**
 * A participant's local policy for a {@link MultiSession}. Immutable; the defaults follow draft
 * -02 (follow removals) and issue 17 (flag and remove equivocators).
 */
public final class MultiSessionConfig {
    public static final MultiSessionConfig DEFAULT = new MultiSessionConfig(GroupConfig.DEFAULT, true, true, true);

    /** For every send group (its PSK store is replaced by the session's exporter-PSK table). */
    public final GroupConfig group;
    /** When an owner removes someone from its send group, remove them from ours too (draft -02). */
    public final boolean followRemovals;
    /** Remove an equivocating owner from our send group once its evidence is in. */
    public final boolean removeEquivocators;
    /** PROTECT first commits pending imports and Update proposals (draft -02 §PROTECT). */
    public final boolean commitBeforeSend;

    private MultiSessionConfig(GroupConfig group, boolean followRemovals, boolean removeEquivocators,
            boolean commitBeforeSend) {
        this.group = group;
        this.followRemovals = followRemovals;
        this.removeEquivocators = removeEquivocators;
        this.commitBeforeSend = commitBeforeSend;
    }

    public MultiSessionConfig withGroupConfig(GroupConfig c) {
        return new MultiSessionConfig(c, followRemovals, removeEquivocators, commitBeforeSend);
    }

    public MultiSessionConfig withFollowRemovals(boolean b) {
        return new MultiSessionConfig(group, b, removeEquivocators, commitBeforeSend);
    }

    public MultiSessionConfig withRemoveEquivocators(boolean b) {
        return new MultiSessionConfig(group, followRemovals, b, commitBeforeSend);
    }

    public MultiSessionConfig withCommitBeforeSend(boolean b) {
        return new MultiSessionConfig(group, followRemovals, removeEquivocators, b);
    }
}
