package org.mlskit.group;

import org.mlskit.framing.Sender;
import org.mlskit.keys.Credential;

/**
 * What an incoming message turned out to be, once fully verified: application data with its
 * sender, a proposal now cached for the epoch's commit, or a commit staged for the caller to
 * inspect and then merge or discard.
 */
public final class ProcessedMessage {
    public enum Kind { APPLICATION, PROPOSAL, COMMIT }

    public final Kind kind;
    /** The epoch the message was sent in. */
    public final long epoch;
    public final Sender sender;
    /** The sender's credential: a member's, an external sender's, or the joiner's for new-member senders. */
    public final Credential senderCredential;
    private final byte[] authenticatedData;
    private final byte[] applicationData;
    /** The proposal (kind PROPOSAL). */
    public final Proposal proposal;
    private final byte[] proposalRef;
    /** The staged commit (kind COMMIT). */
    public final StagedCommit commit;

    ProcessedMessage(Kind kind, long epoch, Sender sender, Credential senderCredential, byte[] authenticatedData,
            byte[] applicationData, Proposal proposal, byte[] proposalRef, StagedCommit commit) {
        this.kind = kind;
        this.epoch = epoch;
        this.sender = sender;
        this.senderCredential = senderCredential;
        this.authenticatedData = authenticatedData;
        this.applicationData = applicationData;
        this.proposal = proposal;
        this.proposalRef = proposalRef;
        this.commit = commit;
    }

    /** The sender's leaf index, or -1 for a sender that is not a member. */
    public int senderLeaf() {
        return sender.type == Sender.MEMBER ? sender.index : -1;
    }

    public byte[] authenticatedData() {
        return authenticatedData.clone();
    }

    /** The plaintext of an application message (kind APPLICATION), else null. */
    public byte[] applicationData() {
        return applicationData == null ? null : applicationData.clone();
    }

    /** The ProposalRef under which a proposal was cached (kind PROPOSAL), else null. */
    public byte[] proposalRef() {
        return proposalRef == null ? null : proposalRef.clone();
    }
}
