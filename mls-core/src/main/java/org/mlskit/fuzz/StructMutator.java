package org.mlskit.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.Sender;
import org.mlskit.group.Commit;
import org.mlskit.group.GroupContext;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Proposal;
import org.mlskit.group.ProposalOrRef;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.keys.RequiredCapabilities;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.Node;
import org.mlskit.tree.ParentNode;
import org.mlskit.tree.RatchetTree;
import org.mlskit.tree.TreeMath;
import org.mlskit.tree.UpdatePath;

/**
 * Mutations that know the structs: duplicated, dropped and retyped extensions, blanked and
 * swapped tree nodes, edited capabilities, lifetimes and keys, proposal lists with entries
 * duplicated, dropped or spliced from other commits; and re-signing ("insider"): a changed
 * LeafNode, KeyPackage or GroupInfo is signed again with the real key of the identity that owns
 * it, so it passes the signature check and reaches the validation behind it.
 */
final class StructMutator {
    private static final int[] EXTENSION_TYPES = {ExtensionType.APPLICATION_ID, ExtensionType.RATCHET_TREE,
        ExtensionType.REQUIRED_CAPABILITIES, ExtensionType.EXTERNAL_PUB, ExtensionType.EXTERNAL_SENDERS,
        ExtensionType.APP_DATA_DICTIONARY, 0x0a0a, 0xff00, 0};

    private final Scenario s;
    private final FuzzRandom r;

    StructMutator(Scenario s, FuzzRandom r) {
        this.s = s;
        this.r = r;
    }

    // ---------------------------------------------------------------- extensions

    List<Extension> extensions(List<Extension> in) {
        List<Extension> out = new ArrayList<>(in);
        switch (r.below(out.isEmpty() ? 2 : 6)) {
            case 0:
                out.add(new Extension(EXTENSION_TYPES[r.below(EXTENSION_TYPES.length)], extensionData()));
                break;
            case 1:
                if (!out.isEmpty()) {
                    out.add(r.below(out.size() + 1), out.get(r.below(out.size())));
                } else {
                    Extension e = new Extension(EXTENSION_TYPES[r.below(EXTENSION_TYPES.length)], extensionData());
                    out.add(e);
                    out.add(e);
                }
                break;
            case 2:
                out.remove(r.below(out.size()));
                break;
            case 3: {
                int i = r.below(out.size());
                out.set(i, new Extension(EXTENSION_TYPES[r.below(EXTENSION_TYPES.length)], out.get(i).data()));
                break;
            }
            case 4: {
                int i = r.below(out.size());
                out.set(i, new Extension(out.get(i).type(), extensionData()));
                break;
            }
            default:
                Collections.reverse(out);
        }
        return out;
    }

    /** Data that parses as some extension's content more often than random bytes would. */
    private byte[] extensionData() {
        switch (r.below(6)) {
            case 0:
                return s.tree.clone();
            case 1:
                return new RequiredCapabilities(u16s(), u16s(), u16s()).toExtension().data();
            case 2:
                return ExternalSenders.toExtension(Collections.singletonList(
                        new ExternalSenders.Entry(s.member(0).signaturePublicKey(), Credential.basic(new byte[] {'x'})))).data();
            case 3:
                return new byte[] {(byte) r.below(64)};
            case 4:
                return new byte[0];
            default:
                return r.bytes(r.below(40));
        }
    }

    private int[] u16s() {
        int[] out = new int[r.below(4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.chance(50) ? EXTENSION_TYPES[r.below(EXTENSION_TYPES.length)] : r.below(8);
        }
        return out;
    }

    // ---------------------------------------------------------------- leaves and KeyPackages

    /** A changed leaf, re-signed (usually) by the identity owning its signature key. */
    LeafNode leaf(LeafNode in, byte[] groupId, int leafIndex) {
        byte[] enc = in.encryptionKey;
        byte[] sig = in.signatureKey;
        Credential cred = in.credential;
        Capabilities caps = in.capabilities;
        int source = in.source;
        Lifetime life = in.lifetime;
        byte[] parentHash = in.parentHash;
        List<Extension> ext = in.extensions;
        switch (r.below(9)) {
            case 0:
                ext = extensions(ext);
                break;
            case 1:
                caps = capabilities(caps);
                break;
            case 2:
                source = 1 + r.below(3);
                life = source == LeafNode.SOURCE_KEY_PACKAGE ? (life != null ? life : new Lifetime(0, Scenario.NOW * 2)) : null;
                parentHash = source == LeafNode.SOURCE_COMMIT ? (parentHash != null ? parentHash : new byte[0]) : null;
                break;
            case 3:
                if (life != null) {
                    life = r.chance(50) ? new Lifetime(Scenario.NOW + 1000, Scenario.NOW + 2000) : new Lifetime(life.notAfter, life.notBefore);
                }
                break;
            case 4:
                enc = otherLeafKey(enc, true);
                break;
            case 5:
                // Another member's signature key: a duplicate, and the leaf gets re-signed by that member.
                sig = otherLeafKey(sig, false);
                break;
            case 6:
                cred = r.chance(50) ? Credential.basic(("m" + r.below(Math.max(1, s.members))).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        : Credential.basic(new byte[0]);
                break;
            case 7:
                if (parentHash != null) {
                    parentHash = r.chance(50) ? new byte[0] : r.bytes(parentHash.length);
                }
                break;
            default:
                enc = r.chance(50) ? new byte[0] : r.bytes(enc.length);
        }
        LeafNode unsigned = new LeafNode(enc, sig, cred, caps, source, life, parentHash, ext, in.signature);
        return r.chance(85) ? resign(unsigned, groupId, leafIndex) : unsigned;
    }

    LeafNode resign(LeafNode leaf, byte[] groupId, int leafIndex) {
        Identity owner = s.signer(leaf.signatureKey);
        if (owner == null) {
            return leaf;
        }
        byte[] gid = groupId != null ? groupId : s.welcomeInfo.groupContext.groupId();
        return leaf.withSignature(owner.sign(LeafNode.SIGNATURE_LABEL, leaf.toBeSigned(gid, leafIndex)));
    }

    private byte[] otherLeafKey(byte[] current, boolean encryption) {
        RatchetTree t = decodeTree(s.tree);
        if (t == null) {
            return current;
        }
        LeafNode l = t.leaf(r.below(t.leafCount()));
        return l == null ? current : encryption ? l.encryptionKey : l.signatureKey;
    }

    private Capabilities capabilities(Capabilities c) {
        int[][] lists = {c.versions, c.cipherSuites, c.extensions, c.proposals, c.credentials};
        int which = r.below(5);
        int[] l = lists[which];
        int[] changed;
        switch (r.below(3)) {
            case 0:
                changed = new int[0];
                break;
            case 1:
                changed = new int[l.length + 1];
                System.arraycopy(l, 0, changed, 0, l.length);
                changed[l.length] = l.length > 0 && r.chance(50) ? l[0] : r.chance(50) ? EXTENSION_TYPES[r.below(EXTENSION_TYPES.length)]
                        : r.below(8);
                break;
            default:
                changed = u16s();
        }
        lists[which] = changed;
        return new Capabilities(lists[0], lists[1], lists[2], lists[3], lists[4]);
    }

    /** A changed KeyPackage: its leaf and/or its own fields, then (usually) re-signed by its owner. */
    KeyPackage keyPackage(KeyPackage kp) {
        LeafNode leaf = kp.leafNode;
        byte[] init = kp.initKey;
        List<Extension> ext = kp.extensions;
        int version = kp.version;
        int suite = kp.cipherSuite;
        switch (r.below(7)) {
            case 0:
            case 1:
            case 2:
                leaf = leaf(leaf, null, 0);
                break;
            case 3:
                ext = extensions(ext);
                break;
            case 4:
                init = r.chance(50) ? leaf.encryptionKey : r.bytes(init.length);
                break;
            case 5:
                // The leaf's signature broken while the KeyPackage is re-signed.
                leaf = leaf.withSignature(r.bytes(leaf.signature.length));
                break;
            default:
                if (r.chance(50)) {
                    version = r.below(4);
                } else {
                    suite = 1 + r.below(8);
                }
        }
        KeyPackage unsigned = new KeyPackage(version, suite, init, leaf, ext, kp.signature);
        Identity owner = s.signer(leaf.signatureKey);
        if (owner == null || r.chance(10)) {
            return unsigned;
        }
        return new KeyPackage(version, suite, init, leaf, ext, owner.sign("KeyPackageTBS", unsigned.toBeSigned()));
    }

    // ---------------------------------------------------------------- trees

    RatchetTree decodeTree(byte[] bytes) {
        try {
            return Codec.decodeAll(bytes, in -> RatchetTree.decode(s.suite, in));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A changed ratchet tree: blanked, swapped, duplicated or edited nodes, or a long run of blank nodes. */
    byte[] tree(byte[] bytes, byte[] groupId) {
        if (r.chance(4)) {
            return blankPadded(bytes);
        }
        RatchetTree t = decodeTree(bytes);
        if (t == null) {
            return bytes;
        }
        t = t.copy();
        int n = t.nodeCount();
        int rounds = 1 + r.below(2);
        for (int k = 0; k < rounds; k++) {
            int i = r.below(n);
            switch (r.below(7)) {
                case 0:
                case 1:
                    // Blank a parent (most often one on a direct path, where it breaks path secrets).
                    t.set((i | 1) < n ? (i | 1) : i, null);
                    break;
                case 2:
                    t.set(i, null);
                    break;
                case 3: {
                    int j = r.below(n);
                    if (TreeMath.isLeaf(i) == TreeMath.isLeaf(j)) {
                        Node a = t.node(i);
                        t.set(i, t.node(j));
                        t.set(j, a);
                    }
                    break;
                }
                case 4: {
                    int leaf = r.below(t.leafCount());
                    LeafNode l = t.leaf(leaf);
                    if (l != null) {
                        t.setLeaf(leaf, leaf(l, groupId, leaf));
                    }
                    break;
                }
                case 5: {
                    int p = (i | 1) < n ? i | 1 : -1;
                    ParentNode pn = p >= 0 ? t.parent(p) : null;
                    if (pn != null) {
                        int[] unmerged = r.chance(50) ? new int[] {r.below(t.leafCount() + 2), r.below(t.leafCount() + 2)}
                                : new int[0];
                        t.set(p, Node.parent(r.chance(70) ? pn.withUnmergedLeaves(unmerged)
                                : new ParentNode(r.chance(50) ? pn.encryptionKey : t.node(0).encryptionKey(), r.bytes(pn.parentHash.length),
                                        pn.unmergedLeaves)));
                    } else if (p >= 0) {
                        t.set(p, Node.parent(new ParentNode(t.node(0).encryptionKey(), new byte[0], new int[0])));
                    }
                    break;
                }
                default: {
                    int leaf = r.below(t.leafCount());
                    LeafNode l = t.leaf(r.below(t.leafCount()));
                    if (l != null) {
                        t.setLeaf(leaf, l);
                    }
                }
            }
        }
        try {
            return t.toBytes();
        } catch (RuntimeException e) {
            return bytes;
        }
    }

    /**
     * The tree with an even number of blank nodes (one byte each) inserted at its start: a
     * mostly-blank tree, whose size in memory and hashing cost are far above its encoding's.
     */
    private byte[] blankPadded(byte[] bytes) {
        java.util.List<ByteMutator.Span> spans = ByteMutator.spans(bytes);
        if (spans.isEmpty() || spans.get(0).start != 0 || spans.get(0).end != bytes.length) {
            return bytes;
        }
        ByteMutator.Span whole = spans.get(0);
        int blanks = 2 * (1 + r.below(r.chance(50) ? 64 : 4096));
        byte[] body = new byte[blanks + whole.end - whole.body];
        System.arraycopy(bytes, whole.body, body, blanks, whole.end - whole.body);
        return ByteMutator.concat(ByteMutator.varint(body.length), body);
    }

    // ---------------------------------------------------------------- GroupInfo and GroupSecrets

    /**
     * A changed GroupInfo: context, extensions, tree, tag or signer; the context's tree hash is
     * usually recomputed for a changed tree, and the result usually re-signed by the signer leaf's
     * owner, so the joiner's deep checks run.
     */
    GroupInfo groupInfo(GroupInfo gi, byte[] outOfBandTree) {
        GroupContext c = gi.groupContext;
        List<Extension> ext = new ArrayList<>(gi.extensions);
        byte[] tag = gi.confirmationTag;
        int signer = gi.signer;
        byte[] treeBytes = null;
        int treeAt = -1;
        for (int i = 0; i < ext.size(); i++) {
            if (ext.get(i).type() == ExtensionType.RATCHET_TREE) {
                treeAt = i;
                treeBytes = ext.get(i).data();
            }
        }
        byte[] newTree = null;
        int suite = c.cipherSuite();
        byte[] groupId = c.groupId();
        long epoch = c.epoch();
        byte[] treeHash = c.treeHash();
        byte[] transcript = c.confirmedTranscriptHash();
        List<Extension> groupExt = c.extensions();
        switch (r.below(10)) {
            case 0:
            case 1:
            case 2:
                if (treeBytes != null) {
                    newTree = tree(treeBytes, groupId);
                    ext.set(treeAt, new Extension(ExtensionType.RATCHET_TREE, newTree));
                } else if (outOfBandTree != null) {
                    newTree = tree(outOfBandTree, groupId);
                    ext.add(new Extension(ExtensionType.RATCHET_TREE, newTree));
                }
                break;
            case 3:
                ext = extensions(ext);
                break;
            case 4:
                groupExt = extensions(groupExt);
                break;
            case 5:
                epoch += r.chance(50) ? 1 : -1;
                break;
            case 6:
                signer = r.chance(70) ? r.below(s.members + 2) : -1 - r.below(3);
                break;
            case 7:
                tag = r.chance(50) ? new byte[0] : r.bytes(tag.length);
                break;
            case 8:
                if (r.chance(50)) {
                    suite = 1 + r.below(8);
                } else {
                    groupId = r.bytes(r.below(3) * 8);
                }
                break;
            default:
                transcript = r.bytes(r.chance(50) ? 0 : transcript.length);
        }
        if (newTree != null && r.chance(75)) {
            RatchetTree t = decodeTree(newTree);
            if (t != null) {
                try {
                    treeHash = t.treeHash();
                } catch (RuntimeException e) {
                    // an unhashable tree keeps the old hash
                }
            }
        }
        GroupContext nc = new GroupContext(suite, groupId, epoch, treeHash, transcript, groupExt);
        GroupInfo unsigned = new GroupInfo(nc, ext, tag, signer, gi.signature);
        Identity owner = s.member(signer);
        if (owner == null || r.chance(10)) {
            return unsigned;
        }
        return new GroupInfo(nc, ext, tag, signer, owner.sign("GroupInfoTBS", unsigned.toBeSigned()));
    }

    /**
     * {@code gi} without its ratchet_tree extension, its context's tree hash set to that of
     * {@code tree} (given out of band), re-signed by the signer: the out-of-band tree reaches the
     * joiner's checks.
     */
    GroupInfo withoutTree(GroupInfo gi, byte[] tree) {
        List<Extension> ext = new ArrayList<>();
        for (Extension e : gi.extensions) {
            if (e.type() != ExtensionType.RATCHET_TREE) {
                ext.add(e);
            }
        }
        GroupContext c = gi.groupContext;
        byte[] treeHash = c.treeHash();
        RatchetTree t = decodeTree(tree);
        if (t != null && r.chance(80)) {
            try {
                treeHash = t.treeHash();
            } catch (RuntimeException e) {
                // keep the old hash
            }
        }
        GroupContext nc = new GroupContext(c.cipherSuite(), c.groupId(), c.epoch(), treeHash, c.confirmedTranscriptHash(),
                c.extensions());
        GroupInfo unsigned = new GroupInfo(nc, ext, gi.confirmationTag, gi.signer, gi.signature);
        Identity owner = s.member(gi.signer);
        return owner == null ? unsigned
                : new GroupInfo(nc, ext, gi.confirmationTag, gi.signer, owner.sign("GroupInfoTBS", unsigned.toBeSigned()));
    }

    GroupSecrets groupSecrets(GroupSecrets gs) {
        byte[] joiner = gs.joinerSecret;
        byte[] path = gs.pathSecret;
        List<PreSharedKeyId> psks = gs.psks;
        switch (r.below(5)) {
            case 0:
                path = null;
                break;
            case 1:
                path = r.bytes(joiner.length);
                break;
            case 2:
                psks = Collections.singletonList(PreSharedKeyId.external(r.bytes(4), r.bytes(r.chance(50) ? joiner.length : 3)));
                break;
            case 3:
                joiner = r.bytes(r.chance(80) ? joiner.length : 1);
                break;
            default:
                // keep the secrets: only the GroupInfo changes
        }
        return new GroupSecrets(joiner, path, psks);
    }

    // ---------------------------------------------------------------- handshake contents

    FramedContent content(FramedContent c) {
        byte[] groupId = c.groupId;
        long epoch = c.epoch;
        Sender sender = c.sender;
        byte[] aad = c.authenticatedData;
        int kind = r.below(10);
        if (kind == 0) {
            epoch += r.chance(50) ? 1 : -1;
        } else if (kind == 1) {
            switch (r.below(5)) {
                case 0:
                    sender = Sender.member(r.below(s.members + 2));
                    break;
                case 1:
                    sender = Sender.external(r.below(2));
                    break;
                case 2:
                    sender = Sender.newMemberProposal();
                    break;
                case 3:
                    sender = Sender.newMemberCommit();
                    break;
                default:
                    sender = Sender.member(-1);
            }
        } else if (kind == 2) {
            aad = r.bytes(r.below(40));
        } else if (kind == 3) {
            FramedContent other = r.pick(s.contents);
            return rebuild(groupId, epoch, sender, aad, other);
        } else if (c.proposal != null) {
            return FramedContent.proposal(groupId, epoch, sender, aad, proposal(c.proposal, sender));
        } else if (c.commit != null) {
            return FramedContent.commit(groupId, epoch, sender, aad, commit(c.commit, groupId, sender));
        }
        return rebuild(groupId, epoch, sender, aad, c);
    }

    private static FramedContent rebuild(byte[] groupId, long epoch, Sender sender, byte[] aad, FramedContent body) {
        if (body.proposal != null) {
            return FramedContent.proposal(groupId, epoch, sender, aad, body.proposal);
        }
        if (body.commit != null) {
            return FramedContent.commit(groupId, epoch, sender, aad, body.commit);
        }
        return FramedContent.application(groupId, epoch, sender, aad, body.applicationData);
    }

    Proposal proposal(Proposal p, Sender sender) {
        byte[] groupId = s.welcomeInfo.groupContext.groupId();
        if (r.chance(15)) {
            return randomProposal();
        }
        if (p instanceof Proposal.Add) {
            return new Proposal.Add(keyPackage(((Proposal.Add) p).keyPackage));
        }
        if (p instanceof Proposal.Update) {
            return new Proposal.Update(leaf(((Proposal.Update) p).leafNode, groupId, sender.index));
        }
        if (p instanceof Proposal.Remove) {
            return new Proposal.Remove(r.chance(20) ? -1 - r.below(4) : r.below(s.members + 3));
        }
        if (p instanceof Proposal.GroupContextExtensions) {
            return new Proposal.GroupContextExtensions(extensions(((Proposal.GroupContextExtensions) p).extensions));
        }
        return randomProposal();
    }

    private Proposal randomProposal() {
        switch (r.below(5)) {
            case 0:
                return new Proposal.PreSharedKey(r.chance(50) ? PreSharedKeyId.external(r.bytes(4), r.bytes(s.suite.kdf().length()))
                        : PreSharedKeyId.resumption(1 + r.below(3), s.welcomeInfo.groupContext.groupId(), r.below(4),
                                r.bytes(s.suite.kdf().length())));
            case 1:
                return new Proposal.ReInit(r.bytes(8), r.below(3), 1 + r.below(8), extensions(Collections.<Extension>emptyList()));
            case 2:
                return new Proposal.ExternalInit(r.bytes(r.below(80)));
            case 3:
                return new Proposal.GroupContextExtensions(extensions(Collections.<Extension>emptyList()));
            default:
                return new Proposal.Remove(r.below(s.members + 1));
        }
    }

    Commit commit(Commit c, byte[] groupId, Sender sender) {
        List<ProposalOrRef> props = new ArrayList<>(c.proposals);
        UpdatePath path = c.path;
        switch (r.below(8)) {
            case 0:
                if (!props.isEmpty()) {
                    props.add(props.get(r.below(props.size())));
                }
                break;
            case 1:
                if (!props.isEmpty()) {
                    props.remove(r.below(props.size()));
                }
                break;
            case 2:
                props.add(r.below(props.size() + 1), ProposalOrRef.byValue(spliceProposal(sender)));
                break;
            case 3:
                props.add(ProposalOrRef.byReference(r.bytes(r.chance(80) ? s.suite.kdf().length() : 3)));
                break;
            case 4:
                if (!props.isEmpty()) {
                    int i = r.below(props.size());
                    ProposalOrRef p = props.get(i);
                    if (p.proposal != null) {
                        props.set(i, ProposalOrRef.byValue(proposal(p.proposal, sender)));
                    }
                }
                break;
            case 5:
                path = r.chance(30) ? null : path;
                if (path != null) {
                    path = new UpdatePath(leaf(path.leafNode, groupId, sender.index), path.nodes);
                }
                break;
            default:
                if (path != null) {
                    path = new UpdatePath(path.leafNode, pathNodes(path.nodes));
                }
        }
        return new Commit(props, path);
    }

    private Proposal spliceProposal(Sender sender) {
        for (int tries = 0; tries < 4; tries++) {
            FramedContent other = r.pick(s.contents);
            if (other.proposal != null) {
                return r.chance(50) ? other.proposal : proposal(other.proposal, sender);
            }
            if (other.commit != null && !other.commit.proposals.isEmpty()) {
                ProposalOrRef p = r.pick(other.commit.proposals);
                if (p.proposal != null) {
                    return p.proposal;
                }
            }
        }
        return randomProposal();
    }

    private List<UpdatePath.Node> pathNodes(List<UpdatePath.Node> in) {
        List<UpdatePath.Node> out = new ArrayList<>(in);
        if (out.isEmpty()) {
            out.add(new UpdatePath.Node(r.bytes(32), Collections.<HpkeCiphertext>emptyList()));
            return out;
        }
        int i = r.below(out.size());
        UpdatePath.Node n = out.get(i);
        switch (r.below(5)) {
            case 0:
                out.remove(i);
                break;
            case 1:
                out.add(i, n);
                break;
            case 2: {
                List<HpkeCiphertext> cts = new ArrayList<>(n.encryptedPathSecret);
                if (!cts.isEmpty() && r.chance(50)) {
                    cts.remove(r.below(cts.size()));
                } else if (!cts.isEmpty()) {
                    cts.add(cts.get(0));
                } else {
                    cts.add(new HpkeCiphertext(r.bytes(32), r.bytes(48)));
                }
                out.set(i, new UpdatePath.Node(n.encryptionKey, cts));
                break;
            }
            case 3:
                out.set(i, new UpdatePath.Node(r.chance(50) ? new byte[0] : r.bytes(n.encryptionKey.length), n.encryptedPathSecret));
                break;
            default:
                out.add(new UpdatePath.Node(n.encryptionKey, n.encryptedPathSecret));
        }
        return out;
    }
}
