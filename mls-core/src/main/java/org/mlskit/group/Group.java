package org.mlskit.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PrivateMessageProtection;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.SignatureKeyLookup;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.LeafNodeValidation;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.TreeMath;
import org.mlskit.tree.UpdatePath;

/**
 * One member's view of an MLS group (RFC 9420 §§10–13): send and receive application messages,
 * propose, commit (staged, then merged or discarded), and move from epoch to epoch. Every
 * rejected input throws a typed {@link MlsException} and leaves the group as it was. Not
 * thread-safe: one group, one caller at a time.
 *
 * <p>Past epochs stay readable for late application messages within
 * {@link GroupConfig#retainedEpochs}; their secrets are erased when they fall out.
 */
public final class Group {
    private static final int STATE_VERSION = 1;

    /** Where the member stands. */
    public enum Status {
        /** A member in good standing. */
        ACTIVE,
        /** Removed by a merged commit: past messages still decrypt within retention, nothing can be sent. */
        REMOVED,
        /** A ReInit was committed: the group only awaits its successor (see {@link #reInitialize}). */
        REINIT_PENDING
    }

    private final CipherSuite suite;
    private final Identity identity;
    private final RandomSource random;
    private GroupConfig config;
    private EpochState state;
    /** Retained past epochs, newest first. */
    private final ArrayDeque<EpochState> past = new ArrayDeque<>();
    /** Proposals received (or sent) in the current epoch, by reference. */
    private final List<ProposalList.Entry> cached = new ArrayList<>();
    private Status status = Status.ACTIVE;
    private Proposal.ReInit pendingReInit;
    private StagedCommit staged;

    private Group(CipherSuite suite, Identity identity, GroupConfig config, RandomSource random, EpochState state) {
        this.suite = suite;
        this.identity = identity;
        this.config = config;
        this.random = random;
        this.state = state;
    }

    // ---------------------------------------------------------------- creating and joining

    /** A new one-member group (§11) with the given GroupContext extensions. */
    public static Group create(Identity identity, byte[] groupId, List<Extension> extensions, GroupConfig config,
            RandomSource random) {
        CipherSuite suite = identity.suite();
        if (groupId == null || groupId.length == 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a group id must not be empty");
        }
        ProposalList.checkGroupExtensions(extensions);
        // The creator is the first member: it must support the group's extensions as every member
        // must (§13); without this check a group could start with extensions nobody supports.
        ProposalList.checkSupportsGroupExtensions(identity.capabilities(), extensions);
        KeyPair enc = suite.hpke().generateKeyPair(random);
        long now = config.clock.nowSeconds();
        LeafNode unsigned = new LeafNode(enc.publicKey(), identity.signaturePublicKey(), identity.credential(),
                identity.capabilities(), LeafNode.SOURCE_KEY_PACKAGE,
                new Lifetime(now - 3600, now + KeyPackageBundle.DEFAULT_LIFETIME_SECONDS), null, new ArrayList<>(), new byte[0]);
        LeafNode leaf = unsigned.withSignature(identity.sign("LeafNodeTBS", unsigned.toBeSigned(groupId, 0)));
        RatchetTree tree = RatchetTree.single(suite, leaf);
        LeafNodeValidation.validate(suite, leaf, LeafNodeValidation.Origin.TREE, groupId, 0, null,
                org.mlskit.keys.RequiredCapabilities.find(extensions), -1);
        GroupContext context = new GroupContext(suite.id(), groupId, 0, tree.treeHash(), new byte[0], extensions);
        org.mlskit.schedule.EpochSecrets secrets = org.mlskit.schedule.KeySchedule.next(suite,
                random.bytes(suite.kdf().length()), null, null, context);
        byte[] tag = org.mlskit.schedule.TranscriptHash.confirmationTag(suite, secrets.confirmationKey(), new byte[0]);
        EpochState state = new EpochState(context, tree, org.mlskit.schedule.TranscriptHash.interim(suite, new byte[0], tag),
                tag, secrets, new org.mlskit.schedule.SecretTree(suite, secrets.encryptionSecret(), 1, config.ratchetPolicy),
                new PrivateTree(0, enc.privateKey()));
        return new Group(suite, identity, config, random, state);
    }

    /**
     * Joins from a Welcome (§12.4.3.1) with the KeyPackage it was made for. {@code ratchetTree}
     * (a serialized ratchet_tree) is needed only when the Welcome does not carry the tree.
     * Reinit and branch PSKs are looked up in {@link GroupConfig#pskStore} (see {@link #pskStoreWith}).
     */
    public static Group join(byte[] welcomeMessage, KeyPackageBundle keyPackage, Identity identity, byte[] ratchetTree,
            GroupConfig config, RandomSource random) {
        return Joining.fromWelcome(welcomeMessage, keyPackage, identity, ratchetTree, config, random);
    }

    /**
     * For benchmarks only ({@link GroupBench}): a member at {@code leaf} that shares {@code source}'s
     * epoch state, with its own identity and leaf key and no path keys. It may create commits sent
     * as PublicMessages; merging one, or sending PrivateMessages, would corrupt {@code source}.
     */
    static Group standIn(Group source, int leaf, Identity identity, byte[] leafPrivateKey) {
        EpochState s = source.state;
        return new Group(source.suite, identity, source.config, source.random, new EpochState(s.context, s.tree,
                s.interimTranscriptHash, s.confirmationTag, s.secrets, s.secretTree, new PrivateTree(leaf, leafPrivateKey)));
    }

    static Group joined(Identity identity, GroupConfig config, RandomSource random, EpochState state) {
        return new Group(state.tree.suite(), identity, config, random, state);
    }

    /**
     * Joins by external commit (§12.4.3.2) from a GroupInfo with an external_pub extension. The
     * returned group is already in the new epoch; send {@link ExternalJoin#commit} to the group and
     * drop the group if the delivery service refuses it. {@code resyncLeaf} >= 0 removes that
     * leaf (an old appearance of this client) in the same commit.
     */
    public static ExternalJoin joinExternally(byte[] groupInfoMessage, Identity identity, byte[] ratchetTree, int resyncLeaf,
            List<PreSharedKeyId> psks, byte[] authenticatedData, GroupConfig config, RandomSource random) {
        return Joining.external(groupInfoMessage, identity, ratchetTree, resyncLeaf, psks, authenticatedData, config, random);
    }

    /** The result of an external join: the new member's group and the commit to send. */
    public static final class ExternalJoin {
        public final Group group;
        private final byte[] commit;

        ExternalJoin(Group group, byte[] commit) {
            this.group = group;
            this.commit = commit;
        }

        public byte[] commit() {
            return commit.clone();
        }
    }

    // ---------------------------------------------------------------- accessors

    public CipherSuite suite() {
        return suite;
    }

    public byte[] groupId() {
        return state.context.groupId();
    }

    public long epoch() {
        return state.epoch();
    }

    public Status status() {
        return status;
    }

    public GroupConfig config() {
        return config;
    }

    /** Local policy can change at any time (it is not part of the saved state). */
    public void setConfig(GroupConfig config) {
        this.config = config;
    }

    public Identity identity() {
        return identity;
    }

    public int myLeafIndex() {
        return state.myLeaf();
    }

    public GroupContext context() {
        return state.context;
    }

    public List<Extension> extensions() {
        return state.context.extensions();
    }

    /** The GroupContext extension of {@code type}, or null. */
    public byte[] extension(int type) {
        for (Extension e : state.context.extensions()) {
            if (e.type() == type) {
                return e.data();
            }
        }
        return null;
    }

    public List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < state.tree.leafCount(); i++) {
            LeafNode l = state.tree.leaf(i);
            if (l != null) {
                out.add(new Member(i, l));
            }
        }
        return Collections.unmodifiableList(out);
    }

    public int memberCount() {
        int n = 0;
        for (int i = 0; i < state.tree.leafCount(); i++) {
            if (state.tree.leaf(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** The member at {@code leaf}, or null for a blank or absent leaf. */
    public Member member(int leaf) {
        if (leaf < 0 || leaf >= state.tree.leafCount() || state.tree.leaf(leaf) == null) {
            return null;
        }
        return new Member(leaf, state.tree.leaf(leaf));
    }

    /** MLS-Exporter(label, context, length) of the current epoch (§8.5). */
    public byte[] export(String label, byte[] context, int length) {
        return state.secrets.export(label, context, length);
    }

    /** The epoch authenticator (§8.7): equal for all members who agree on the epoch. */
    public byte[] epochAuthenticator() {
        return state.secrets.epochAuthenticator();
    }

    /** The resumption PSK of the current epoch or a retained one, or null. */
    public byte[] resumptionPsk(long epoch) {
        EpochState s = retained(epoch);
        return s == null ? null : s.secrets.resumptionPsk();
    }

    /** The serialized ratchet tree, for joiners when Welcomes do not carry it. */
    public byte[] ratchetTree() {
        return state.tree.toBytes();
    }

    /** The ReInit committed in this group, once {@link #status()} is REINIT_PENDING. */
    public Proposal.ReInit pendingReInit() {
        return pendingReInit;
    }

    /** The own commit staged and not yet merged or discarded, or null. */
    public StagedCommit stagedCommit() {
        return staged;
    }

    // ---------------------------------------------------------------- application messages

    /** Encrypts application data as a PrivateMessage (§6.3) in the current epoch. */
    public byte[] encrypt(byte[] data, byte[] authenticatedData) {
        checkActive();
        FramedContent content = FramedContent.application(state.context.groupId(), state.epoch(),
                Sender.member(state.myLeaf()), nonNull(authenticatedData), data);
        AuthenticatedContent ac = ContentSigning.authenticate(suite, identity.signingKey(),
                WireFormat.PRIVATE_MESSAGE, content, state.context, null);
        PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, state.secretTree, state.secrets.senderDataSecret(),
                config.paddingBlock, random);
        return new MlsMessage(WireFormat.PRIVATE_MESSAGE, pm).toBytes();
    }

    // ---------------------------------------------------------------- proposals

    public byte[] proposeAdd(KeyPackage keyPackage, byte[] authenticatedData) {
        return propose(new Proposal.Add(keyPackage), authenticatedData);
    }

    public byte[] proposeRemove(int leaf, byte[] authenticatedData) {
        return propose(new Proposal.Remove(leaf), authenticatedData);
    }

    /** Proposes a fresh leaf for this member (new HPKE key); the private key is kept until a commit includes it. */
    public byte[] proposeUpdate(byte[] authenticatedData) {
        checkActive();
        KeyPair enc = suite.hpke().generateKeyPair(random);
        LeafNode current = state.tree.leaf(state.myLeaf());
        LeafNode unsigned = new LeafNode(enc.publicKey(), identity.signaturePublicKey(), current.credential,
                current.capabilities, LeafNode.SOURCE_UPDATE, null, null, current.extensions, new byte[0]);
        LeafNode leaf = unsigned.withSignature(identity.sign("LeafNodeTBS",
                unsigned.toBeSigned(state.context.groupId(), state.myLeaf())));
        pendingUpdateKeys.add(new byte[][] {enc.publicKey(), enc.privateKey()});
        return propose(new Proposal.Update(leaf), authenticatedData);
    }

    /** HPKE key pairs of this member's own pending Update proposals, by public key. */
    private final List<byte[][]> pendingUpdateKeys = new ArrayList<>();

    public byte[] proposeExternalPsk(byte[] pskId, byte[] authenticatedData) {
        return propose(new Proposal.PreSharedKey(PreSharedKeyId.external(pskId, random.bytes(suite.kdf().length()))),
                authenticatedData);
    }

    /** Proposes to inject this group's resumption PSK of a retained {@code epoch}. */
    public byte[] proposeResumptionPsk(long epoch, byte[] authenticatedData) {
        return propose(new Proposal.PreSharedKey(PreSharedKeyId.resumption(PreSharedKeyId.USAGE_APPLICATION,
                state.context.groupId(), epoch, random.bytes(suite.kdf().length()))), authenticatedData);
    }

    public byte[] proposeGroupContextExtensions(List<Extension> extensions, byte[] authenticatedData) {
        return propose(new Proposal.GroupContextExtensions(extensions), authenticatedData);
    }

    public byte[] proposeReInit(byte[] newGroupId, CipherSuite newSuite, List<Extension> extensions, byte[] authenticatedData) {
        return propose(new Proposal.ReInit(newGroupId, GroupContext.MLS10, newSuite.id(), extensions), authenticatedData);
    }

    /** Sends a proposal in the current epoch and caches it, so that this member's own commit can include it. */
    public byte[] propose(Proposal proposal, byte[] authenticatedData) {
        checkActive();
        Sender me = Sender.member(state.myLeaf());
        checkProposal(proposal, me);
        FramedContent content = FramedContent.proposal(state.context.groupId(), state.epoch(), me, nonNull(authenticatedData),
                proposal);
        AuthenticatedContent ac = ContentSigning.authenticate(suite, identity.signingKey(),
                config.handshakeWireFormat, content, state.context, null);
        byte[] message = protect(ac);
        cached.add(new ProposalList.Entry(proposal, me, Proposal.ref(suite, ac.toBytes())));
        return message;
    }

    // ---------------------------------------------------------------- commits

    /** Commits the cached proposals (those still valid together) plus an Add for each KeyPackage. */
    public StagedCommit add(List<KeyPackage> keyPackages) {
        List<Proposal> ps = new ArrayList<>();
        for (KeyPackage kp : keyPackages) {
            ps.add(new Proposal.Add(kp));
        }
        return commit(ps, false, null);
    }

    /** Commits the cached proposals plus a Remove for each leaf. */
    public StagedCommit remove(int... leaves) {
        List<Proposal> ps = new ArrayList<>();
        for (int leaf : leaves) {
            ps.add(new Proposal.Remove(leaf));
        }
        return commit(ps, false, null);
    }

    /** A commit with an UpdatePath: fresh keys for this member and its path (post-compromise security). */
    public StagedCommit update() {
        return commit(new ArrayList<>(), true, null);
    }

    /**
     * Builds a commit of {@code byValue} plus every cached proposal that is still valid with
     * them (§12.4: received proposals are included by reference). The group is unchanged until
     * {@link #merge}; meanwhile no other commit can be staged.
     *
     * @param forcePath include an UpdatePath even when the proposals do not require one
     */
    public StagedCommit commit(List<Proposal> byValue, boolean forcePath, byte[] authenticatedData) {
        checkActive();
        if (staged != null) {
            throw new MlsException(ErrorCode.INVALID_STATE, "a commit is already staged: merge or discard it first");
        }
        int me = state.myLeaf();
        Sender self = Sender.member(me);
        List<ProposalList.Entry> entries = new ArrayList<>();
        for (Proposal p : byValue) {
            entries.add(new ProposalList.Entry(p, self, null));
        }
        ProposalList pl = withCachedProposals(entries, self);
        boolean path = pl.pathRequired || forcePath || config.alwaysUpdatePath;
        PrivateTree priv = state.privateTree.copy();
        TreeKem.PendingPath pending = null;
        UpdatePath updatePath = null;
        GroupContext provisional;
        if (path) {
            LeafNode current = state.tree.leaf(me);
            LeafNode template = new LeafNode(null, identity.signaturePublicKey(), current.credential, current.capabilities,
                    LeafNode.SOURCE_COMMIT, null, null, current.extensions, new byte[0]);
            pending = TreeKem.createPath(pl.tree, me, template, identity.signaturePrivateKey(), state.context.groupId(), random);
            provisional = provisionalContext(pl);
            updatePath = pending.encrypt(provisional.toBytes(), toArray(pl.addedLeaves), random);
        } else {
            provisional = provisionalContext(pl);
        }
        prune(priv, pl.tree);
        if (pending != null) {
            pending.applyTo(priv);
        }
        List<ProposalOrRef> refs = new ArrayList<>();
        for (ProposalList.Entry e : pl.entries) {
            refs.add(e.ref != null ? ProposalOrRef.byReference(e.ref) : ProposalOrRef.byValue(e.proposal));
        }
        FramedContent content = FramedContent.commit(state.context.groupId(), state.epoch(), self, nonNull(authenticatedData),
                new Commit(refs, updatePath));
        int wireFormat = config.handshakeWireFormat;
        byte[] signature = ContentSigning.sign(suite, identity.signingKey(), wireFormat, content, state.context);
        byte[] pskSecret = Psks.secret(this, pl.psks);
        EpochState next = EpochState.next(state, pl, provisional, wireFormat, content, signature,
                pending == null ? null : pending.commitSecret(), state.secrets.initSecret(), pskSecret, priv,
                config.ratchetPolicy, null);
        AuthenticatedContent ac = new AuthenticatedContent(wireFormat, content,
                new FramedContentAuthData(signature, next.confirmationTag));
        byte[] message = protect(ac);
        byte[] welcome = null;
        if (!pl.added.isEmpty()) {
            welcome = new MlsMessage(WireFormat.WELCOME, Joining.welcome(this, next, pl, pending)).toBytes();
        }
        staged = new StagedCommit(state, next, pl, self, me, true, message, welcome, pending);
        return staged;
    }

    /**
     * {@code byValue} plus the cached proposals this commit can include (§12.4: received proposals
     * go in by reference). All of them at once when they are valid together, which is the usual
     * case; otherwise each is kept only if the list stays valid with it (§12.2).
     */
    private ProposalList withCachedProposals(List<ProposalList.Entry> byValue, Sender self) {
        List<ProposalList.Entry> candidates = new ArrayList<>();
        for (ProposalList.Entry e : cached) {
            if (e.proposal instanceof Proposal.Update && e.sender.type == Sender.MEMBER && e.sender.index == self.index) {
                continue; // our own Update is superseded by the path this commit carries
            }
            if (e.proposal instanceof Proposal.PreSharedKey && !resolvable(((Proposal.PreSharedKey) e.proposal).psk)) {
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

    private boolean resolvable(PreSharedKeyId psk) {
        try {
            Psks.secret(this, Collections.singletonList(psk));
            return true;
        } catch (MlsException e) {
            return false;
        }
    }

    private GroupContext provisionalContext(ProposalList pl) {
        return new GroupContext(suite.id(), state.context.groupId(), state.epoch() + 1, pl.tree.treeHash(),
                state.context.confirmedTranscriptHash(), pl.extensions);
    }

    /** Installs a staged commit's epoch (own, once the delivery service accepted it; or received). */
    public void merge(StagedCommit commit) {
        if (commit.base != state || !commit.markDone()) {
            throw new MlsException(ErrorCode.INVALID_STATE, "this staged commit does not belong to the group's current epoch");
        }
        if (commit.pendingPath != null) {
            commit.pendingPath.erase();
        }
        if (staged != null) {
            if (staged != commit) {
                dropStaged();
            }
            staged = null;
        }
        cached.clear();
        if (commit.next == null) {
            status = Status.REMOVED;
            clearPendingUpdates();
            return;
        }
        adoptUpdateKeys(commit);
        retire(state);
        state = commit.next;
        if (commit.proposals.reInit != null) {
            status = Status.REINIT_PENDING;
            pendingReInit = commit.proposals.reInit;
        }
    }

    /** Drops a staged commit; the group stays as it is (own commit: the delivery service refused it). */
    public void discard(StagedCommit commit) {
        if (!commit.markDone()) {
            return;
        }
        if (commit.pendingPath != null) {
            commit.pendingPath.erase();
        }
        if (commit.next != null) {
            commit.next.erase();
        }
        if (staged == commit) {
            staged = null;
        }
    }

    private void dropStaged() {
        StagedCommit s = staged;
        staged = null;
        discard(s);
    }

    /** When a commit includes our own Update, our leaf key is the one kept when proposing it. */
    private void adoptUpdateKeys(StagedCommit commit) {
        int me = state.myLeaf();
        if (commit.proposals.updatedLeaves.contains(me) && commit.next != null) {
            adoptUpdateKey(commit.next.privateTree, commit.next.tree.leaf(me).encryptionKey);
        }
        clearPendingUpdates();
    }

    /** Puts the private key of our pending Update whose public key is {@code pub} at our leaf in {@code priv}. */
    private void adoptUpdateKey(PrivateTree priv, byte[] pub) {
        for (byte[][] kp : pendingUpdateKeys) {
            if (Arrays.equals(kp[0], pub)) {
                priv.put(TreeMath.nodeIndex(priv.leaf()), kp[1]);
            }
        }
    }

    private void clearPendingUpdates() {
        for (byte[][] kp : pendingUpdateKeys) {
            Arrays.fill(kp[1], (byte) 0);
        }
        pendingUpdateKeys.clear();
    }

    /** Moves the current epoch into the retained past, erasing what falls out of retention. */
    private void retire(EpochState old) {
        past.addFirst(old);
        while (past.size() > config.retainedEpochs) {
            past.removeLast().erase();
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Verifies and processes one MLSMessage (PublicMessage or PrivateMessage) for this group.
     * Application messages of retained past epochs are accepted; handshake messages only in the
     * current epoch. A commit comes back staged: {@link #merge} it (or {@link #discard} it).
     */
    public ProcessedMessage process(byte[] message) {
        MlsMessage m = MlsMessage.fromBytes(message);
        if (m.wireFormat == WireFormat.PUBLIC_MESSAGE) {
            return processPublic((PublicMessage) m.body);
        }
        if (m.wireFormat == WireFormat.PRIVATE_MESSAGE) {
            return processPrivate((PrivateMessage) m.body);
        }
        throw new MlsException(ErrorCode.INVALID_ARGUMENT, "wire format " + m.wireFormat
                + " is not a group message (Welcomes and GroupInfos are for joining)");
    }

    private ProcessedMessage processPublic(PublicMessage pm) {
        checkGroup(pm.content.groupId);
        if (pm.content.epoch != state.epoch()) {
            throw wrongEpoch(pm.content.epoch);
        }
        AuthenticatedContent ac = PublicMessageProtection.unprotect(suite, pm, state.context, state.secrets.membershipKey(),
                signatureKeys(state));
        return handle(ac, state);
    }

    private ProcessedMessage processPrivate(PrivateMessage pm) {
        checkGroup(pm.groupId);
        EpochState s = pm.epoch == state.epoch() ? state : null;
        if (s == null && pm.contentType == ContentType.APPLICATION) {
            s = retained(pm.epoch);
        }
        if (s == null) {
            throw wrongEpoch(pm.epoch);
        }
        PrivateMessageProtection.Opened opened = PrivateMessageProtection.open(suite, pm, s.context, s.secretTree,
                s.secrets.senderDataSecret(), signatureKeys(s));
        boolean ok = false;
        try {
            ProcessedMessage out = handle(opened.content, s);
            opened.receipt.commit();
            ok = true;
            return out;
        } finally {
            if (!ok) {
                opened.receipt.discard();
            }
        }
    }

    private ProcessedMessage handle(AuthenticatedContent ac, EpochState s) {
        FramedContent c = ac.content;
        Credential credential = senderCredential(s, c);
        switch (c.contentType) {
            case ContentType.APPLICATION:
                return new ProcessedMessage(ProcessedMessage.Kind.APPLICATION, c.epoch, c.sender, credential,
                        c.authenticatedData, c.applicationData, null, null, null);
            case ContentType.PROPOSAL: {
                checkActive();
                checkProposal(c.proposal, c.sender);
                byte[] ref = Proposal.ref(suite, ac.toBytes());
                for (ProposalList.Entry e : cached) {
                    if (Arrays.equals(e.ref, ref)) {
                        throw new MlsException(ErrorCode.DUPLICATE_MESSAGE, "this proposal was already received");
                    }
                }
                cached.add(new ProposalList.Entry(c.proposal, c.sender, ref));
                return new ProcessedMessage(ProcessedMessage.Kind.PROPOSAL, c.epoch, c.sender, credential,
                        c.authenticatedData, null, c.proposal, ref, null);
            }
            default: {
                checkActive();
                StagedCommit sc = stageReceived(ac);
                return new ProcessedMessage(ProcessedMessage.Kind.COMMIT, c.epoch, c.sender, credential, c.authenticatedData,
                        null, null, null, sc);
            }
        }
    }

    /** Checks a received commit in full (§12.4.2) and computes the epoch it leads to, without applying it. */
    private StagedCommit stageReceived(AuthenticatedContent ac) {
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
            entries.add(p.proposal != null ? new ProposalList.Entry(p.proposal, committer, null) : findCached(p.reference));
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
        GroupContext provisional = provisionalContext(pl);
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
                adoptUpdateKey(priv, pl.tree.leaf(me).encryptionKey);
            }
            if (path != null) {
                TreeKem.Decrypted d = TreeKem.decryptPath(pl.tree, committerLeaf, path, priv, provisional.toBytes(),
                        toArray(pl.addedLeaves));
                commitSecret = d.commitSecret;
                Arrays.fill(d.pathSecret, (byte) 0);
            }
            prune(priv, pl.tree);
            byte[] initSecret = state.secrets.initSecret();
            if (pl.kemOutput != null) {
                KeyPair ext = state.secrets.externalKeyPair();
                initSecret = suite.hpke().exportFromKemOutput(ext.privateKey(), pl.kemOutput, new byte[0], Joining.EXTERNAL_INIT_LABEL,
                        suite.kdf().length());
            }
            EpochState next = EpochState.next(state, pl, provisional, ac.wireFormat, c, ac.auth.signature, commitSecret,
                    initSecret, Psks.secret(this, pl.psks), priv, config.ratchetPolicy, ac.auth.confirmationTag);
            return new StagedCommit(state, next, pl, committer, committerLeaf, false, null, null, null);
        } catch (RuntimeException e) {
            priv.erase();
            throw e;
        }
    }

    private ProposalList.Entry findCached(byte[] ref) {
        for (ProposalList.Entry e : cached) {
            if (Arrays.equals(e.ref, ref)) {
                return e;
            }
        }
        throw new MlsException(ErrorCode.UNKNOWN_PROPOSAL, "the commit refers to a proposal not received in this epoch");
    }

    /** Checks of one proposal on its own (§12.1) that need no other proposal; the rest happen at commit time. */
    private void checkProposal(Proposal p, Sender sender) {
        if (p instanceof Proposal.Add) {
            KeyPackageValidation.validate(suite, ((Proposal.Add) p).keyPackage, config.clock.nowSeconds());
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

    // ---------------------------------------------------------------- GroupInfo

    /**
     * A signed GroupInfo (§12.4.3) for the current epoch, as an MLSMessage: with the ratchet tree
     * and/or the external_pub extension that external joiners need.
     */
    public byte[] groupInfo(boolean withRatchetTree, boolean withExternalPub) {
        checkActive();
        return new MlsMessage(WireFormat.GROUP_INFO, signGroupInfo(state, withRatchetTree, withExternalPub)).toBytes();
    }

    GroupInfo signGroupInfo(EpochState s, boolean withTree, boolean withExternalPub) {
        List<Extension> ext = new ArrayList<>();
        if (withTree) {
            ext.add(new Extension(ExtensionType.RATCHET_TREE, s.tree.toBytes()));
        }
        if (withExternalPub) {
            ext.add(new Extension(ExtensionType.EXTERNAL_PUB,
                    new TlsWriter(128).opaque(s.secrets.externalKeyPair().publicKey()).toByteArray()));
        }
        GroupInfo unsigned = new GroupInfo(s.context, ext, s.confirmationTag, s.myLeaf(), new byte[0]);
        return new GroupInfo(s.context, ext, s.confirmationTag, s.myLeaf(),
                identity.sign("GroupInfoTBS", unsigned.toBeSigned()));
    }

    // ---------------------------------------------------------------- ReInit and branch

    /**
     * After a committed ReInit: creates the successor group with the ReInit's parameters and a
     * commit adding {@code keyPackages} (the other members, in the new suite) with the reinit
     * resumption PSK (§11.2). {@code newIdentity} is this client in the new cipher suite.
     */
    public Successor reInitialize(Identity newIdentity, List<KeyPackage> keyPackages) {
        if (status != Status.REINIT_PENDING) {
            throw new MlsException(ErrorCode.INVALID_STATE, "no ReInit was committed in this group");
        }
        if (newIdentity.suite().id() != pendingReInit.cipherSuite) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the ReInit asks for cipher suite " + pendingReInit.cipherSuite);
        }
        return successor(newIdentity, pendingReInit.groupId, pendingReInit.extensions, keyPackages,
                PreSharedKeyId.USAGE_REINIT);
    }

    /** A subgroup of some members (§11.3), tied to this epoch by a branch resumption PSK. */
    public Successor branch(byte[] newGroupId, List<Extension> extensions, List<KeyPackage> keyPackages) {
        checkActive();
        return successor(identity, newGroupId, extensions, keyPackages, PreSharedKeyId.USAGE_BRANCH);
    }

    Successor successor(Identity id, byte[] groupId, List<Extension> extensions, List<KeyPackage> keyPackages,
            int usage) {
        Group next = create(id, groupId, extensions, config.withPskStore(pskStoreWith(config.pskStore, this)), random);
        List<Proposal> ps = new ArrayList<>();
        for (KeyPackage kp : keyPackages) {
            ps.add(new Proposal.Add(kp));
        }
        ps.add(new Proposal.PreSharedKey(PreSharedKeyId.resumption(usage, state.context.groupId(), state.epoch(),
                random.bytes(next.suite.kdf().length()))));
        StagedCommit commit = next.commit(ps, false, null);
        next.merge(commit);
        next.setConfig(config);
        return new Successor(next, commit.welcome());
    }

    /** A group created by ReInit or branch, and the Welcome for its other members. */
    public static final class Successor {
        public final Group group;
        private final byte[] welcome;

        Successor(Group group, byte[] welcome) {
            this.group = group;
            this.welcome = welcome;
        }

        public byte[] welcome() {
            return welcome == null ? null : welcome.clone();
        }
    }

    /** A PSK store that also resolves resumption PSKs of {@code group}'s current and retained epochs. */
    public static PskStore pskStoreWith(PskStore base, Group group) {
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

    // ---------------------------------------------------------------- state

    /** The whole group, private keys included, in a versioned binary form (see {@link #fromBytes}). */
    public byte[] toBytes() {
        if (staged != null) {
            throw new MlsException(ErrorCode.INVALID_STATE, "merge or discard the staged commit before saving");
        }
        TlsWriter w = new TlsWriter(4096);
        w.u16(STATE_VERSION).u16(suite.id()).u8(status.ordinal());
        w.opaque(identity.toBytes());
        state.encode(w);
        w.u32(past.size());
        for (EpochState s : past) {
            s.encode(w);
        }
        w.u32(cached.size());
        for (ProposalList.Entry e : cached) {
            e.proposal.encode(w);
            e.sender.encode(w);
            w.opaque(e.ref);
        }
        w.u32(pendingUpdateKeys.size());
        for (byte[][] kp : pendingUpdateKeys) {
            w.opaque(kp[0]).opaque(kp[1]);
        }
        w.u8(pendingReInit == null ? 0 : 1);
        if (pendingReInit != null) {
            pendingReInit.encode(w);
        }
        return w.toByteArray();
    }

    /** Restores a group saved with {@link #toBytes}; {@code config} is the local policy to use from now on. */
    public static Group fromBytes(byte[] data, GroupConfig config, RandomSource random) {
        try {
            TlsReader in = new TlsReader(data);
            int version = in.u16();
            if (version != STATE_VERSION) {
                throw new MlsException(ErrorCode.UNSUPPORTED, "saved group version " + version + "; this build reads "
                        + STATE_VERSION);
            }
            CipherSuite suite = CipherSuite.of(in.u16());
            int status = in.u8();
            if (status >= Status.values().length) {
                throw new MlsException(ErrorCode.MALFORMED, "saved group status " + status);
            }
            Identity identity = Identity.fromBytes(in.opaque());
            Group g = new Group(suite, identity, config, random, EpochState.decode(suite, in));
            g.status = Status.values()[status];
            for (int i = in.u32(); i > 0; i--) {
                g.past.addLast(EpochState.decode(suite, in));
            }
            for (int i = in.u32(); i > 0; i--) {
                Proposal p = Proposal.decode(in);
                g.cached.add(new ProposalList.Entry(p, Sender.decode(in), in.opaque()));
            }
            for (int i = in.u32(); i > 0; i--) {
                g.pendingUpdateKeys.add(new byte[][] {in.opaque(), in.opaque()});
            }
            if (in.u8() == 1) {
                g.pendingReInit = (Proposal.ReInit) Proposal.decode(in);
            }
            in.finish();
            return g;
        } catch (DecodeException | ClassCastException e) {
            throw new MlsException(ErrorCode.MALFORMED, "not a saved group: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    byte[] protect(AuthenticatedContent ac) {
        if (ac.wireFormat == WireFormat.PUBLIC_MESSAGE) {
            return new MlsMessage(WireFormat.PUBLIC_MESSAGE,
                    PublicMessageProtection.protect(suite, ac, state.context, state.secrets.membershipKey())).toBytes();
        }
        return new MlsMessage(WireFormat.PRIVATE_MESSAGE, PrivateMessageProtection.protect(suite, ac, state.secretTree,
                state.secrets.senderDataSecret(), config.paddingBlock, random)).toBytes();
    }

    EpochState retained(long epoch) {
        if (epoch == state.epoch()) {
            return state;
        }
        for (EpochState s : past) {
            if (s.epoch() == epoch) {
                return s;
            }
        }
        return null;
    }

    EpochState state() {
        return state;
    }

    RandomSource random() {
        return random;
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

    /** Forgets private keys of nodes a commit blanked or truncated away. */
    private static void prune(PrivateTree priv, RatchetTree tree) {
        for (int n : priv.nodes()) {
            if (n >= tree.nodeCount() || tree.node(n) == null) {
                priv.remove(n);
            }
        }
    }

    private void checkGroup(byte[] groupId) {
        if (!Arrays.equals(groupId, state.context.groupId())) {
            throw new MlsException(ErrorCode.WRONG_GROUP, "the message is for another group");
        }
    }

    private MlsException wrongEpoch(long epoch) {
        return new MlsException(ErrorCode.WRONG_EPOCH, "message for epoch " + Long.toUnsignedString(epoch)
                + "; the group is in epoch " + state.epoch() + (past.isEmpty() ? "" : " and retains "
                + past.getLast().epoch() + ".." + (state.epoch() - 1) + " for application messages"));
    }

    private void checkActive() {
        if (status != Status.ACTIVE) {
            throw new MlsException(ErrorCode.INVALID_STATE, "the group is " + status + ": no more handshake messages");
        }
    }

    private static byte[] nonNull(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    static int[] toArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
