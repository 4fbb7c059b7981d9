package org.mlskit.fuzz;

import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/**
 * What the API-level targets run against, and all of it: the target member's and the
 * committer's saved groups, the joiner's KeyPackage bundle and identity, the committer after the
 * joiner's add, and the external joiner. Saved with a reproducer, it makes the case replay
 * without rebuilding its scenario, and keeps replaying the same way when scenarios change.
 */
final class GroupsUnderTest {
    private static final int VERSION = 1;

    final GroupConfig config;
    final byte[] senderState;
    final byte[] targetState;
    final Identity joiner;
    final KeyPackageBundle joinerBundle;
    final byte[] joinCommitterState;
    final Identity externalJoiner;

    GroupsUnderTest(GroupConfig config, byte[] senderState, byte[] targetState, Identity joiner, KeyPackageBundle joinerBundle,
            byte[] joinCommitterState, Identity externalJoiner) {
        this.config = config;
        this.senderState = senderState;
        this.targetState = targetState;
        this.joiner = joiner;
        this.joinerBundle = joinerBundle;
        this.joinCommitterState = joinCommitterState;
        this.externalJoiner = externalJoiner;
    }

    /** The scenarios' config: a fixed clock, and the policy choices that vary between them. */
    static GroupConfig config(int handshakeWireFormat, boolean treeInWelcome, int paddingBlock) {
        return GroupConfig.DEFAULT.withClock(() -> Scenario.NOW).withHandshakeWireFormat(handshakeWireFormat)
                .withRatchetTreeInWelcome(treeInWelcome).withPaddingBlock(paddingBlock);
    }

    /** A fresh copy of the committer (leaf 0). */
    Group sender(RandomSource rnd) {
        return Group.fromBytes(senderState, config, rnd);
    }

    /** A fresh copy of the target member (leaf 1). */
    Group target(RandomSource rnd) {
        return Group.fromBytes(targetState, config, rnd);
    }

    byte[] toBytes() {
        TlsWriter w = new TlsWriter(senderState.length * 3 + 4096);
        w.u16(VERSION).u16(config.handshakeWireFormat).u8(config.ratchetTreeInWelcome ? 1 : 0).u32(config.paddingBlock);
        w.opaque(senderState).opaque(targetState).opaque(joiner.toBytes()).opaque(joinerBundle.toBytes())
                .opaque(joinCommitterState).opaque(externalJoiner.toBytes());
        return w.toByteArray();
    }

    static GroupsUnderTest fromBytes(byte[] data) {
        return Codec.decodeAll(data, in -> {
            if (in.u16() != VERSION) {
                throw Codec.invalid(in, 0, "groups-under-test version");
            }
            GroupConfig config = config(in.u16(), in.u8() == 1, in.u32());
            return new GroupsUnderTest(config, in.opaque(), in.opaque(), Identity.fromBytes(in.opaque()),
                    KeyPackageBundle.fromBytes(in.opaque()), in.opaque(), Identity.fromBytes(in.opaque()));
        });
    }
}
