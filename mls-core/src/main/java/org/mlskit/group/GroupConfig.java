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
    /** The application logic of AppDataUpdate proposals (default {@link AppDataUpdater#REPLACE}). */
    public final AppDataUpdater appDataUpdater;
    public final PskStore pskStore;
    public final Clock clock;

    /** Seconds since the Unix epoch, for lifetimes; a negative value skips lifetime checks (tests, replays of old traffic). */
    @FunctionalInterface
    public interface Clock {
        long nowSeconds();

        Clock SYSTEM = () -> System.currentTimeMillis() / 1000;
    }

    public static final GroupConfig DEFAULT = new GroupConfig(new Fields());

    /** The settings while a changed copy is made. */
    private static final class Fields {
        int retainedEpochs = 2;
        RatchetPolicy ratchetPolicy = RatchetPolicy.DEFAULT;
        int paddingBlock = 32;
        int handshakeWireFormat = WireFormat.PRIVATE_MESSAGE;
        boolean ratchetTreeInWelcome = true;
        boolean alwaysUpdatePath;
        IdentityChecker identityChecker = IdentityChecker.BASIC;
        AppDataUpdater appDataUpdater = AppDataUpdater.REPLACE;
        PskStore pskStore = PskStore.NONE;
        Clock clock = Clock.SYSTEM;

        Fields() {
        }

        Fields(GroupConfig c) {
            retainedEpochs = c.retainedEpochs;
            ratchetPolicy = c.ratchetPolicy;
            paddingBlock = c.paddingBlock;
            handshakeWireFormat = c.handshakeWireFormat;
            ratchetTreeInWelcome = c.ratchetTreeInWelcome;
            alwaysUpdatePath = c.alwaysUpdatePath;
            identityChecker = c.identityChecker;
            appDataUpdater = c.appDataUpdater;
            pskStore = c.pskStore;
            clock = c.clock;
        }
    }

    private GroupConfig(Fields f) {
        if (f.retainedEpochs < 0 || f.paddingBlock < 0 || f.paddingBlock > 65536) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "retained epochs and padding must be non-negative (padding at most 65536)");
        }
        if (f.handshakeWireFormat != WireFormat.PUBLIC_MESSAGE && f.handshakeWireFormat != WireFormat.PRIVATE_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "handshake wire format must be PublicMessage or PrivateMessage");
        }
        if (f.ratchetPolicy == null || f.identityChecker == null || f.appDataUpdater == null || f.pskStore == null || f.clock == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "GroupConfig fields must not be null");
        }
        retainedEpochs = f.retainedEpochs;
        ratchetPolicy = f.ratchetPolicy;
        paddingBlock = f.paddingBlock;
        handshakeWireFormat = f.handshakeWireFormat;
        ratchetTreeInWelcome = f.ratchetTreeInWelcome;
        alwaysUpdatePath = f.alwaysUpdatePath;
        identityChecker = f.identityChecker;
        appDataUpdater = f.appDataUpdater;
        pskStore = f.pskStore;
        clock = f.clock;
    }

    private Fields fields() {
        return new Fields(this);
    }

    public GroupConfig withRetainedEpochs(int n) {
        Fields f = fields();
        f.retainedEpochs = n;
        return new GroupConfig(f);
    }

    public GroupConfig withRatchetPolicy(RatchetPolicy p) {
        Fields f = fields();
        f.ratchetPolicy = p;
        return new GroupConfig(f);
    }

    public GroupConfig withPaddingBlock(int block) {
        Fields f = fields();
        f.paddingBlock = block;
        return new GroupConfig(f);
    }

    public GroupConfig withHandshakeWireFormat(int wireFormat) {
        Fields f = fields();
        f.handshakeWireFormat = wireFormat;
        return new GroupConfig(f);
    }

    public GroupConfig withRatchetTreeInWelcome(boolean include) {
        Fields f = fields();
        f.ratchetTreeInWelcome = include;
        return new GroupConfig(f);
    }

    public GroupConfig withAlwaysUpdatePath(boolean always) {
        Fields f = fields();
        f.alwaysUpdatePath = always;
        return new GroupConfig(f);
    }

    public GroupConfig withIdentityChecker(IdentityChecker checker) {
        Fields f = fields();
        f.identityChecker = checker;
        return new GroupConfig(f);
    }

    public GroupConfig withAppDataUpdater(AppDataUpdater updater) {
        Fields f = fields();
        f.appDataUpdater = updater;
        return new GroupConfig(f);
    }

    public GroupConfig withPskStore(PskStore store) {
        Fields f = fields();
        f.pskStore = store;
        return new GroupConfig(f);
    }

    public GroupConfig withClock(Clock c) {
        Fields f = fields();
        f.clock = c;
        return new GroupConfig(f);
    }
}
