package org.mlskit.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.framing.PublicMessage;
import org.mlskit.MlsException;
import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.RequiredCapabilities;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.schedule.SecretTree;
import org.mlskit.schedule.TranscriptHash;
import org.mlskit.tree.LeafNodeValidation;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeKem;
import org.mlskit.tree.TreeMath;
import org.mlskit.tree.TreeValidation;

/** Becoming a member: by Welcome (§12.4.3.1) or by external commit (§12.4.3.2); and building Welcomes. */
final class Joining {
    /** The exporter label of §8.3's external init secret. */
    static final byte[] EXTERNAL_INIT_LABEL = "MLS 1.0 external init secret".getBytes(StandardCharsets.UTF_8);

    private Joining() {
    }

    static Group fromWelcome(byte[] welcomeMessage, KeyPackageBundle bundle, Identity identity, byte[] ratchetTree,
            GroupConfig config, RandomSource random) {
        MlsMessage m = MlsMessage.fromBytes(welcomeMessage);
        if (m.wireFormat != WireFormat.WELCOME) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "wire format " + m.wireFormat + " is not a Welcome");
        }
        Welcome welcome = (Welcome) m.body;
        KeyPackage kp = bundle.keyPackage();
        checkOwnKeyPackage(kp, identity);
        if (welcome.cipherSuite != kp.cipherSuite) {
            throw new MlsException(ErrorCode.NOT_FOR_US, "the Welcome is for cipher suite " + welcome.cipherSuite
                    + ", the KeyPackage for " + kp.cipherSuite);
        }
        CipherSuite suite = CipherSuite.of(welcome.cipherSuite);
        Welcome.Secrets entry = welcome.find(kp.ref(suite));
        if (entry == null) {
            throw new MlsException(ErrorCode.NOT_FOR_US, "the Welcome has no entry for this KeyPackage");
        }
        GroupSecrets secrets = welcome.openSecrets(suite, entry, bundle.initPrivateKey());
        for (PreSharedKeyId id : secrets.psks) {
            if (id.nonce().length != suite.kdf().length()) {
                throw new MlsException(ErrorCode.INVALID_PROPOSAL, "psk_nonce must be " + suite.kdf().length() + " bytes");
            }
        }
        byte[] pskSecret = Psks.secret(suite, config.pskStore, secrets.psks);
        GroupInfo info = welcome.openGroupInfo(suite, secrets.joinerSecret, pskSecret);
        GroupContext context = info.groupContext;
        if (context.cipherSuite() != suite.id()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the GroupInfo's cipher suite differs from the Welcome's");
        }
        RatchetTree tree = acceptTree(suite, info, ratchetTree);
        checkCredentials(tree, config.identityChecker);
        ResumptionChecks.check(secrets.psks, config.pskStore, context, tree, config.identityChecker);
        int me = -1;
        byte[] myLeaf = kp.leafNode.toBytes();
        for (int i = 0; i < tree.leafCount() && me < 0; i++) {
            // Encryption keys are unique in a valid tree: compare them first, encode only a candidate.
            LeafNode l = tree.leaf(i);
            if (l != null && Arrays.equals(l.encryptionKey, kp.leafNode.encryptionKey) && Arrays.equals(l.toBytes(), myLeaf)) {
                me = i;
            }
        }
        if (me < 0) {
            throw new MlsException(ErrorCode.INVALID_TREE, "the tree has no leaf for our KeyPackage");
        }
        // §13: a joiner must support every extension the group uses.
        ProposalList.checkSupportsGroupExtensions(kp.leafNode.capabilities, context.extensions(), ErrorCode.UNSUPPORTED,
                "this KeyPackage");
        PrivateTree priv = new PrivateTree(me, bundle.encryptionPrivateKey());
        if (secrets.pathSecret != null) {
            derivePathKeys(tree, me, info.signer, secrets.pathSecret, priv);
        }
        EpochSecrets epoch = KeySchedule.fromJoiner(suite, secrets.joinerSecret, pskSecret, context);
        byte[] tag = TranscriptHash.confirmationTag(suite, epoch.confirmationKey(), context.confirmedTranscriptHash());
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(tag, info.confirmationTag)) {
            epoch.erase();
            priv.erase();
            throw new MlsException(ErrorCode.INVALID_CONFIRMATION_TAG, "the GroupInfo's confirmation tag does not match");
        }
        EpochState state = new EpochState(context, tree, TranscriptHash.interim(suite, context.confirmedTranscriptHash(), tag),
                tag, epoch, new SecretTree(suite, epoch.encryptionSecret(), tree.leafCount(), config.ratchetPolicy), priv);
        return Group.joined(identity, config, random, state);
    }

    /**
     * A pending SelfRemove (a PublicMessage of the group's current epoch) that an external joiner
     * commits by reference, checked as the extensions draft asks: everything but the membership
     * tag, which a non-member cannot verify.
     */
    private static ProposalList.Entry selfRemove(CipherSuite suite, byte[] message, GroupContext context, RatchetTree tree) {
        MlsMessage m = MlsMessage.fromBytes(message);
        if (m.wireFormat != WireFormat.PUBLIC_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_PROPOSAL, "a SelfRemove travels as a PublicMessage");
        }
        PublicMessage pm = (PublicMessage) m.body;
        FramedContent c = pm.content;
        if (!Arrays.equals(c.groupId, context.groupId())) {
            throw new MlsException(ErrorCode.WRONG_GROUP, "the SelfRemove is for another group");
        }
        if (c.epoch != context.epoch()) {
            throw new MlsException(ErrorCode.WRONG_EPOCH, "the SelfRemove is for epoch " + Long.toUnsignedString(c.epoch)
                    + ", the GroupInfo for " + context.epoch());
        }
        if (!(c.proposal instanceof Proposal.SelfRemove) || c.sender.type != Sender.MEMBER) {
            throw new MlsException(ErrorCode.INVALID_PROPOSAL, "not a member's SelfRemove proposal");
        }
        LeafNode sender = Integer.compareUnsigned(c.sender.index, tree.leafCount()) < 0 ? tree.leaf(c.sender.index) : null;
        if (sender == null) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "the SelfRemove's sender is not a member");
        }
        AuthenticatedContent ac = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, c, pm.auth);
        ContentSigning.verify(suite, sender.signatureKey, ac, context);
        return new ProposalList.Entry(c.proposal, c.sender, Proposal.ref(suite, ac.toBytes()));
    }

    /** A joiner accepts the members it joins (§5.3.1): the application's checker sees every credential in the tree. */
    private static void checkCredentials(RatchetTree tree, org.mlskit.keys.IdentityChecker checker) {
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null) {
                checker.validate(leaf.credential, leaf.signatureKey);
            }
        }
    }

    /**
     * The KeyPackage must be this client's: the same signature key and credential. Joined with
     * another client's identity, every message the member sent would fail INVALID_SIGNATURE at
     * the others, since they verify with the key in the KeyPackage's leaf.
     */
    static void checkOwnKeyPackage(KeyPackage kp, Identity identity) {
        if (kp.cipherSuite != identity.suite().id()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the KeyPackage is for cipher suite " + kp.cipherSuite
                    + ", this client for " + identity.suite().id());
        }
        // Compared in canonical form: a peer may hand us our own KeyPackage with the point compressed.
        if (!Arrays.equals(identity.suite().signatureScheme().canonicalPublicKey(kp.leafNode.signatureKey),
                identity.signaturePublicKey())) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT,
                    "the KeyPackage was made by another client: its signature key is not this client's");
        }
        if (!Arrays.equals(kp.leafNode.credential.toBytes(), identity.credential().toBytes())) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the KeyPackage carries another credential than this client's");
        }
    }

    /**
     * The tree a GroupInfo describes (its ratchet_tree extension, or {@code given}), checked as a
     * joiner must (§12.4.3.1): tree hash, the GroupInfo's signature by its signer's leaf, the
     * tree's structure and parent hashes, and every leaf.
     */
    private static RatchetTree acceptTree(CipherSuite suite, GroupInfo info, byte[] given) {
        byte[] bytes = given;
        for (Extension e : info.extensions) {
            if (e.type() == ExtensionType.RATCHET_TREE) {
                bytes = e.data();
            }
        }
        if (bytes == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the GroupInfo carries no ratchet tree; supply it");
        }
        GroupContext context = info.groupContext;
        ProposalList.checkGroupExtensions(context.extensions(), ErrorCode.INVALID_ARGUMENT);
        RatchetTree tree = Codec.decodeAll(bytes, in -> RatchetTree.decode(suite, in));
        TreeValidation.checkTreeHash(tree, context.treeHash());
        if (Integer.compareUnsigned(info.signer, tree.leafCount()) >= 0 || tree.leaf(info.signer) == null) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "the GroupInfo's signer is not a member");
        }
        if (!info.verify(suite, tree.leaf(info.signer).signatureKey)) {
            throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the GroupInfo signature does not verify");
        }
        TreeValidation.validateStructure(tree);
        LeafNodeValidation.validateTree(suite, tree, context.groupId(), RequiredCapabilities.find(context.extensions()));
        return tree;
    }

    /** The path secret a Welcome carries is that of the lowest common ancestor of us and the committer (§12.4.3.1). */
    private static void derivePathKeys(RatchetTree tree, int me, int signer, byte[] pathSecret, PrivateTree priv) {
        CipherSuite suite = tree.suite();
        int[] fdp = tree.filteredDirectPath(signer);
        int start = -1;
        for (int i = 0; i < fdp.length && start < 0; i++) {
            if (TreeMath.isLeafUnder(me, fdp[i])) {
                start = i;
            }
        }
        if (start < 0) {
            throw new MlsException(ErrorCode.INVALID_TREE, "the Welcome's path secret has no node above us on the committer's path");
        }
        // A commit with a path sets every node of the committer's filtered direct path, so a blank
        // one there cannot go with a path secret (a blank root passes the parent-hash check).
        for (int i = start; i < fdp.length; i++) {
            if (tree.node(fdp[i]) == null) {
                throw new MlsException(ErrorCode.INVALID_TREE, "the Welcome carries a path secret, but node " + fdp[i]
                        + " on the committer's filtered direct path is blank");
            }
        }
        byte[] secret = pathSecret.clone();
        for (int i = start; i < fdp.length; i++) {
            KeyPair kp = TreeKem.nodeKeyPair(suite, secret);
            if (!Arrays.equals(kp.publicKey(), tree.node(fdp[i]).encryptionKey())) {
                Arrays.fill(secret, (byte) 0);
                throw new MlsException(ErrorCode.INVALID_TREE, "the Welcome's path secret does not match node " + fdp[i]);
            }
            priv.put(fdp[i], kp.privateKey());
            byte[] nextSecret = suite.deriveSecret(secret, "path");
            Arrays.fill(secret, (byte) 0);
            secret = nextSecret;
        }
        Arrays.fill(secret, (byte) 0);
    }

    /** The Welcome for a commit's new members, signed by the committer with the next epoch's GroupInfo. */
    static Welcome welcome(Group group, EpochState next, ProposalList pl, TreeKem.PendingPath path, boolean withTree) {
        CipherSuite suite = group.suite();
        GroupInfo info = group.signGroupInfo(next, withTree, false);
        List<GroupSecrets> secrets = new ArrayList<>();
        for (int leaf : pl.addedLeaves) {
            byte[] pathSecret = null;
            if (path != null) {
                for (int p : TreeMath.directPath(TreeMath.nodeIndex(leaf), next.tree.leafCount())) {
                    if (pathSecret == null) {
                        pathSecret = path.pathSecret(p);
                    }
                }
            }
            secrets.add(new GroupSecrets(next.secrets.joinerSecret(), pathSecret, pl.psks));
        }
        byte[] welcomeSecret = next.secrets.welcomeSecret();
        try {
            return Welcome.seal(suite, welcomeSecret, info, pl.added, secrets, group.random());
        } finally {
            Arrays.fill(welcomeSecret, (byte) 0);
        }
    }

    static Group.ExternalJoin external(byte[] groupInfoMessage, Identity identity, byte[] ratchetTree, int resyncLeaf,
            List<PreSharedKeyId> psks, List<byte[]> selfRemoves, byte[] authenticatedData, GroupConfig config,
            RandomSource random) {
        MlsMessage m = MlsMessage.fromBytes(groupInfoMessage);
        if (m.wireFormat != WireFormat.GROUP_INFO) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "wire format " + m.wireFormat + " is not a GroupInfo");
        }
        GroupInfo info = (GroupInfo) m.body;
        CipherSuite suite = identity.suite();
        if (info.groupContext.cipherSuite() != suite.id()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the group uses cipher suite " + info.groupContext.cipherSuite()
                    + ", this identity " + suite.id());
        }
        RatchetTree tree = acceptTree(suite, info, ratchetTree);
        checkCredentials(tree, config.identityChecker);
        // §13: the joiner's leaf must support every GroupContext extension and required capability.
        ProposalList.checkSupportsGroupExtensions(identity.capabilities(), info.groupContext.extensions(), ErrorCode.UNSUPPORTED,
                "this client");
        String missing = identity.capabilities().missing(RequiredCapabilities.find(info.groupContext.extensions()));
        if (missing != null) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "this client does not support the group's " + missing);
        }
        byte[] externalPub = null;
        for (Extension e : info.extensions) {
            if (e.type() == ExtensionType.EXTERNAL_PUB) {
                externalPub = Codec.decodeAll(e.data(), TlsReader::opaque);
            }
        }
        if (externalPub == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the GroupInfo has no external_pub: the group does not accept external joins");
        }
        GroupContext context = info.groupContext;
        org.mlskit.crypto.HpkeCiphertext init = suite.hpke().exportToPublicKey(externalPub, new byte[0], EXTERNAL_INIT_LABEL, suite.kdf().length(),
                random);
        byte[] initSecret = init.ciphertext();
        EpochState base = new EpochState(context, tree,
                TranscriptHash.interim(suite, context.confirmedTranscriptHash(), info.confirmationTag), info.confirmationTag,
                null, null, null);
        Sender self = Sender.newMemberCommit();
        List<ProposalList.Entry> entries = new ArrayList<>();
        entries.add(new ProposalList.Entry(new Proposal.ExternalInit(init.kemOutput()), self, null));
        if (resyncLeaf >= 0) {
            entries.add(new ProposalList.Entry(new Proposal.Remove(resyncLeaf), self, null));
        }
        for (PreSharedKeyId id : psks) {
            entries.add(new ProposalList.Entry(new Proposal.PreSharedKey(id), self, null));
        }
        for (byte[] message : selfRemoves) {
            entries.add(selfRemove(suite, message, context, tree));
        }
        ProposalList pl = ProposalList.apply(base, entries, self, config);
        LeafNode template = new LeafNode(new byte[0], identity.signaturePublicKey(), identity.credential(),
                identity.capabilities(), LeafNode.SOURCE_COMMIT, null, new byte[0], new ArrayList<>(), new byte[0]);
        int me = pl.tree.addLeaf(template);
        TreeKem.PendingPath path = TreeKem.createPath(pl.tree, me, template, identity.signaturePrivateKey(),
                context.groupId(), random);
        try {
            GroupContext provisional = new GroupContext(suite.id(), context.groupId(), context.epoch() + 1, pl.tree.treeHash(),
                    context.confirmedTranscriptHash(), pl.extensions);
            List<ProposalOrRef> byValue = new ArrayList<>();
            for (ProposalList.Entry e : entries) {
                byValue.add(e.ref != null ? ProposalOrRef.byReference(e.ref) : ProposalOrRef.byValue(e.proposal));
            }
            FramedContent content = FramedContent.commit(context.groupId(), context.epoch(), self,
                    authenticatedData == null ? new byte[0] : authenticatedData,
                    new Commit(byValue, path.encrypt(provisional.toBytes(), new int[0], random)));
            byte[] signature = ContentSigning.sign(suite, identity.signingKey(), WireFormat.PUBLIC_MESSAGE, content,
                    context);
            PrivateTree priv = new PrivateTree(me, new byte[0]);
            path.applyTo(priv);
            EpochState next = EpochState.next(base, pl, provisional, WireFormat.PUBLIC_MESSAGE, content, signature,
                    path.commitSecret(), initSecret, Psks.secret(suite, config.pskStore, pl.psks), priv, config.ratchetPolicy,
                    null);
            AuthenticatedContent ac = new AuthenticatedContent(WireFormat.PUBLIC_MESSAGE, content,
                    new FramedContentAuthData(signature, next.confirmationTag));
            byte[] commit = new MlsMessage(WireFormat.PUBLIC_MESSAGE,
                    PublicMessageProtection.protect(suite, ac, context, null)).toBytes();
            return new Group.ExternalJoin(Group.joined(identity, config, random, next), commit);
        } finally {
            path.erase();
            Arrays.fill(initSecret, (byte) 0);
        }
    }
}
