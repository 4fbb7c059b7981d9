package org.mlskit.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.LeafNode;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.UpdatePath;

/**
 * Creating a commit (RFC 9420 §12.4): pick the proposals, build the UpdatePath when one is
 * needed, compute the next epoch and the Welcome, and hand back a {@link StagedCommit}. The
 * group itself is not changed here; {@link Group#merge} installs the result.
 */
final class CommitCreation {
    private CommitCreation() {
    }

    /** See {@link Group#commit}. */
    static StagedCommit commit(Group g, List<Proposal> byValue, boolean forcePath, byte[] authenticatedData) {
        g.checkActive();
        if (g.staged != null) {
            throw new MlsException(ErrorCode.INVALID_STATE, "a commit is already staged: merge or discard it first");
        }
        EpochState state = g.state();
        CipherSuite suite = g.suite();
        GroupConfig config = g.config();
        int me = state.myLeaf();
        Sender self = Sender.member(me);
        List<ProposalList.Entry> entries = new ArrayList<>();
        for (Proposal p : byValue) {
            entries.add(new ProposalList.Entry(p, self, null));
        }
        ProposalList pl = withCachedProposals(g, entries, self);
        boolean path = pl.pathRequired || forcePath || config.alwaysUpdatePath;
        PrivateTree priv = state.privateTree.copy();
        TreeKem.PendingPath pending = null;
        UpdatePath updatePath = null;
        GroupContext provisional;
        if (path) {
            LeafNode current = state.tree.leaf(me);
            LeafNode template = new LeafNode(null, g.identity().signaturePublicKey(), current.credential, current.capabilities,
                    LeafNode.SOURCE_COMMIT, null, null, current.extensions, new byte[0]);
            pending = TreeKem.createPath(pl.tree, me, template, g.identity().signaturePrivateKey(), state.context.groupId(),
                    g.random());
            provisional = g.provisionalContext(pl);
            updatePath = pending.encrypt(provisional.toBytes(), Group.toArray(pl.addedLeaves), g.random());
        } else {
            provisional = g.provisionalContext(pl);
        }
        Group.prune(priv, pl.tree);
        if (pending != null) {
            pending.applyTo(priv);
        }
        List<ProposalOrRef> refs = new ArrayList<>();
        for (ProposalList.Entry e : pl.entries) {
            refs.add(e.ref != null ? ProposalOrRef.byReference(e.ref) : ProposalOrRef.byValue(e.proposal));
        }
        FramedContent content = FramedContent.commit(state.context.groupId(), state.epoch(), self,
                Group.nonNull(authenticatedData), new Commit(refs, updatePath));
        int wireFormat = config.handshakeWireFormat;
        byte[] signature = ContentSigning.sign(suite, g.identity().signingKey(), wireFormat, content, state.context);
        byte[] pskSecret = Psks.secret(g, pl.psks);
        EpochState next = EpochState.next(state, pl, provisional, wireFormat, content, signature,
                pending == null ? null : pending.commitSecret(), state.secrets.initSecret(), pskSecret, priv,
                config.ratchetPolicy, null);
        AuthenticatedContent ac = new AuthenticatedContent(wireFormat, content,
                new FramedContentAuthData(signature, next.confirmationTag));
        byte[] message = g.protect(ac);
        byte[] welcome = null;
        if (!pl.added.isEmpty()) {
            welcome = new MlsMessage(WireFormat.WELCOME, Joining.welcome(g, next, pl, pending)).toBytes();
        }
        g.staged = new StagedCommit(state, next, pl, self, me, true, message, welcome, pending);
        return g.staged;
    }

    /**
     * {@code byValue} plus the cached proposals this commit can include (§12.4: received proposals
     * go in by reference). All of them at once when they are valid together, which is the usual
     * case; otherwise each is kept only if the list stays valid with it (§12.2).
     */
    private static ProposalList withCachedProposals(Group g, List<ProposalList.Entry> byValue, Sender self) {
        EpochState state = g.state();
        GroupConfig config = g.config();
        List<ProposalList.Entry> candidates = new ArrayList<>();
        for (ProposalList.Entry e : g.cached) {
            if (e.proposal instanceof Proposal.Update && e.sender.type == Sender.MEMBER && e.sender.index == self.index) {
                continue; // our own Update is superseded by the path this commit carries
            }
            if (e.proposal instanceof Proposal.PreSharedKey && !resolvable(g, ((Proposal.PreSharedKey) e.proposal).psk)) {
                continue; // a PSK this member cannot resolve would make every commit of the epoch fail
            }
            candidates.add(e);
        }
        if (!candidates.isEmpty()) {
            List<ProposalList.Entry> all = new ArrayList<>(byValue);
            all.addAll(candidates);
            try {
                return ProposalList.apply(state, all, self, config);
            } catch (MlsException notTogether) {
                // fall through to one by one
            }
        }
        List<ProposalList.Entry> entries = byValue;
        ProposalList pl = ProposalList.apply(state, entries, self, config);
        for (ProposalList.Entry e : candidates) {
            List<ProposalList.Entry> attempt = new ArrayList<>(entries);
            attempt.add(e);
            try {
                pl = ProposalList.apply(state, attempt, self, config);
                entries = attempt;
            } catch (MlsException skip) {
                // §12.2: a committer leaves out proposals that are invalid together with the rest.
            }
        }
        return pl;
    }

    private static boolean resolvable(Group g, PreSharedKeyId psk) {
        try {
            Psks.secret(g, Collections.singletonList(psk));
            return true;
        } catch (MlsException e) {
            return false;
        }
    }
}
