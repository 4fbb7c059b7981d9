package org.mlskit.group;

import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
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
    private final Set<String> signatureKeys = new HashSet<>();
    private final Set<String> clientIds = new HashSet<>();
    private final Set<String> encryptionKeys = new HashSet<>();
    private final Set<Integer> credentialTypesInUse = new HashSet<>();
    private Set<Integer> credentialTypesSupportedByAll;

    MemberIndex(RatchetTree tree, IdentityChecker identities) {
        this.identities = identities;
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode m = tree.leaf(i);
            if (m != null) {
                record(m);
            }
        }
        for (int n = 0; n < tree.nodeCount(); n++) {
            Node node = tree.node(n);
            if (node != null && !node.isLeaf()) {
                encryptionKeys.add(Hex.toHexString(node.encryptionKey()));
            }
        }
    }

    /** Checks that {@code leaf} is a new client with fresh keys whose credential fits the group's, and records it. */
    void admit(LeafNode leaf) {
        if (signatureKeys.contains(Hex.toHexString(leaf.signatureKey))
                || clientIds.contains(Hex.toHexString(identities.clientId(leaf.credential)))) {
            throw ProposalList.invalid("Add of a client that is already a member or added twice");
        }
        if (encryptionKeys.contains(Hex.toHexString(leaf.encryptionKey))) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "the leaf's encryption key is already in the tree");
        }
        if (credentialTypesSupportedByAll != null && !credentialTypesSupportedByAll.contains(leaf.credential.type())) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "a member does not support credential type "
                    + leaf.credential.type());
        }
        for (int t : credentialTypesInUse) {
            if (!has(leaf.capabilities.credentials, t)) {
                throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "the leaf does not support credential type " + t
                        + ", which a member uses");
            }
        }
        record(leaf);
    }

    private void record(LeafNode m) {
        signatureKeys.add(Hex.toHexString(m.signatureKey));
        clientIds.add(Hex.toHexString(identities.clientId(m.credential)));
        encryptionKeys.add(Hex.toHexString(m.encryptionKey));
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

    private static boolean has(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
