package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PrivateMessageProtection;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.SignatureKeyLookup;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.LeafNodeValidation;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.UpdatePath;

/**
 * Processing incoming group messages (RFC 9420 §6 framing, §12.1 proposals, §12.4.2 commits):
 * unprotect and verify, then cache a proposal or stage a commit. Nothing here changes the
 * epoch; a staged commit is installed by {@link Group#merge}.
 */
final class MessageProcessing {
    private MessageProcessing() {
    }

    /** See {@link Group#process}. */
    static ProcessedMessage process(Group g, byte[] message) {
        MlsMessage m = MlsMessage.fromBytes(message);
        if (m.wireFormat == WireFormat.PUBLIC_MESSAGE) {
            return processPublic(g, (PublicMessage) m.body);
        }
        if (m.wireFormat == WireFormat.PRIVATE_MESSAGE) {
            return processPrivate(g, (PrivateMessage) m.body);
        }
        throw new MlsException(ErrorCode.INVALID_ARGUMENT, "wire format " + m.wireFormat
                + " is not a group message (Welcomes and GroupInfos are for joining)");
    }

    private static ProcessedMessage processPublic(Group g, PublicMessage pm) {
        EpochState state = g.state();
        checkGroup(g, pm.content.groupId);
        if (pm.content.epoch != state.epoch()) {
            throw wrongEpoch(g, pm.content.epoch);
        }
        AuthenticatedContent ac = PublicMessageProtection.unprotect(g.suite(), pm, state.context,
                state.secrets.membershipKey(), signatureKeys(state));
        return handle(g, ac, state);
    }

    private static ProcessedMessage processPrivate(Group g, PrivateMessage pm) {
        checkGroup(g, pm.groupId);
        EpochState s = pm.epoch == g.state().epoch() ? g.state() : null;
        if (s == null && pm.contentType == ContentType.APPLICATION) {
            s = g.retained(pm.epoch);
        }
        if (s == null) {
            throw wrongEpoch(g, pm.epoch);
        }
        PrivateMessageProtection.Opened opened = PrivateMessageProtection.open(g.suite(), pm, s.context, s.secretTree,
                s.secrets.senderDataSecret(), signatureKeys(s));
        boolean ok = false;
        try {
            ProcessedMessage out = handle(g, opened.content, s);
            opened.receipt.commit();
            ok = true;
            return out;
        } finally {
            if (!ok) {
                opened.receipt.discard();
            }
        }
    }

    private static ProcessedMessage handle(Group g, AuthenticatedContent ac, EpochState s) {
        FramedContent c = ac.content;
        Credential credential = senderCredential(s, c);
        switch (c.contentType) {
            case ContentType.APPLICATION:
                return new ProcessedMessage(ProcessedMessage.Kind.APPLICATION, c.epoch, c.sender, credential,
                        c.authenticatedData, c.applicationData, null, null, null);
            case ContentType.PROPOSAL: {
                g.checkActive();
                checkProposal(g, c.proposal, c.sender);
                byte[] ref = Proposal.ref(g.suite(), ac.toBytes());
                for (ProposalList.Entry e : g.cached) {
                    if (Arrays.equals(e.ref, ref)) {
                        throw new MlsException(ErrorCode.DUPLICATE_MESSAGE, "this proposal was already received");
                    }
                }
                g.cached.add(new ProposalList.Entry(c.proposal, c.sender, ref));
                return new ProcessedMessage(ProcessedMessage.Kind.PROPOSAL, c.epoch, c.sender, credential,
                        c.authenticatedData, null, c.proposal, ref, null);
            }
            default: {
                g.checkActive();
                StagedCommit sc = stageReceived(g, ac);
                return new ProcessedMessage(ProcessedMessage.Kind.COMMIT, c.epoch, c.sender, credential, c.authenticatedData,
                        null, null, null, sc);
            }
        }
    }

    /** Checks a received commit in full (§12.4.2) and computes the epoch it leads to, without applying it. */
    private static StagedCommit stageReceived(Group g, AuthenticatedContent ac) {
        EpochState state = g.state();
        CipherSuite suite = g.suite();
        GroupConfig config = g.config();
        FramedContent c = ac.content;
        Commit commit = c.commit;
        Sender committer = c.sender;
        boolean external = committer.type == Sender.NEW_MEMBER_COMMIT;
        int me = state.myLeaf();
        if (!external && committer.index == me) {
            throw new MlsException(ErrorCode.INVALID_STATE, "this is our own commit: merge the staged commit instead");
        }
        List<ProposalList.Entry> entries = new ArrayList<>();
        for (ProposalOrRef p : commit.proposals) {
            entries.add(p.proposal != null ? new ProposalList.Entry(p.proposal, committer, null) : findCached(g, p.reference));
        }
        ProposalList pl = ProposalList.apply(state, entries, committer, config);
        UpdatePath path = commit.path;
        if (path == null && (pl.pathRequired || external)) {
            throw new MlsException(ErrorCode.INVALID_COMMIT, "this commit needs an UpdatePath (§12.4)");
        }
        int committerLeaf = committer.index;
        if (external) {
            if (!pl.removedLeafNodes.isEmpty()
                    && !config.identityChecker.sameClient(pl.removedLeafNodes.get(0).credential, path.leafNode.credential)) {
                throw new MlsException(ErrorCode.INVALID_COMMIT, "a resync may only remove the joiner's own old leaf");
            }
            // The joiner's leaf goes to the leftmost blank leaf (§12.1.1). It is validated against the
            // tree before it is added: validated after, it was compared with itself as the leaf it
            // "replaces" and every external commit failed with "an updated leaf must have a new
            // encryption key".
            committerLeaf = pl.tree.leftmostBlankLeaf();
            if (committerLeaf < 0) {
                committerLeaf = pl.tree.leafCount();
            }
        }
        if (path != null) {
            LeafNodeValidation.validate(suite, path.leafNode, LeafNodeValidation.Origin.COMMIT, state.context.groupId(),
                    committerLeaf, pl.tree, org.mlskit.keys.RequiredCapabilities.find(pl.extensions), -1);
            config.identityChecker.validate(path.leafNode.credential, path.leafNode.signatureKey);
            if (!external && !config.identityChecker.sameClient(state.tree.leaf(committerLeaf).credential,
                    path.leafNode.credential)) {
                throw new MlsException(ErrorCode.INVALID_COMMIT, "the committer's path changes its identity");
            }
            if (external && pl.tree.addLeaf(path.leafNode) != committerLeaf) {
                throw new IllegalStateException("the joiner's leaf landed elsewhere than the leftmost blank leaf");
            }
            TreeKem.mergePath(pl.tree, committerLeaf, path);
        }
        GroupContext provisional = g.provisionalContext(pl);
        if (pl.removedLeaves.contains(me)) {
            return new StagedCommit(state, null, pl, committer, committerLeaf, false, null, null, null);
        }
        PrivateTree priv = state.privateTree.copy();
        byte[] commitSecret = null;
        try {
            // Our own Update committed by another member: its path secret for us is encrypted to the
            // leaf key we made when proposing the Update (§12.1.2), which must be in place before
            // decrypting (merge's adoptUpdateKeys came too late: the path never decrypted).
            if (pl.updatedLeaves.contains(me)) {
                g.adoptUpdateKey(priv, pl.tree.leaf(me).encryptionKey);
            }
            if (path != null) {
                TreeKem.Decrypted d = TreeKem.decryptPath(pl.tree, committerLeaf, path, priv, provisional.toBytes(),
                        Group.toArray(pl.addedLeaves));
                commitSecret = d.commitSecret;
                Arrays.fill(d.pathSecret, (byte) 0);
            }
            Group.prune(priv, pl.tree);
            byte[] initSecret = state.secrets.initSecret();
            if (pl.kemOutput != null) {
                KeyPair ext = state.secrets.externalKeyPair();
                initSecret = suite.hpke().exportFromKemOutput(ext.privateKey(), pl.kemOutput, new byte[0], Joining.EXTERNAL_INIT_LABEL,
                        suite.kdf().length());
            }
            EpochState next = EpochState.next(state, pl, provisional, ac.wireFormat, c, ac.auth.signature, commitSecret,
                    initSecret, Psks.secret(g, pl.psks), priv, config.ratchetPolicy, ac.auth.confirmationTag);
            return new StagedCommit(state, next, pl, committer, committerLeaf, false, null, null, null);
        } catch (RuntimeException e) {
            priv.erase();
            throw e;
        }
    }

    private static ProposalList.Entry findCached(Group g, byte[] ref) {
        for (ProposalList.Entry e : g.cached) {
            if (Arrays.equals(e.ref, ref)) {
                return e;
            }
        }
        throw new MlsException(ErrorCode.UNKNOWN_PROPOSAL, "the commit refers to a proposal not received in this epoch");
    }

    /**
     * Checks of one proposal on its own (§12.1) that need no other proposal; the rest happen at
     * commit time. Used for proposals sent and received.
     */
    static void checkProposal(Group g, Proposal p, Sender sender) {
        EpochState state = g.state();
        CipherSuite suite = g.suite();
        if (p instanceof Proposal.Add) {
            KeyPackageValidation.validate(suite, ((Proposal.Add) p).keyPackage, g.config().clock.nowSeconds());
        } else if (p instanceof Proposal.Update) {
            if (sender.type != Sender.MEMBER) {
                throw ProposalList.invalid("only members can propose an Update");
            }
            LeafNodeValidation.validate(suite, ((Proposal.Update) p).leafNode, LeafNodeValidation.Origin.UPDATE,
                    state.context.groupId(), sender.index, state.tree,
                    org.mlskit.keys.RequiredCapabilities.find(state.context.extensions()), -1);
        } else if (p instanceof Proposal.Remove) {
            int leaf = ((Proposal.Remove) p).removed;
            if (Integer.compareUnsigned(leaf, state.tree.leafCount()) >= 0 || state.tree.leaf(leaf) == null) {
                throw ProposalList.invalid("Remove of leaf " + Integer.toUnsignedString(leaf) + ", which holds no member");
            }
        } else if (p instanceof Proposal.GroupContextExtensions) {
            ProposalList.checkGroupExtensions(((Proposal.GroupContextExtensions) p).extensions);
        } else if (p instanceof Proposal.ExternalInit) {
            if (sender.type != Sender.NEW_MEMBER_COMMIT) {
                throw ProposalList.invalid("an ExternalInit only belongs in an external commit");
            }
        }
    }

    /** The signature key of each sender type (§6.1), looked up in epoch {@code s}. */
    private static SignatureKeyLookup signatureKeys(EpochState s) {
        return content -> {
            Sender sender = content.sender;
            switch (sender.type) {
                case Sender.MEMBER:
                    LeafNode leaf = Integer.compareUnsigned(sender.index, s.tree.leafCount()) < 0 ? s.tree.leaf(sender.index) : null;
                    return leaf == null ? null : leaf.signatureKey;
                case Sender.EXTERNAL: {
                    List<ExternalSenders.Entry> ext = ExternalSenders.find(s.context.extensions());
                    return Integer.compareUnsigned(sender.index, ext.size()) < 0 ? ext.get(sender.index).signatureKey : null;
                }
                case Sender.NEW_MEMBER_PROPOSAL:
                    return content.proposal instanceof Proposal.Add
                            ? ((Proposal.Add) content.proposal).keyPackage.leafNode.signatureKey : null;
                default:
                    return content.commit != null && content.commit.path != null
                            ? content.commit.path.leafNode.signatureKey : null;
            }
        };
    }

    private static Credential senderCredential(EpochState s, FramedContent c) {
        switch (c.sender.type) {
            case Sender.MEMBER:
                return s.tree.leaf(c.sender.index).credential;
            case Sender.EXTERNAL:
                return ExternalSenders.find(s.context.extensions()).get(c.sender.index).credential;
            case Sender.NEW_MEMBER_PROPOSAL:
                return ((Proposal.Add) c.proposal).keyPackage.leafNode.credential;
            default:
                return c.commit.path.leafNode.credential;
        }
    }

    private static void checkGroup(Group g, byte[] groupId) {
        if (!Arrays.equals(groupId, g.state().context.groupId())) {
            throw new MlsException(ErrorCode.WRONG_GROUP, "the message is for another group");
        }
    }

    private static MlsException wrongEpoch(Group g, long epoch) {
        long current = g.state().epoch();
        return new MlsException(ErrorCode.WRONG_EPOCH, "message for epoch " + Long.toUnsignedString(epoch)
                + "; the group is in epoch " + current + (g.past.isEmpty() ? "" : " and retains "
                + g.past.getLast().epoch() + ".." + (current - 1) + " for application messages"));
    }
}
