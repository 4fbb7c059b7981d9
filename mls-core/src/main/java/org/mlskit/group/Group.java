package org.mlskit.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PrivateMessageProtection;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.AppDataDictionary;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.LeafNodeValidation;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeMath;

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
    final ArrayDeque<EpochState> past = new ArrayDeque<>();
    /** Proposals received (or sent) in the current epoch, by reference. */
    final List<ProposalList.Entry> cached = new ArrayList<>();
    Status status = Status.ACTIVE;
    Proposal.ReInit pendingReInit;
    StagedCommit staged;

    Group(CipherSuite suite, Identity identity, GroupConfig config, RandomSource random, EpochState state) {
        this.suite = suite;
        this.identity = identity;
        this.config = config;
        this.random = random;
        this.state = state;
        state.secrets.eraseJoining(); // created or joined: no Welcome into this epoch is made any more
    }

    // ---------------------------------------------------------------- creating and joining

    /** A new one-member group (§11) with the given GroupContext extensions. */
    public static Group create(Identity identity, byte[] groupId, List<Extension> extensions, GroupConfig config,
            RandomSource random) {
        CipherSuite suite = identity.suite();
        if (groupId == null || groupId.length == 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a group id must not be empty");
        }
        ProposalList.checkGroupExtensions(extensions, ErrorCode.INVALID_ARGUMENT);
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
        return joinExternally(groupInfoMessage, identity, ratchetTree, resyncLeaf, psks, Collections.<byte[]>emptyList(),
                authenticatedData, config, random);
    }

    /**
     * {@link #joinExternally(byte[], Identity, byte[], int, List, byte[], GroupConfig, RandomSource)}
     * that also commits, by reference, the group's pending SelfRemove proposals (PublicMessages of
     * the GroupInfo's epoch, as the delivery service hands them out with it; draft-ietf-mls-extensions).
     */
    public static ExternalJoin joinExternally(byte[] groupInfoMessage, Identity identity, byte[] ratchetTree, int resyncLeaf,
            List<PreSharedKeyId> psks, List<byte[]> selfRemoves, byte[] authenticatedData, GroupConfig config,
            RandomSource random) {
        return Joining.external(groupInfoMessage, identity, ratchetTree, resyncLeaf, psks, selfRemoves, authenticatedData,
                config, random);
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

    /** The tree hash of the current epoch's ratchet tree (its root's, §7.8), as in the GroupContext. */
    public byte[] treeHash() {
        return state.context.treeHash();
    }

    /** The group's app_data_dictionary (group metadata by component id); empty when the group has none. */
    public AppDataDictionary appData() {
        return AppDataDictionary.find(state.context.extensions());
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
    final List<byte[][]> pendingUpdateKeys = new ArrayList<>();

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

    /**
     * Proposes that this member leave (draft-ietf-mls-extensions SelfRemove): another member, or
     * an external joiner, commits it. Always a PublicMessage, so that external joiners can read it.
     */
    public byte[] proposeSelfRemove(byte[] authenticatedData) {
        return propose(new Proposal.SelfRemove(), authenticatedData, WireFormat.PUBLIC_MESSAGE);
    }

    /** Proposes new data for one component of the group's app_data_dictionary (an AppDataUpdate "update"). */
    public byte[] proposeAppDataUpdate(int componentId, byte[] update, byte[] authenticatedData) {
        if (update == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "an AppDataUpdate needs data (use proposeAppDataRemove)");
        }
        return propose(new Proposal.AppDataUpdate(componentId, update), authenticatedData);
    }

    /** Proposes removing one component's entry from the group's app_data_dictionary. */
    public byte[] proposeAppDataRemove(int componentId, byte[] authenticatedData) {
        return propose(new Proposal.AppDataUpdate(componentId, null), authenticatedData);
    }

    /** Sends a proposal in the current epoch and caches it, so that this member's own commit can include it. */
    public byte[] propose(Proposal proposal, byte[] authenticatedData) {
        return propose(proposal, authenticatedData, proposal instanceof Proposal.SelfRemove
                ? WireFormat.PUBLIC_MESSAGE : config.handshakeWireFormat);
    }

    private byte[] propose(Proposal proposal, byte[] authenticatedData, int wireFormat) {
        checkActive();
        Sender me = Sender.member(state.myLeaf());
        MessageProcessing.checkProposal(this, proposal, me);
        FramedContent content = FramedContent.proposal(state.context.groupId(), state.epoch(), me, nonNull(authenticatedData),
                proposal);
        AuthenticatedContent ac = ContentSigning.authenticate(suite, identity.signingKey(),
                wireFormat, content, state.context, null);
        byte[] message = protect(ac);
        cached.add(new ProposalList.Entry(proposal, me, Proposal.ref(suite, ac.toBytes())));
        return message;
    }

    /**
     * Drops a received proposal from this epoch's cache so that no commit of ours includes it (an
     * application policy, e.g. a Multi-MLS send group whose owner takes only Update proposals).
     * Returns whether a proposal with that reference was cached.
     */
    public boolean forgetProposal(byte[] proposalRef) {
        for (int i = 0; i < cached.size(); i++) {
            if (Arrays.equals(cached.get(i).ref, proposalRef)) {
                cached.remove(i);
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- commits

    /** Commits the cached proposals (those still valid together) plus an Add for each KeyPackage. */
    public StagedCommit add(List<KeyPackage> keyPackages) {
        return add(keyPackages, CommitOptions.DEFAULT);
    }

    /** {@link #add(List)} with this commit's own framing, tree-in-Welcome and forced-path choices. */
    public StagedCommit add(List<KeyPackage> keyPackages, CommitOptions options) {
        List<Proposal> ps = new ArrayList<>();
        for (KeyPackage kp : keyPackages) {
            ps.add(new Proposal.Add(kp));
        }
        return commit(ps, options);
    }

    /** Commits the cached proposals plus a Remove for each leaf. */
    public StagedCommit remove(int... leaves) {
        return remove(leaves, CommitOptions.DEFAULT);
    }

    public StagedCommit remove(int[] leaves, CommitOptions options) {
        List<Proposal> ps = new ArrayList<>();
        for (int leaf : leaves) {
            ps.add(new Proposal.Remove(leaf));
        }
        return commit(ps, options);
    }

    /** A commit with an UpdatePath: fresh keys for this member and its path (post-compromise security). */
    public StagedCommit update() {
        return update(CommitOptions.DEFAULT);
    }

    /** {@link #update()} with options; the path is always there. */
    public StagedCommit update(CommitOptions options) {
        return commit(new ArrayList<>(), options.withForcePath(true));
    }

    /**
     * Builds a commit of {@code byValue} plus every cached proposal that is still valid with
     * them (§12.4: received proposals are included by reference). The group is unchanged until
     * {@link #merge}; meanwhile no other commit can be staged.
     *
     * @param forcePath include an UpdatePath even when the proposals do not require one
     */
    public StagedCommit commit(List<Proposal> byValue, boolean forcePath, byte[] authenticatedData) {
        return commit(byValue, CommitOptions.DEFAULT.withForcePath(forcePath).withAuthenticatedData(authenticatedData));
    }

    /** {@link #commit(List, boolean, byte[])} with every per-commit choice in {@code options}. */
    public StagedCommit commit(List<Proposal> byValue, CommitOptions options) {
        return CommitCreation.commit(this, byValue, options);
    }

    /** The GroupContext of the epoch a commit with {@code pl} leads to, before its confirmed transcript hash. */
    GroupContext provisionalContext(ProposalList pl) {
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
        state.secrets.eraseJoining(); // the Welcome of the commit was sealed when it was created
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
    void adoptUpdateKey(PrivateTree priv, byte[] pub) {
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
        old.secrets.eraseInit(); // the next epoch is derived from it (§9.2)
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
        return MessageProcessing.process(this, message);
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

    /**
     * The GroupInfo of the epoch a staged own commit leads to, before it is merged: a delivery
     * service that orders commits takes it with the commit (RFC 9750 §5.2), and only an accepted
     * commit is merged.
     */
    public byte[] groupInfo(StagedCommit staged, boolean withRatchetTree, boolean withExternalPub) {
        checkActive();
        if (staged == null || !staged.own || staged.next == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a GroupInfo can be made for an own staged commit only");
        }
        return new MlsMessage(WireFormat.GROUP_INFO, signGroupInfo(staged.next, withRatchetTree, withExternalPub)).toBytes();
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
        return Successors.reInitialize(this, newIdentity, keyPackages);
    }

    /** A subgroup of some members (§11.3), tied to this epoch by a branch resumption PSK. */
    public Successor branch(byte[] newGroupId, List<Extension> extensions, List<KeyPackage> keyPackages) {
        checkActive();
        return Successors.successor(this, identity, newGroupId, extensions, keyPackages, PreSharedKeyId.USAGE_BRANCH);
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
        return Successors.pskStoreWith(base, group);
    }

    // ---------------------------------------------------------------- state

    /** The whole group, private keys included, in a versioned binary form (see {@link #fromBytes}). */
    public byte[] toBytes() {
        return SavedGroup.toBytes(this, false);
    }

    /**
     * {@link #toBytes} while an own commit may be staged: the staged commit is left out (staging
     * changes nothing of the current epoch), so a client that restarts from it stages again. A
     * client that persists after every change while waiting for the delivery service uses this.
     */
    public byte[] toBytesWithoutStaged() {
        return SavedGroup.toBytes(this, true);
    }

    /** Restores a group saved with {@link #toBytes}; {@code config} is the local policy to use from now on. */
    public static Group fromBytes(byte[] data, GroupConfig config, RandomSource random) {
        return SavedGroup.fromBytes(data, config, random);
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

    /** Forgets private keys of nodes a commit blanked or truncated away. */
    static void prune(PrivateTree priv, RatchetTree tree) {
        for (int n : priv.nodes()) {
            if (n >= tree.nodeCount() || tree.node(n) == null) {
                priv.remove(n);
            }
        }
    }

    void checkActive() {
        if (status != Status.ACTIVE) {
            throw new MlsException(ErrorCode.INVALID_STATE, "the group is " + status + ": no more handshake messages");
        }
    }

    static byte[] nonNull(byte[] b) {
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
