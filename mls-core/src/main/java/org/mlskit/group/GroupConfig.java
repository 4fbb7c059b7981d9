package org.mlskit.group;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.IdentityChecker;
import org.mlskit.schedule.RatchetPolicy;

/**
 * A group's local policy: none of it is part of the protocol, so members may differ. Immutable;
 * the {@code with…} methods return a changed copy. The defaults suit a chat application.
 */
public final class GroupConfig {
    /** Past epochs kept for late application messages (default 2); their secrets are erased when they fall out. */
    public final int retainedEpochs;
    /** Out-of-order tolerance of the secret tree's ratchets. */
    public final RatchetPolicy ratchetPolicy;
    /** Application messages are padded to a multiple of this many bytes (0: no padding; default 32). */
    public final int paddingBlock;
    /** How proposals and commits are sent: {@link WireFormat#PRIVATE_MESSAGE} (default) or PUBLIC_MESSAGE. */
    public final int handshakeWireFormat;
    /** Whether Welcomes carry the ratchet tree (default true); otherwise joiners get it out of band. */
    public final boolean ratchetTreeInWelcome;
    /** Whether every commit carries an UpdatePath, even when the RFC does not require one (default false). */
    public final boolean alwaysUpdatePath;
    public final IdentityChecker identityChecker;
    public final PskStore pskStore;
    public final Clock clock;

    /** Seconds since the Unix epoch, for lifetimes; a negative value skips lifetime checks (tests, replays of old traffic). */
    @FunctionalInterface
    public interface Clock {
        long nowSeconds();

        Clock SYSTEM = () -> System.currentTimeMillis() / 1000;
    }

    public static final GroupConfig DEFAULT = new GroupConfig(2, RatchetPolicy.DEFAULT, 32, WireFormat.PRIVATE_MESSAGE,
            true, false, IdentityChecker.BASIC, PskStore.NONE, Clock.SYSTEM);

    private GroupConfig(int retainedEpochs, RatchetPolicy ratchetPolicy, int paddingBlock, int handshakeWireFormat,
            boolean ratchetTreeInWelcome, boolean alwaysUpdatePath, IdentityChecker identityChecker, PskStore pskStore,
            Clock clock) {
        if (retainedEpochs < 0 || paddingBlock < 0 || paddingBlock > 65536) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "retained epochs and padding must be non-negative (padding at most 65536)");
        }
        if (handshakeWireFormat != WireFormat.PUBLIC_MESSAGE && handshakeWireFormat != WireFormat.PRIVATE_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "handshake wire format must be PublicMessage or PrivateMessage");
        }
        if (ratchetPolicy == null || identityChecker == null || pskStore == null || clock == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "GroupConfig fields must not be null");
        }
        this.retainedEpochs = retainedEpochs;
        this.ratchetPolicy = ratchetPolicy;
        this.paddingBlock = paddingBlock;
        this.handshakeWireFormat = handshakeWireFormat;
        this.ratchetTreeInWelcome = ratchetTreeInWelcome;
        this.alwaysUpdatePath = alwaysUpdatePath;
        this.identityChecker = identityChecker;
        this.pskStore = pskStore;
        this.clock = clock;
    }

    public GroupConfig withRetainedEpochs(int n) {
        return new GroupConfig(n, ratchetPolicy, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome, alwaysUpdatePath,
                identityChecker, pskStore, clock);
    }

    public GroupConfig withRatchetPolicy(RatchetPolicy p) {
        return new GroupConfig(retainedEpochs, p, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome, alwaysUpdatePath,
                identityChecker, pskStore, clock);
    }

    public GroupConfig withPaddingBlock(int block) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, block, handshakeWireFormat, ratchetTreeInWelcome,
                alwaysUpdatePath, identityChecker, pskStore, clock);
    }

    public GroupConfig withHandshakeWireFormat(int wireFormat) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, wireFormat, ratchetTreeInWelcome, alwaysUpdatePath,
                identityChecker, pskStore, clock);
    }

    public GroupConfig withRatchetTreeInWelcome(boolean include) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, handshakeWireFormat, include, alwaysUpdatePath,
                identityChecker, pskStore, clock);
    }

    public GroupConfig withAlwaysUpdatePath(boolean always) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome, always,
                identityChecker, pskStore, clock);
    }

    public GroupConfig withIdentityChecker(IdentityChecker checker) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome,
                alwaysUpdatePath, checker, pskStore, clock);
    }

    public GroupConfig withPskStore(PskStore store) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome,
                alwaysUpdatePath, identityChecker, store, clock);
    }

    public GroupConfig withClock(Clock c) {
        return new GroupConfig(retainedEpochs, ratchetPolicy, paddingBlock, handshakeWireFormat, ratchetTreeInWelcome,
                alwaysUpdatePath, identityChecker, pskStore, c);
    }
}
