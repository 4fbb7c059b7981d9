package org.mlskit.framing;

/**
 * Where a receiver finds the key a message's sender signed with (RFC 9420 §6.1): the LeafNode at
 * the member's leaf, the external_senders entry, the LeafNode in the commit's path or in the Add
 * proposal's KeyPackage. Unprotecting a PrivateMessage calls it only after decryption, when the
 * sender's leaf is known.
 */
@FunctionalInterface
public interface SignatureKeyLookup {
    /**
     * The signature public key for the sender of {@code content}, or null when there is no such
     * sender (a blank or absent leaf, an unknown external sender): the message is then rejected
     * as {@link org.mlskit.ErrorCode#UNKNOWN_MEMBER}.
     */
    byte[] signatureKey(FramedContent content);

    /** Always the same key, whoever the sender claims to be. */
    static SignatureKeyLookup fixed(byte[] signaturePublicKey) {
        byte[] key = signaturePublicKey.clone();
        return content -> key;
    }
}
