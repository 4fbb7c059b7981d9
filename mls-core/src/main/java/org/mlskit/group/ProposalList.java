package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.Sender;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.RequiredCapabilities;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.LeafNodeValidation;
import org.mlskit.tree.RatchetTree;

/**
 * The proposals one commit covers: checked against RFC 9420 §12.1 one by one and §12.2 together,
 * then applied to a copy of the tree and GroupContext extensions in the order of §12.3. The
 * result says what the commit does (who is added, removed, updated; PSKs; ExternalInit; ReInit)
 * and whether it needs an UpdatePath.
 */
final class ProposalList {
    /** A proposal with its sender and, when it came by reference, its ProposalRef. */
    static final class Entry {
        final Proposal proposal;
        final Sender sender;
        final byte[] ref;

        Entry(Proposal proposal, Sender sender, byte[] ref) {
            this.proposal = proposal;
            this.sender = sender;
            this.ref = ref;
        }
    }

    final List<Entry> entries;
    final RatchetTree tree;
    final List<Extension> extensions;
    final List<Integer> addedLeaves = new ArrayList<>();
    final List<KeyPackage> added = new ArrayList<>();
    final List<Integer> removedLeaves = new ArrayList<>();
    final List<LeafNode> removedLeafNodes = new ArrayList<>();
    final List<Integer> updatedLeaves = new ArrayList<>();
    final List<PreSharedKeyId> psks = new ArrayList<>();
    byte[] kemOutput;
    Proposal.ReInit reInit;
    boolean pathRequired;
    boolean extensionsChanged;

    private ProposalList(List<Entry> entries, RatchetTree tree, List<Extension> extensions) {
        this.entries = entries;
        this.tree = tree;
        this.extensions = extensions;
    }

    /**
     * Validates and applies {@code entries} for a commit by {@code committer} (a member, or a new
     * member for an external commit) on top of {@code state}. Throws a typed error, leaving
     * {@code state} untouched, when the list is invalid.
     */
    static ProposalList apply(EpochState state, List<Entry> entries, Sender committer, GroupConfig config) {
        CipherSuite suite = state.tree.suite();
        boolean external = committer.type == Sender.NEW_MEMBER_COMMIT;
        ProposalList out = new ProposalList(entries, state.tree.copy(), new ArrayList<>(state.context.extensions()));
        out.pathRequired = entries.isEmpty();
        checkShape(entries, committer, external);
        long now = config.clock.nowSeconds();
        byte[] groupId = state.context.groupId();

        // GroupContextExtensions first: later checks use the new extensions.
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.GroupContextExtensions) {
                List<Extension> ext = ((Proposal.GroupContextExtensions) e.proposal).extensions;
                checkGroupExtensions(ext);
                AppDataUpdates.checkGroupContextExtensions(state.context.extensions(), ext);
                out.extensions.clear();
                out.extensions.addAll(ext);
                out.extensionsChanged = true;
                out.pathRequired = true;
            }
        }
        RequiredCapabilities required = RequiredCapabilities.find(out.extensions);
        boolean[] touched = new boolean[state.tree.leafCount()];
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.Update) {
                int leaf = e.sender.index;
                if (e.sender.type != Sender.MEMBER || leaf == committer.index && committer.type == Sender.MEMBER) {
                    throw invalid("an Update must come from a member other than the committer");
                }
                markTouched(touched, leaf, state.tree);
                LeafNode next = ((Proposal.Update) e.proposal).leafNode;
                LeafNodeValidation.validate(suite, next, LeafNodeValidation.Origin.UPDATE, groupId, leaf, state.tree, required, -1);
                config.identityChecker.validate(next.credential, next.signatureKey);
                if (!config.identityChecker.sameClient(state.tree.leaf(leaf).credential, next.credential)) {
                    throw invalid("the Update of leaf " + leaf + " changes the member's identity");
                }
                out.tree.updateLeaf(leaf, next);
                out.updatedLeaves.add(leaf);
                out.pathRequired = true;
            }
        }
        // SelfRemoves after Updates and before Removes (draft-ietf-mls-extensions): the sender's own leaf goes.
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.SelfRemove) {
                int leaf = e.sender.index;
                if (committer.type == Sender.MEMBER && leaf == committer.index) {
                    throw invalid("a member cannot commit its own SelfRemove");
                }
                remove(out, state.tree, touched, leaf);
            }
        }
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.Remove) {
                int leaf = ((Proposal.Remove) e.proposal).removed;
                if (Integer.compareUnsigned(leaf, state.tree.leafCount()) >= 0 || state.tree.leaf(leaf) == null) {
                    throw invalid("Remove of leaf " + Integer.toUnsignedString(leaf) + ", which holds no member");
                }
                if (!external && leaf == committer.index) {
                    throw invalid("the committer cannot remove itself");
                }
                remove(out, state.tree, touched, leaf);
            }
        }
        checkMembersSupport(state.tree, entries, out.removedLeaves);
        MemberIndex members = null;
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.Add) {
                KeyPackage kp = ((Proposal.Add) e.proposal).keyPackage;
                KeyPackageValidation.validate(suite, kp, now);
                if (members == null) {
                    members = new MemberIndex(out.tree, config.identityChecker);
                }
                LeafNode leaf = kp.leafNode;
                // The leaf itself was validated with its KeyPackage; uniqueness and credential checks
                // against the members run through the index, not per member, so that adding many
                // members at once stays linear.
                LeafNodeValidation.checkRequired(leaf, required);
                members.admit(leaf);
                checkSupportsGroupExtensions(leaf.capabilities, out.extensions);
                config.identityChecker.validate(leaf.credential, leaf.signatureKey);
                out.addedLeaves.add(out.tree.addLeaf(leaf));
                out.added.add(kp);
            }
        }
        for (Entry e : entries) {
            if (e.proposal instanceof Proposal.PreSharedKey) {
                PreSharedKeyId id = ((Proposal.PreSharedKey) e.proposal).psk;
                // Resumption PSKs for reinit and branch belong only in a new group's first commit (§12.1.4).
                if (id.type() == PreSharedKeyId.RESUMPTION && id.usage() != PreSharedKeyId.USAGE_APPLICATION
                        && state.epoch() != 0) {
                    throw invalid("a reinit or branch resumption PSK outside a new group's first commit");
                }
                if (id.nonce().length != suite.kdf().length()) {
                    throw invalid("psk_nonce must be " + suite.kdf().length() + " bytes");
                }
                for (PreSharedKeyId seen : out.psks) {
                    if (Arrays.equals(seen.toBytes(), id.toBytes())) {
                        throw invalid("two PreSharedKey proposals for the same PSK");
                    }
                }
                out.psks.add(id);
            } else if (e.proposal instanceof Proposal.ExternalInit) {
                out.kemOutput = ((Proposal.ExternalInit) e.proposal).kemOutput;
                out.pathRequired = true;
            } else if (e.proposal instanceof Proposal.ReInit) {
                Proposal.ReInit r = (Proposal.ReInit) e.proposal;
                if (r.version < GroupContext.MLS10) {
                    throw invalid("ReInit to protocol version " + r.version);
                }
                CipherSuite.of(r.cipherSuite);
                out.reInit = r;
            }
        }
        AppDataUpdates.apply(entries, out, config.appDataUpdater);
        if (out.extensionsChanged) {
            checkEveryMemberSupports(out.tree, out.extensions);
        }
        return out;
    }

    /** The §12.2 rules on which proposals may appear together and how they may be carried. */
    private static void checkShape(List<Entry> entries, Sender committer, boolean external) {
        int gce = 0;
        int externalInits = 0;
        int removes = 0;
        for (Entry e : entries) {
            int type = e.proposal.type();
            if (type == Proposal.GROUP_CONTEXT_EXTENSIONS) {
                gce++;
            } else if (type == Proposal.EXTERNAL_INIT) {
                externalInits++;
            } else if (type == Proposal.REMOVE) {
                removes++;
            }
            if (type == Proposal.REINIT && entries.size() > 1) {
                throw invalid("a ReInit must be the only proposal of its commit");
            }
            if (e.sender.type == Sender.EXTERNAL && (type == Proposal.UPDATE || type == Proposal.EXTERNAL_INIT
                    || type == Proposal.SELF_REMOVE)) {
                throw invalid("an external sender cannot propose type " + type);
            }
            if (type == Proposal.SELF_REMOVE) {
                // draft-ietf-mls-extensions: by reference only, and only a member removes itself.
                if (e.ref == null) {
                    throw new MlsException(ErrorCode.INVALID_COMMIT, "a SelfRemove can only be committed by reference");
                }
                if (e.sender.type != Sender.MEMBER) {
                    throw invalid("only a member can propose to remove itself");
                }
            }
            if (external) {
                if (e.ref != null && type != Proposal.SELF_REMOVE) {
                    throw new MlsException(ErrorCode.INVALID_COMMIT,
                            "an external commit can include only SelfRemove proposals by reference");
                }
                if (type != Proposal.EXTERNAL_INIT && type != Proposal.REMOVE && type != Proposal.PSK
                        && type != Proposal.SELF_REMOVE && type != Proposal.APP_DATA_UPDATE) {
                    throw new MlsException(ErrorCode.INVALID_COMMIT, "an external commit cannot include proposal type " + type);
                }
            }
        }
        if (gce > 1) {
            throw invalid("more than one GroupContextExtensions proposal");
        }
        if (external && (externalInits != 1 || removes > 1)) {
            throw new MlsException(ErrorCode.INVALID_COMMIT,
                    "an external commit needs exactly one ExternalInit and at most one Remove");
        }
        if (!external && externalInits > 0) {
            throw invalid("an ExternalInit is only allowed in an external commit");
        }
    }

    /** Removes {@code leaf}'s member (by Remove or SelfRemove): at most once per commit, and a path is then required. */
    private static void remove(ProposalList out, RatchetTree before, boolean[] touched, int leaf) {
        markTouched(touched, leaf, before);
        out.removedLeafNodes.add(before.leaf(leaf));
        out.tree.removeLeaf(leaf);
        out.removedLeaves.add(leaf);
        out.pathRequired = true;
    }

    private static void markTouched(boolean[] touched, int leaf, RatchetTree tree) {
        if (Integer.compareUnsigned(leaf, touched.length) >= 0 || tree.leaf(leaf) == null) {
            throw invalid("proposal for leaf " + Integer.toUnsignedString(leaf) + ", which holds no member");
        }
        if (touched[leaf]) {
            throw invalid("more than one Update or Remove for leaf " + leaf);
        }
        touched[leaf] = true;
    }

    /** Extensions a GroupContext may carry, in a GroupContextExtensions proposal. */
    static void checkGroupExtensions(List<Extension> ext) {
        checkGroupExtensions(ext, ErrorCode.INVALID_PROPOSAL);
    }

    /**
     * Extensions a GroupContext may carry: no duplicates, none of the RFC's types that belong in a
     * LeafNode or GroupInfo only (§17.3's "Message(s)" column), and the default ones well formed.
     * Violations are {@code code}: the caller knows whether a proposal, a GroupInfo or an argument
     * brought them.
     */
    static void checkGroupExtensions(List<Extension> ext, ErrorCode code) {
        int repeated = Extension.repeatedType(ext);
        if (repeated >= 0) {
            throw new MlsException(code, "extension " + repeated + " appears twice in the GroupContext");
        }
        for (Extension e : ext) {
            int type = e.type();
            if (type == ExtensionType.RATCHET_TREE || type == ExtensionType.EXTERNAL_PUB || type == ExtensionType.APPLICATION_ID) {
                throw new MlsException(code, "extension " + type + " does not belong in a GroupContext");
            }
        }
        RequiredCapabilities.find(ext);
        ExternalSenders.find(ext);
        org.mlskit.keys.AppDataDictionary.find(ext);
    }

    private static void checkEveryMemberSupports(RatchetTree tree, List<Extension> ext) {
        RequiredCapabilities required = RequiredCapabilities.find(ext);
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode m = tree.leaf(i);
            if (m == null) {
                continue;
            }
            checkSupportsGroupExtensions(m.capabilities, ext);
            String missing = m.capabilities.missing(required);
            if (missing != null) {
                throw invalid("member " + i + " does not support " + missing);
            }
        }
    }

    /**
     * §12.2: a non-default proposal type must be supported by every member that processes the
     * commit (members it removes need not).
     */
    private static void checkMembersSupport(RatchetTree tree, List<Entry> entries, List<Integer> removed) {
        for (Entry e : entries) {
            int type = e.proposal.type();
            if (!Proposal.isDefault(type)) {
                checkMembersSupport(tree, type, removed);
            }
        }
    }

    /** Every member of {@code tree} but {@code excluded} lists proposal {@code type} in its capabilities. */
    static void checkMembersSupport(RatchetTree tree, int type, List<Integer> excluded) {
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode m = tree.leaf(i);
            if (m != null && !excluded.contains(i) && !Capabilities.contains(m.capabilities.proposals, type)) {
                throw invalid("member " + i + " does not support proposal type " + type);
            }
        }
    }

    static void checkSupportsGroupExtensions(Capabilities caps, List<Extension> ext) {
        checkSupportsGroupExtensions(caps, ext, ErrorCode.INVALID_PROPOSAL, "a member");
    }

    /** §13: every GroupContext extension is mandatory, so {@code who} must list each non-default one. */
    static void checkSupportsGroupExtensions(Capabilities caps, List<Extension> ext, ErrorCode code, String who) {
        for (Extension e : ext) {
            if (!ExtensionType.isDefault(e.type()) && !Capabilities.contains(caps.extensions, e.type())) {
                throw new MlsException(code, who + " does not support group extension " + e.type());
            }
        }
    }

    static MlsException invalid(String why) {
        return new MlsException(ErrorCode.INVALID_PROPOSAL, why);
    }
}
