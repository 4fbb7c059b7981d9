package org.mlskit.group;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.framing.WireFormat;

/**
 * Choices for one commit that otherwise come from the group's {@link GroupConfig}: its framing
 * (PublicMessage or PrivateMessage), whether its Welcome carries the ratchet tree, whether it
 * carries an UpdatePath when the proposals do not require one, and its authenticated data.
 * Immutable; {@link #DEFAULT} takes everything from the config.
 */
public final class CommitOptions {
    /** The config's choice, for {@link #wireFormat}. */
    public static final int FROM_CONFIG = -1;

    public static final CommitOptions DEFAULT = new CommitOptions(FROM_CONFIG, null, false, null);

    /** {@link WireFormat#PUBLIC_MESSAGE}, {@link WireFormat#PRIVATE_MESSAGE} or {@link #FROM_CONFIG}. */
    public final int wireFormat;
    /** Whether the Welcome carries the tree; null: the config's choice. */
    public final Boolean ratchetTreeInWelcome;
    public final boolean forcePath;
    private final byte[] authenticatedData;

    private CommitOptions(int wireFormat, Boolean ratchetTreeInWelcome, boolean forcePath, byte[] authenticatedData) {
        if (wireFormat != FROM_CONFIG && wireFormat != WireFormat.PUBLIC_MESSAGE && wireFormat != WireFormat.PRIVATE_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a commit is sent as a PublicMessage or a PrivateMessage");
        }
        this.wireFormat = wireFormat;
        this.ratchetTreeInWelcome = ratchetTreeInWelcome;
        this.forcePath = forcePath;
        this.authenticatedData = authenticatedData == null ? null : authenticatedData.clone();
    }

    public CommitOptions withWireFormat(int wf) {
        return new CommitOptions(wf, ratchetTreeInWelcome, forcePath, authenticatedData);
    }

    public CommitOptions withRatchetTreeInWelcome(Boolean include) {
        return new CommitOptions(wireFormat, include, forcePath, authenticatedData);
    }

    public CommitOptions withForcePath(boolean force) {
        return new CommitOptions(wireFormat, ratchetTreeInWelcome, force, authenticatedData);
    }

    public CommitOptions withAuthenticatedData(byte[] aad) {
        return new CommitOptions(wireFormat, ratchetTreeInWelcome, forcePath, aad);
    }

    public byte[] authenticatedData() {
        return authenticatedData == null ? null : authenticatedData.clone();
    }

    int wireFormat(GroupConfig config) {
        return wireFormat == FROM_CONFIG ? config.handshakeWireFormat : wireFormat;
    }

    boolean treeInWelcome(GroupConfig config) {
        return ratchetTreeInWelcome == null ? config.ratchetTreeInWelcome : ratchetTreeInWelcome;
    }
}
