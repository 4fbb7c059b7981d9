package org.mlskit.interop.server;

import java.util.function.ToIntFunction;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;
import org.mlskit.interop.proto.ProposalDescription;
import org.mlskit.schedule.PreSharedKeyId;

/**
 * Turns the harness's ProposalDescription into an mls-core Proposal, for commits by value and
 * for external senders. The names are the harness's: add, remove, externalPSK, resumptionPSK,
 * groupContextExtensions, reinit.
 */
final class ProposalFactory {
    private ProposalFactory() {
    }

    /**
     * @param groupId the group the proposal is for (resumption PSKs name it)
     * @param leafOf the leaf of a member by identity, -1 when there is none
     */
    static Proposal from(ProposalDescription d, CipherSuite suite, byte[] groupId, ToIntFunction<byte[]> leafOf,
            RandomSource random) {
        String type = Wire.text(d.getProposalType());
        switch (type) {
            case "add":
                return new Proposal.Add(Wire.keyPackage(d.getKeyPackage()));
            case "remove": {
                int leaf = leafOf.applyAsInt(d.getRemovedId().toByteArray());
                if (leaf < 0) {
                    throw InteropException.badRequest("no member named " + Wire.text(d.getRemovedId()));
                }
                return new Proposal.Remove(leaf);
            }
            case "externalPSK":
                return new Proposal.PreSharedKey(PreSharedKeyId.external(d.getPskId().toByteArray(),
                        random.bytes(suite.kdf().length())));
            case "resumptionPSK":
                return new Proposal.PreSharedKey(PreSharedKeyId.resumption(PreSharedKeyId.USAGE_APPLICATION, groupId,
                        d.getEpochId(), random.bytes(suite.kdf().length())));
            case "groupContextExtensions":
                return new Proposal.GroupContextExtensions(Wire.extensions(d.getExtensionsList()));
            case "reinit":
                return new Proposal.ReInit(d.getGroupId().toByteArray(), GroupContext.MLS10, d.getCipherSuite(),
                        Wire.extensions(d.getExtensionsList()));
            default:
                throw InteropException.badRequest("unknown proposal type '" + type + "'");
        }
    }
}
