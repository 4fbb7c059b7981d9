package org.mlskit.group;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.schedule.TranscriptHash;
import org.mlskit.schedule.SecretTree;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;

/**
 * One epoch of a group as a member sees it: the public state every member agrees on (GroupContext,
 * ratchet tree, interim transcript hash, the confirmation tag that opened it), the epoch's
 * secrets, the secret tree whose ratchets are consumed as messages flow, and this member's
 * private tree keys.
 */
final class EpochState {
    final GroupContext context;
    final RatchetTree tree;
    final byte[] interimTranscriptHash;
    final byte[] confirmationTag;
    final EpochSecrets secrets;
    final SecretTree secretTree;
    final PrivateTree privateTree;

    EpochState(GroupContext context, RatchetTree tree, byte[] interimTranscriptHash, byte[] confirmationTag,
            EpochSecrets secrets, SecretTree secretTree, PrivateTree privateTree) {
        this.context = context;
        this.tree = tree;
        this.interimTranscriptHash = interimTranscriptHash;
        this.confirmationTag = confirmationTag;
        this.secrets = secrets;
        this.secretTree = secretTree;
        this.privateTree = privateTree;
    }

    /**
     * The epoch a commit leads to (RFC 9420 §8, §8.2): the confirmed transcript hash over the
     * commit's content and signature, the GroupContext with it, the key schedule, the confirmation
     * tag (checked against {@code expectedTag} when receiving) and the interim transcript hash.
     */
    static EpochState next(EpochState old, ProposalList pl, GroupContext provisional, int wireFormat,
            org.mlskit.framing.FramedContent content, byte[] signature, byte[] commitSecret, byte[] initSecret,
            byte[] pskSecret, PrivateTree priv, org.mlskit.schedule.RatchetPolicy policy, byte[] expectedTag) {
        CipherSuite suite = pl.tree.suite();
        TlsWriter input = new TlsWriter(512);
        input.u16(wireFormat);
        content.encode(input);
        input.opaque(signature);
        byte[] confirmed = TranscriptHash.confirmed(suite, old.interimTranscriptHash, input.toByteArray());
        GroupContext context = new GroupContext(provisional.cipherSuite(), provisional.groupId(), provisional.epoch(),
                provisional.treeHash(), confirmed, provisional.extensions());
        EpochSecrets secrets = KeySchedule.next(suite, initSecret, commitSecret, pskSecret, context);
        byte[] tag = TranscriptHash.confirmationTag(suite, secrets.confirmationKey(), confirmed);
        if (expectedTag != null && !org.bouncycastle.util.Arrays.constantTimeAreEqual(tag, expectedTag)) {
            secrets.erase();
            throw new MlsException(ErrorCode.INVALID_CONFIRMATION_TAG, "the commit's confirmation tag does not match");
        }
        return new EpochState(context, pl.tree, TranscriptHash.interim(suite, confirmed, tag), tag, secrets,
                new SecretTree(suite, secrets.encryptionSecret(), pl.tree.leafCount(), policy), priv);
    }

    long epoch() {
        return context.epoch();
    }

    int myLeaf() {
        return privateTree.leaf();
    }

    /** Retires the epoch's secrets for good (its retention ended, or it was replaced). */
    void erase() {
        secrets.erase();
        secretTree.erase();
        privateTree.erase();
    }

    void encode(TlsWriter out) {
        context.encode(out);
        tree.encode(out);
        out.opaque(interimTranscriptHash).opaque(confirmationTag);
        secrets.encode(out);
        secretTree.encode(out);
        privateTree.encode(out);
    }

    static EpochState decode(CipherSuite suite, TlsReader in) {
        GroupContext context = GroupContext.decode(in);
        RatchetTree tree = RatchetTree.decode(suite, in);
        return new EpochState(context, tree, in.opaque(), in.opaque(), EpochSecrets.decode(suite, in),
                SecretTree.decode(suite, in), PrivateTree.decode(in));
    }
}
