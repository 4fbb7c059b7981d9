package org.mlskit.interop.server;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;

/**
 * One member's view of one group. mlskit's Group moves from epoch to epoch in place and keeps its
 * retained past epochs itself, so the harness's per-epoch state ids all name this one object.
 */
final class MemberState {
    /** Past epochs kept for late application messages and resumption PSKs (the scripts name up to three back). */
    static final int RETAINED_EPOCHS = 5;

    final Group group;
    final boolean encryptHandshake;
    final MapPskStore psks;
    /** The harness id of the current epoch's state; 0 until stored. */
    int id;
    /** Proposals this member sent in the current epoch: handed back by reference, they are already cached. */
    private final Set<String> ownProposals = new HashSet<>();

    MemberState(Group group, boolean encryptHandshake, MapPskStore psks) {
        this.group = group;
        this.encryptHandshake = encryptHandshake;
        this.psks = psks;
    }

    static GroupConfig config(boolean encryptHandshake, MapPskStore psks) {
        return GroupConfig.DEFAULT
                .withHandshakeWireFormat(encryptHandshake ? WireFormat.PRIVATE_MESSAGE : WireFormat.PUBLIC_MESSAGE)
                .withRetainedEpochs(RETAINED_EPOCHS)
                .withPskStore(psks);
    }

    GroupConfig config() {
        return config(encryptHandshake, psks);
    }

    byte[] sent(byte[] proposal) {
        ownProposals.add(HexFormat.of().formatHex(proposal));
        return proposal;
    }

    boolean isOwn(byte[] proposal) {
        return ownProposals.contains(HexFormat.of().formatHex(proposal));
    }

    /** A new epoch: proposals of the last one can no longer be referenced. */
    void newEpoch() {
        ownProposals.clear();
    }
}
