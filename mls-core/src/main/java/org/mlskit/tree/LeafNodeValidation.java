package org.mlskit.tree;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SignatureScheme;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.RequiredCapabilities;

/**
 * LeafNode validation of RFC 9420 §7.3, for a leaf arriving in a KeyPackage, an Update, a
 * Commit's UpdatePath or a tree. Credential validation proper (is this identity acceptable?) is
 * the application's, through its identity checker; this checks everything the RFC defines.
 */
public final class LeafNodeValidation {
    /** Where the leaf was found, which fixes the source it must have. */
    public enum Origin {
        KEY_PACKAGE(LeafNode.SOURCE_KEY_PACKAGE), UPDATE(LeafNode.SOURCE_UPDATE), COMMIT(LeafNode.SOURCE_COMMIT),
        /** A leaf already in a tree one is joining: any source. */
        TREE(0);

        final int source;

        Origin(int source) {
            this.source = source;
        }
    }

    private LeafNodeValidation() {
    }

    /**
     * Validates {@code leaf}, which is to occupy {@code leafIndex} of {@code tree} (the group's
     * tree before the change; the leaf being replaced is excluded from the uniqueness checks).
     * {@code nowSeconds} below 0 skips the lifetime check (received leaves, where it is only
     * RECOMMENDED); {@code required} may be null.
     */
    public static void validate(CipherSuite suite, LeafNode leaf, Origin origin, byte[] groupId, int leafIndex, RatchetTree tree,
            RequiredCapabilities required, long nowSeconds) {
        validate(suite, leaf, origin, groupId, leafIndex, tree, required, nowSeconds, false);
    }

    /**
     * Every leaf of {@code tree} validated as a joiner must (§12.4.3.1), the signatures checked as
     * one batch first (one by one only if the batch fails, to name the leaf at fault).
     */
    public static void validateTree(CipherSuite suite, RatchetTree tree, byte[] groupId, RequiredCapabilities required) {
        int n = 0;
        for (int i = 0; i < tree.leafCount(); i++) {
            n += tree.leaf(i) != null ? 1 : 0;
        }
        byte[][] keys = new byte[n][];
        byte[][] contents = new byte[n][];
        byte[][] sigs = new byte[n][];
        for (int i = 0, j = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null) {
                keys[j] = leaf.signatureKey;
                contents[j] = leaf.toBeSigned(groupId, i);
                sigs[j++] = leaf.signature;
            }
        }
        boolean allSigned = suite.verifyAllWithLabel(keys, LeafNode.SIGNATURE_LABEL, contents, sigs);
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null) {
                validate(suite, leaf, Origin.TREE, groupId, i, null, required, -1, allSigned);
            }
        }
    }

    private static void validate(CipherSuite suite, LeafNode leaf, Origin origin, byte[] groupId, int leafIndex, RatchetTree tree,
            RequiredCapabilities required, long nowSeconds, boolean signatureVerified) {
        if (origin != Origin.TREE && leaf.source != origin.source) {
            throw invalid("a leaf in " + origin + " must have leaf_node_source " + origin.source + ", not " + leaf.source);
        }
        if (!signatureVerified && !leaf.verify(suite, groupId, leafIndex)) {
            throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the LeafNode signature does not verify");
        }
        // The version and cipher suite are not required in capabilities: §7.3 only asks for the
        // required_capabilities and credential rules below, a KeyPackage's own version and
        // cipher_suite fields already commit to both, and deployed implementations omit them
        // (docs/validation.md). Unknown and GREASE values in any list are ignored (§13.5).
        Capabilities caps = leaf.capabilities;
        if (!Capabilities.contains(caps.credentials, leaf.credential.type())) {
            throw invalid("the leaf's capabilities lack its own credential type " + leaf.credential.type());
        }
        for (Extension e : leaf.extensions) {
            if (!ExtensionType.isDefault(e.type()) && !Capabilities.contains(caps.extensions, e.type())) {
                throw invalid("the leaf carries extension " + e.type() + " its capabilities do not list");
            }
        }
        checkRequired(leaf, required);
        if (origin == Origin.KEY_PACKAGE && nowSeconds >= 0
                && (Long.compareUnsigned(nowSeconds, leaf.lifetime.notBefore) < 0
                    || Long.compareUnsigned(nowSeconds, leaf.lifetime.notAfter) > 0)) {
            throw new MlsException(ErrorCode.EXPIRED, "the leaf's lifetime does not cover the current time");
        }
        if (tree != null) {
            checkAgainstMembers(leaf, leafIndex, tree, origin != Origin.TREE);
        }
    }

    /** The leaf lists every capability the group's required_capabilities (may be null) names (§7.3, §11.1). */
    public static void checkRequired(LeafNode leaf, RequiredCapabilities required) {
        String missing = leaf.capabilities.missing(required);
        if (missing != null) {
            throw invalid("the leaf does not support " + missing);
        }
    }

    /** Credential types in use are mutually supported, and the leaf's keys are new to the tree. */
    private static void checkAgainstMembers(LeafNode leaf, int leafIndex, RatchetTree tree, boolean replacing) {
        LeafNode replaced = leafIndex < tree.leafCount() ? tree.leaf(leafIndex) : null;
        SignatureScheme scheme = tree.suite().signatureScheme();
        byte[] signatureKey = scheme.canonicalPublicKey(leaf.signatureKey);
        if (replacing && replaced != null && Arrays.equals(replaced.encryptionKey, leaf.encryptionKey)) {
            throw invalid("an updated leaf must have a new encryption key");
        }
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode m = tree.leaf(i);
            if (m == null || i == leafIndex) {
                continue;
            }
            if (!Capabilities.contains(m.capabilities.credentials, leaf.credential.type())) {
                throw invalid("member " + i + " does not support credential type " + leaf.credential.type());
            }
            if (!Capabilities.contains(leaf.capabilities.credentials, m.credential.type())) {
                throw invalid("the leaf does not support member " + i + "'s credential type " + m.credential.type());
            }
            if (Arrays.equals(scheme.canonicalPublicKey(m.signatureKey), signatureKey)) {
                throw invalid("the leaf's signature key is already used by member " + i);
            }
        }
        for (int n = 0; n < tree.nodeCount(); n++) {
            Node node = tree.node(n);
            if (node != null && n != TreeMath.nodeIndex(leafIndex) && Arrays.equals(node.encryptionKey(), leaf.encryptionKey)) {
                throw invalid("the leaf's encryption key is already used by node " + n);
            }
        }
    }

    private static MlsException invalid(String why) {
        return new MlsException(ErrorCode.INVALID_LEAF_NODE, why);
    }
}
