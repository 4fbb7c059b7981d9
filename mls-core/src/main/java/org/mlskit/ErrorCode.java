package org.mlskit;

/** Stable error codes; the names are part of the public API (the JS bindings expose them too). */
public enum ErrorCode {
    /** Bytes that do not decode as the expected structure. */
    MALFORMED,
    /** A cipher suite, KEM, signature scheme or other identifier this library does not implement. */
    UNSUPPORTED,
    /** A signature that does not verify. */
    INVALID_SIGNATURE,
    /** An AEAD or HPKE ciphertext that does not authenticate. */
    DECRYPTION_FAILED,
    /** A key of the wrong length or not on the curve. */
    INVALID_KEY,
    /** An argument outside the range the operation allows. */
    INVALID_ARGUMENT,
    /** A message whose key was already used: a replay or a duplicate (RFC 9420 §9.2 erases used keys). */
    DUPLICATE_MESSAGE,
    /** A generation beyond the configured forward distance, or older than the retained out-of-order window. */
    GENERATION_OUT_OF_RANGE,
    /** A ratchet tree whose parent hashes do not chain every parent node back to a leaf (RFC 9420 §7.9.2). */
    INVALID_PARENT_HASH,
    /** A tree or tree hash that does not match what the group agreed on. */
    INVALID_TREE,
    /** A PublicMessage whose membership tag does not match the membership key of its epoch (RFC 9420 §6.2). */
    INVALID_MEMBERSHIP_TAG,
    /** A message for an epoch other than the one whose state it was processed with. */
    WRONG_EPOCH,
    /** A message for another group. */
    WRONG_GROUP,
    /** A sender that is not a member (a blank or out-of-range leaf) or an unknown external sender. */
    UNKNOWN_MEMBER,
    /** A content type the message's wire format or sender type does not allow (e.g. an application message as a PublicMessage). */
    WRONG_CONTENT_TYPE,
    /** A LeafNode that breaks a rule of RFC 9420 §7.3 (source, capabilities, extensions, uniqueness). */
    INVALID_LEAF_NODE,
    /** A KeyPackage or leaf whose lifetime does not cover the current time. */
    EXPIRED,
    /** No secure randomness is available in this runtime. */
    NO_SECURE_RANDOM,
    /** A proposal the RFC forbids, alone or in combination with the others of a commit (RFC 9420 §12.1, §12.2). */
    INVALID_PROPOSAL,
    /** A commit whose form breaks a rule of RFC 9420 §12.4 (a missing path, an external commit's shape). */
    INVALID_COMMIT,
    /** A commit that refers to a proposal this member never received in the epoch. */
    UNKNOWN_PROPOSAL,
    /** A commit or GroupInfo whose confirmation tag does not match the epoch it leads to. */
    INVALID_CONFIRMATION_TAG,
    /** A pre-shared key that is neither in the application's store nor a retained resumption secret. */
    MISSING_PSK,
    /** A Welcome with no entry for any KeyPackage of ours. */
    NOT_FOR_US,
    /** An operation the group's state does not allow now (the member was removed, a ReInit is pending, a commit is staged). */
    INVALID_STATE,
    /** A credential the application's checker refused (an identity it does not accept, a certificate chain that does not verify). */
    INVALID_CREDENTIAL
}
