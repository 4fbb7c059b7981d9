package org.mlskit.group;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.Extension;
import org.mlskit.keys.IdentityChecker;
import org.mlskit.keys.LeafNode;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.RatchetTree;

/**
 * What a joiner checks when a Welcome resumes an older group: a ReInit's successor must be the
 * group the ReInit asked for (RFC 9420 §11.2), a branch must be a subgroup of the old group
 * (§11.3). The old group comes from the PSK store ({@link PskStore#resumptionGroup}).
 */
final class ResumptionChecks {
    private ResumptionChecks() {
    }

    static void check(List<PreSharedKeyId> psks, PskStore store, GroupContext context, RatchetTree tree,
            IdentityChecker identities) {
        for (PreSharedKeyId id : psks) {
            if (id.type() != PreSharedKeyId.RESUMPTION || id.usage() == PreSharedKeyId.USAGE_APPLICATION) {
                continue;
            }
            Group old = store.resumptionGroup(id.groupId());
            if (old == null) {
                throw new MlsException(ErrorCode.MISSING_PSK, "a " + (id.usage() == PreSharedKeyId.USAGE_REINIT ? "ReInit" : "branch")
                        + " Welcome is checked against the old group: configure the PSK store with Group.pskStoreWith(store, oldGroup)");
            }
            if (context.epoch() != 1) {
                throw invalid("the resumed group must start at epoch 1, not " + Long.toUnsignedString(context.epoch()));
            }
            if (id.usage() == PreSharedKeyId.USAGE_REINIT) {
                checkReInit(id, old, context);
            } else if (id.usage() == PreSharedKeyId.USAGE_BRANCH) {
                checkBranch(old, context, tree, identities);
            }
        }
    }

    private static void checkReInit(PreSharedKeyId id, Group old, GroupContext context) {
        Proposal.ReInit r = old.pendingReInit();
        if (old.status() != Group.Status.REINIT_PENDING || r == null) {
            throw invalid("the old group has not committed a ReInit");
        }
        if (id.epoch() != old.epoch()) {
            throw invalid("the reinit PSK must name the epoch that committed the ReInit");
        }
        if (r.version != GroupContext.MLS10 || r.cipherSuite != context.cipherSuite() || !Arrays.equals(r.groupId, context.groupId())
                || !Arrays.equals(encoded(r.extensions), encoded(context.extensions()))) {
            throw invalid("the new group's version, cipher suite, group id or extensions differ from the ReInit's");
        }
    }

    private static void checkBranch(Group old, GroupContext context, RatchetTree tree, IdentityChecker identities) {
        if (old.suite().id() != context.cipherSuite()) {
            throw invalid("a branch keeps the old group's cipher suite");
        }
        Set<Bytes> oldClients = new HashSet<>();
        for (Member m : old.members()) {
            oldClients.add(new Bytes(identities.clientId(m.credential)));
        }
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null && !oldClients.contains(new Bytes(identities.clientId(leaf.credential)))) {
                throw invalid("leaf " + i + " of the branch is not a member of the old group");
            }
        }
    }

    private static byte[] encoded(List<Extension> extensions) {
        TlsWriter w = new TlsWriter(64);
        Extension.encodeList(w, extensions);
        return w.toByteArray();
    }

    private static MlsException invalid(String why) {
        return new MlsException(ErrorCode.INVALID_ARGUMENT, why);
    }
}
