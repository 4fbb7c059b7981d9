package org.mlskit.distributed;

import org.mlskit.group.GroupConfig;

/**
 * A participant's local policy for a {@link MultiSession}. Immutable; the defaults follow draft
 * -02 (follow removals) and issue 17 (flag and remove equivocators).
 */
public final class MultiSessionConfig {
    public static final MultiSessionConfig DEFAULT = new MultiSessionConfig(GroupConfig.DEFAULT, true, true, true, 0);

    /** For every send group (its PSK store is replaced by the session's exporter-PSK table). */
    public final GroupConfig group;
    /** When an owner removes someone from its send group, remove them from ours too (draft -02). */
    public final boolean followRemovals;
    /** Remove an equivocating owner from our send group once its evidence is in. */
    public final boolean removeEquivocators;
    /** PROTECT first commits pending imports and Update proposals (draft -02 §PROTECT). */
    public final boolean commitBeforeSend;
    /**
     * Excise members silent for this many epochs of the own send group (draft -02, "Characteristics"):
     * the owner's next commit removes them, while a majority of its roster is active; 0 (the
     * default) never excises. With {@link #followRemovals} the whole session follows.
     */
    public final int exciseSilentAfter;

    private MultiSessionConfig(GroupConfig group, boolean followRemovals, boolean removeEquivocators,
            boolean commitBeforeSend, int exciseSilentAfter) {
        this.group = group;
        this.followRemovals = followRemovals;
        this.removeEquivocators = removeEquivocators;
        this.commitBeforeSend = commitBeforeSend;
        this.exciseSilentAfter = exciseSilentAfter;
    }

    /** Excise members silent for {@code epochs} epochs of the own send group (0: never). */
    public MultiSessionConfig withExciseSilentAfter(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0");
        }
        return new MultiSessionConfig(group, followRemovals, removeEquivocators, commitBeforeSend, epochs);
    }

    public MultiSessionConfig withGroupConfig(GroupConfig c) {
        return new MultiSessionConfig(c, followRemovals, removeEquivocators, commitBeforeSend, exciseSilentAfter);
    }

    public MultiSessionConfig withFollowRemovals(boolean b) {
        return new MultiSessionConfig(group, b, removeEquivocators, commitBeforeSend, exciseSilentAfter);
    }

    public MultiSessionConfig withRemoveEquivocators(boolean b) {
        return new MultiSessionConfig(group, followRemovals, b, commitBeforeSend, exciseSilentAfter);
    }

    public MultiSessionConfig withCommitBeforeSend(boolean b) {
        return new MultiSessionConfig(group, followRemovals, removeEquivocators, b, exciseSilentAfter);
    }
}
