package org.mlskit.keys;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;

/** The KeyPackage checks of RFC 9420 §10.1 that do not depend on a group (those are in LeafNode validation). */
public final class KeyPackageValidation {
    private KeyPackageValidation() {
    }

    /**
     * Version and cipher suite, the KeyPackage's signature with its leaf's signature key, init key
     * distinct from the leaf's encryption key, a key_package-sourced leaf whose own signature
     * verifies and whose lifetime covers {@code nowSeconds} (skipped when negative).
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
        if (kp.leafNode.source != LeafNode.SOURCE_KEY_PACKAGE) {
            throw new MlsException(ErrorCode.INVALID_LEAF_NODE, "a KeyPackage's leaf must have source key_package");
        }
        if (nowSeconds >= 0 && (Long.compareUnsigned(nowSeconds, kp.leafNode.lifetime.notBefore) < 0
                || Long.compareUnsigned(nowSeconds, kp.leafNode.lifetime.notAfter) > 0)) {
            throw new MlsException(ErrorCode.EXPIRED, "the KeyPackage's lifetime does not cover the current time");
        }
    }
}
