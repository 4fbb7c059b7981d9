package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.schedule.PreSharedKeyId;

/**
 * Groups that follow from another (RFC 9420 §11.2 ReInit, §11.3 branch): the successor is a
 * new group whose first commit adds the other members and injects a resumption PSK of the
 * old group, which {@link #pskStoreWith} resolves.
 */
final class Successors {
    private Successors() {
    }

    /** See {@link Group#reInitialize}. */
    static Group.Successor reInitialize(Group g, Identity newIdentity, List<KeyPackage> keyPackages) {
        Proposal.ReInit reInit = g.pendingReInit();
        if (g.status() != Group.Status.REINIT_PENDING) {
            throw new MlsException(ErrorCode.INVALID_STATE, "no ReInit was committed in this group");
        }
        if (newIdentity.suite().id() != reInit.cipherSuite) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the ReInit asks for cipher suite " + reInit.cipherSuite);
        }
        return successor(g, newIdentity, reInit.groupId, reInit.extensions, keyPackages, PreSharedKeyId.USAGE_REINIT);
    }

    /** The successor group and its first commit, merged, adding {@code keyPackages} with the resumption PSK. */
    static Group.Successor successor(Group g, Identity id, byte[] groupId, List<Extension> extensions,
            List<KeyPackage> keyPackages, int usage) {
        GroupConfig config = g.config();
        Group next = Group.create(id, groupId, extensions, config.withPskStore(pskStoreWith(config.pskStore, g)), g.random());
        List<Proposal> ps = new ArrayList<>();
        for (KeyPackage kp : keyPackages) {
            ps.add(new Proposal.Add(kp));
        }
        ps.add(new Proposal.PreSharedKey(PreSharedKeyId.resumption(usage, g.groupId(), g.epoch(),
                g.random().bytes(next.suite().kdf().length()))));
        StagedCommit commit = next.commit(ps, false, null);
        next.merge(commit);
        next.setConfig(config);
        return new Group.Successor(next, commit.welcome());
    }

    /** See {@link Group#pskStoreWith}. */
    static PskStore pskStoreWith(PskStore base, Group group) {
        byte[] groupId = group.groupId();
        return new PskStore() {
            @Override
            public byte[] externalPsk(byte[] pskId) {
                return base.externalPsk(pskId);
            }

            @Override
            public byte[] resumptionPsk(byte[] id, long epoch) {
                // A ReInit may keep the group id: the successor then names its predecessor's epoch, which base resolves.
                byte[] own = Arrays.equals(id, groupId) ? group.resumptionPsk(epoch) : null;
                return own != null ? own : base.resumptionPsk(id, epoch);
            }

            @Override
            public Group resumptionGroup(byte[] id) {
                return Arrays.equals(id, groupId) ? group : base.resumptionGroup(id);
            }
        };
    }
}
