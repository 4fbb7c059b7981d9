package org.mlskit.keys;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.tree.LeafNodeValidation;

/**
 * The KeyPackage checks of RFC 9420 §10.1 that do not depend on a group, its leaf's included
 * (§7.3): the same whether a KeyPackage is inspected, received in an Add proposal or committed.
 * What depends on the group (required capabilities, key uniqueness, credential types in use) is
 * checked when it is added.
 */
public final class KeyPackageValidation {
    private KeyPackageValidation() {
    }

    /**
     * Version and cipher suite, the KeyPackage's signature with its leaf's signature key, init key
     * distinct from the leaf's encryption key, and the leaf: source key_package, its own signature,
     * its credential type and extensions listed in its capabilities, and a lifetime that covers
     * {@code nowSeconds} (skipped when negative).
     */
    public static void validate(CipherSuite suite, KeyPackage kp, long nowSeconds) {
        if (kp.version != 1) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "KeyPackage for protocol version " + kp.version);
        }
        if (kp.cipherSuite != suite.id()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "KeyPackage for cipher suite " + kp.cipherSuite + " in a group of "
                    + suite.id());
        }
        if (!suite.verifyWithLabel(kp.leafNode.signatureKey, "KeyPackageTBS", kp.toBeSigned(), kp.signature)) {
            throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the KeyPackage signature does not verify");
        }
        if (Arrays.equals(kp.initKey, kp.leafNode.encryptionKey)) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "the KeyPackage's init key equals its leaf's encryption key");
        }
        LeafNodeValidation.validate(suite, kp.leafNode, LeafNodeValidation.Origin.KEY_PACKAGE, null, 0, null, null, nowSeconds);
    }
}
