package org.mlskit.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.framing.Sender;
import org.mlskit.keys.KeyPackage;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.TreeKem;

/**
 * A commit that has been fully checked (or, for one's own, fully built) but not applied: the
 * group stays in its epoch until {@link Group#merge} installs the next one, or
 * {@link Group#discard} drops it (RFC 9420 §14: merge only once the delivery service accepted
 * it). It says what the commit does, so the application can decide before merging.
 */
public final class StagedCommit {
    final EpochState base;
    /** The next epoch, or null when the commit removes this member. */
    final EpochState next;
    final ProposalList proposals;
    final Sender committer;
    final int committerLeaf;
    final boolean own;
    final byte[] message;
    final byte[] welcome;
    final TreeKem.PendingPath pendingPath;
    private boolean done;

    StagedCommit(EpochState base, EpochState next, ProposalList proposals, Sender committer, int committerLeaf, boolean own,
            byte[] message, byte[] welcome, TreeKem.PendingPath pendingPath) {
        this.base = base;
        this.next = next;
        this.proposals = proposals;
        this.committer = committer;
        this.committerLeaf = committerLeaf;
        this.own = own;
        this.message = message;
        this.welcome = welcome;
        this.pendingPath = pendingPath;
    }

    /** The MLSMessage to send to the group (own commits), else null. */
    public byte[] message() {
        return message == null ? null : message.clone();
    }

    /** The Welcome (an MLSMessage) for the members this commit adds, or null when it adds none. */
    public byte[] welcome() {
        return welcome == null ? null : welcome.clone();
    }

    public boolean isOwn() {
        return own;
    }

    /** The epoch the group enters when this is merged. */
    public long newEpoch() {
        return base.epoch() + 1;
    }

    /** The committer's leaf in the new epoch (for an external commit, the joiner's new leaf). */
    public int committerLeaf() {
        return committerLeaf;
    }

    public boolean isExternal() {
        return committer.type == Sender.NEW_MEMBER_COMMIT;
    }

    /** Whether this commit removes this member: merging it ends its membership. */
    public boolean removesMe() {
        return next == null;
    }

    /** Members added, with their new leaves (for an external commit, the joiner). */
    public List<Member> added() {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < proposals.addedLeaves.size(); i++) {
            out.add(new Member(proposals.addedLeaves.get(i), proposals.added.get(i).leafNode));
        }
        if (isExternal()) {
            out.add(new Member(committerLeaf, proposals.tree.leaf(committerLeaf)));
        }
        return Collections.unmodifiableList(out);
    }

    public List<KeyPackage> addedKeyPackages() {
        return Collections.unmodifiableList(proposals.added);
    }

    /** Members removed, as they were before the commit. */
    public List<Member> removed() {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < proposals.removedLeaves.size(); i++) {
            out.add(new Member(proposals.removedLeaves.get(i), proposals.removedLeafNodes.get(i)));
        }
        return Collections.unmodifiableList(out);
    }

    /** Members whose leaves changed through Update proposals, with their new leaves. */
    public List<Member> updated() {
        List<Member> out = new ArrayList<>();
        for (int leaf : proposals.updatedLeaves) {
            out.add(new Member(leaf, proposals.tree.leaf(leaf)));
        }
        return Collections.unmodifiableList(out);
    }

    public List<PreSharedKeyId> psks() {
        return Collections.unmodifiableList(proposals.psks);
    }

    /** The ReInit this commit carries, or null: after merging, the group only awaits its successor. */
    public Proposal.ReInit reInit() {
        return proposals.reInit;
    }

    /** Whether the group's extensions change. */
    public boolean changesExtensions() {
        return proposals.extensionsChanged;
    }

    boolean markDone() {
        boolean was = done;
        done = true;
        return !was;
    }

    /**
     * The serialized ratchet tree of the epoch this commit leads to (for joiners when the Welcome
     * does not carry it), or null when the commit removes this member.
     */
    public byte[] ratchetTree() {
        return next == null ? null : next.tree.toBytes();
    }
}
