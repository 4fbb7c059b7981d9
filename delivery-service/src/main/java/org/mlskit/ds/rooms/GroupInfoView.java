package org.mlskit.ds.rooms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.ds.api.DsError;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.GroupInfo;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.RatchetTree;

/**
 * What the DS learns from a GroupInfo (RFC 9420 §12.4.3): group, epoch, cipher suite, and the
 * roster from the ratchet_tree extension, which the DS requires. The tree is bound to the
 * GroupContext by its tree hash and the GroupInfo to the tree by the signer's leaf key, so the
 * roster is what a member signed for this epoch. Members' own leaf signatures are not checked
 * here (every joiner checks them, RFC 9420 §12.4.3.1): a lying signer can only misroute, which a
 * member can do anyway by committing a Remove.
 */
public final class GroupInfoView {
    public final byte[] bytes;
    public final byte[] groupId;
    public final long epoch;
    public final int suite;
    /** The leaf index of the member that signed it. */
    public final int signer;
    public final List<Leaf> leaves;

    /** A non-blank leaf: its index, its signature key (canonical form) and its credential's encoding. */
    public record Leaf(int index, byte[] signatureKey, byte[] credential) {
    }

    private GroupInfoView(byte[] bytes, byte[] groupId, long epoch, int suite, int signer, List<Leaf> leaves) {
        this.signer = signer;
        this.bytes = bytes;
        this.groupId = groupId;
        this.epoch = epoch;
        this.suite = suite;
        this.leaves = leaves;
    }

    /** Parses an MLSMessage holding a GroupInfo. */
    public static GroupInfoView parse(byte[] message) {
        MlsMessage m;
        try {
            m = MlsMessage.fromBytes(message);
        } catch (MlsException e) {
            throw new DsError(DsError.Code.MALFORMED_MESSAGE, "not an MLSMessage: " + e.getMessage());
        }
        return of(m, message);
    }

    static GroupInfoView of(MlsMessage m, byte[] bytes) {
        if (m.wireFormat != WireFormat.GROUP_INFO) {
            throw new DsError(DsError.Code.BAD_REQUEST, "expected a GroupInfo, got wire format " + m.wireFormat);
        }
        GroupInfo gi = (GroupInfo) m.body;
        CipherSuite suite;
        try {
            suite = CipherSuite.of(gi.groupContext.cipherSuite());
        } catch (RuntimeException e) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "unknown cipher suite " + gi.groupContext.cipherSuite());
        }
        Extension treeExt = null;
        for (Extension e : gi.extensions) {
            if (e.type() == ExtensionType.RATCHET_TREE) {
                treeExt = e;
            }
        }
        if (treeExt == null) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the GroupInfo must carry the ratchet_tree extension"
                    + " (the DS serves it for external joins and routes by it)");
        }
        RatchetTree tree;
        try {
            TlsReader in = new TlsReader(treeExt.data());
            tree = RatchetTree.decode(suite, in);
            in.finish();
        } catch (MlsException e) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the ratchet tree does not decode: " + e.getMessage());
        }
        if (!Arrays.equals(tree.treeHash(), gi.groupContext.treeHash())) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the ratchet tree's hash is not the GroupContext's tree_hash");
        }
        LeafNode signer = gi.signer >= 0 && gi.signer < tree.leafCount() ? tree.leaf(gi.signer) : null;
        if (signer == null) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the GroupInfo's signer " + gi.signer + " is not a leaf");
        }
        boolean valid;
        try {
            valid = gi.verify(suite, signer.signatureKey);
        } catch (MlsException e) {
            valid = false;
        }
        if (!valid) {
            throw new DsError(DsError.Code.INVALID_GROUP_INFO, "the GroupInfo's signature does not verify with its signer's key");
        }
        List<Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null) {
                byte[] key;
                try {
                    key = suite.signatureScheme().canonicalPublicKey(leaf.signatureKey);
                } catch (MlsException e) {
                    throw new DsError(DsError.Code.INVALID_GROUP_INFO, "leaf " + i + " has an invalid signature key");
                }
                leaves.add(new Leaf(i, key, new TlsWriter().write(leaf.credential).toByteArray()));
            }
        }
        return new GroupInfoView(bytes, gi.groupContext.groupId(), gi.groupContext.epoch(), suite.id(), gi.signer, leaves);
    }
}
