package org.mlskit.group;

import java.util.HashSet;
import java.util.Set;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.crypto.SignatureScheme;
import org.mlskit.keys.IdentityChecker;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.Node;
import org.mlskit.tree.RatchetTree;

/**
 * What a new leaf must not clash with, gathered once per commit: the members' signature keys and
 * client ids, every node's encryption key, the credential types in use and those every member
 * supports (RFC 9420 §7.3, §12.2). Admitting a leaf checks it and records it.
 */
final class MemberIndex {
    private final IdentityChecker identities;
    private final SignatureScheme scheme;
    private final Set<Bytes> signatureKeys = new HashSet<>();
    private final Set<Bytes> clientIds = new HashSet<>();
    private final Set<Bytes> encryptionKeys = new HashSet<>();
    private final Set<Integer> credentialTypesInUse = new HashSet<>();
    private Set<Integer> credentialTypesSupportedByAll;

    MemberIndex(RatchetTree tree, IdentityChecker identities) {
        this.identities = identities;
        this.scheme = tree.suite().signatureScheme();
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode m = tree.leaf(i);
            if (m != null) {
                record(m);
            }
        }
        for (int n = 0; n < tree.nodeCount(); n++) {
            Node node = tree.node(n);
            if (node != null && !node.isLeaf()) {
                encryptionKeys.add(new Bytes(node.encryptionKey()));
            }
        }
    }

    /** Checks that {@code leaf} is a new client with fresh keys whose credential fits the group's, and records it. */
    void admit(LeafNode leaf) {
        if (signatureKeys.contains(signatureKeyOf(leaf))
                || clientIds.contains(new Bytes(identities.clientId(leaf.credential)))) {
            throw ProposalList.invalid("Add of a client that is already a member or added twice");
        }
        if (encryptionKeys.contains(new Bytes(leaf.encryptionKey))) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "the leaf's encryption key is already in the tree");
        }
        if (credentialTypesSupportedByAll != null && !credentialTypesSupportedByAll.contains(leaf.credential.type())) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "a member does not support credential type "
                    + leaf.credential.type());
        }
        for (int t : credentialTypesInUse) {
            if (!org.mlskit.keys.Capabilities.contains(leaf.capabilities.credentials, t)) {
                throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "the leaf does not support credential type " + t
                        + ", which a member uses");
            }
        }
        record(leaf);
    }

    /** Compressed and uncompressed encodings of one ECDSA key are one key. */
    private Bytes signatureKeyOf(LeafNode leaf) {
        return new Bytes(scheme.canonicalPublicKey(leaf.signatureKey));
    }

    private void record(LeafNode m) {
        signatureKeys.add(signatureKeyOf(m));
        clientIds.add(new Bytes(identities.clientId(m.credential)));
        encryptionKeys.add(new Bytes(m.encryptionKey));
        credentialTypesInUse.add(m.credential.type());
        Set<Integer> supported = new HashSet<>();
        for (int t : m.capabilities.credentials) {
            supported.add(t);
        }
        if (credentialTypesSupportedByAll == null) {
            credentialTypesSupportedByAll = supported;
        } else {
            credentialTypesSupportedByAll.retainAll(supported);
        }
    }
}
