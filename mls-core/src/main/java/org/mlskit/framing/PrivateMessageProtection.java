package org.mlskit.framing;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.GroupContext;
import org.mlskit.schedule.HashRatchet;
import org.mlskit.schedule.RatchetKey;
import org.mlskit.schedule.SecretTree;
import org.mlskit.schedule.SenderDataKeys;

/**
 * Encoding an AuthenticatedContent as a PrivateMessage and back (RFC 9420 §6.3). The content is
 * encrypted with the next key of the sender's application ratchet (application data) or
 * handshake ratchet (proposals and commits), its nonce XORed with a random reuse guard; the
 * sender data is encrypted with a key and nonce derived from the sender-data secret and a sample
 * of that ciphertext.
 *
 * <p>On receipt the ratchet key is consumed only once the message fully checks out (decryption,
 * strict parsing with all-zero padding, signature): a forged or damaged message leaves the
 * secret tree as it was, so the genuine message still decrypts.
 */
public final class PrivateMessageProtection {
    private PrivateMessageProtection() {
    }

    /** Same as {@link #protect(CipherSuite, AuthenticatedContent, SecretTree, byte[], int, RandomSource)} without padding. */
    public static PrivateMessage protect(CipherSuite suite, AuthenticatedContent ac, SecretTree tree, byte[] senderDataSecret,
            RandomSource random) {
        return protect(suite, ac, tree, senderDataSecret, 0, random);
    }

    /**
     * Encrypts signed content from a member as a PrivateMessage, consuming one generation of the
     * sender's ratchet in {@code tree}.
     *
     * @param ac content from a member, signed for {@link WireFormat#PRIVATE_MESSAGE}
     * @param paddingBlock pads the plaintext with zero bytes up to the next multiple of this many
     *     bytes, to hide its exact length (RFC 9420 §15.1); 0 or 1 adds no padding
     * @param random the source of the reuse guard
     * @throws MlsException {@link ErrorCode#INVALID_ARGUMENT} for a non-member sender, content
     *     signed for another wire format, a sender leaf outside the tree or a negative padding
     */
    public static PrivateMessage protect(CipherSuite suite, AuthenticatedContent ac, SecretTree tree, byte[] senderDataSecret,
            int paddingBlock, RandomSource random) {
        if (ac.wireFormat != WireFormat.PRIVATE_MESSAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the content was signed for wire format " + ac.wireFormat
                    + ", not as a PrivateMessage");
        }
        if (ac.content.sender.type != Sender.MEMBER) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "only members send PrivateMessages (sender type "
                    + ac.content.sender.type + ")");
        }
        if (paddingBlock < 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "padding block " + paddingBlock + " is negative");
        }
        int length = PrivateMessageContent.unpaddedLength(ac.content, ac.auth);
        int padding = paddingBlock <= 1 ? 0 : (paddingBlock - length % paddingBlock) % paddingBlock;
        byte[] plaintext = PrivateMessageContent.encode(ac.content, ac.auth, padding);
        return encrypt(suite, ac.content, plaintext, tree, senderDataSecret, random);
    }

    /** Encrypts a PrivateMessageContent already encoded (tests use it to send malformed plaintexts). */
    static PrivateMessage encrypt(CipherSuite suite, FramedContent content, byte[] plaintext, SecretTree tree,
            byte[] senderDataSecret, RandomSource random) {
        int leaf = content.sender.index;
        RatchetKey key = ratchet(tree, leaf, content.contentType).next();
        byte[] ciphertext;
        SenderData senderData;
        try {
            senderData = new SenderData(leaf, key.generation(), random.bytes(SenderData.REUSE_GUARD_LENGTH));
            byte[] k = key.key();
            byte[] nonce = senderData.guardNonce(key.nonce());
            ciphertext = suite.aead().seal(k, nonce,
                    contentAad(content.groupId, content.epoch, content.contentType, content.authenticatedData), plaintext);
            Arrays.fill(k, (byte) 0);
            Arrays.fill(nonce, (byte) 0);
        } finally {
            key.erase();
        }
        byte[][] sdKeys = SenderDataKeys.keyAndNonce(suite, senderDataSecret, ciphertext);
        byte[] encryptedSenderData = suite.aead().seal(sdKeys[0], sdKeys[1],
                senderDataAad(content.groupId, content.epoch, content.contentType), senderData.toBytes());
        return new PrivateMessage(content.groupId, content.epoch, content.contentType, content.authenticatedData,
                encryptedSenderData, ciphertext);
    }

    /** Same as {@link #unprotect(CipherSuite, PrivateMessage, GroupContext, SecretTree, byte[], SignatureKeyLookup)} with one known key. */
    public static AuthenticatedContent unprotect(CipherSuite suite, PrivateMessage message, GroupContext context, SecretTree tree,
            byte[] senderDataSecret, byte[] signaturePublicKey) {
        return unprotect(suite, message, context, tree, senderDataSecret, SignatureKeyLookup.fixed(signaturePublicKey));
    }

    /**
     * Decrypts and checks a received PrivateMessage: group and epoch, sender data, the sender's
     * ratchet key for its generation, content decryption, strict parsing (padding all zero), the
     * sender's leaf (via {@code keys}) and signature. Only then is the ratchet key consumed; any
     * failure leaves {@code tree} as it was.
     *
     * @throws MlsException {@link ErrorCode#WRONG_GROUP}, {@link ErrorCode#WRONG_EPOCH},
     *     {@link ErrorCode#DECRYPTION_FAILED}, {@link ErrorCode#MALFORMED},
     *     {@link ErrorCode#UNKNOWN_MEMBER}, {@link ErrorCode#DUPLICATE_MESSAGE},
     *     {@link ErrorCode#GENERATION_OUT_OF_RANGE}, {@link ErrorCode#INVALID_SIGNATURE}
     */
    public static AuthenticatedContent unprotect(CipherSuite suite, PrivateMessage message, GroupContext context, SecretTree tree,
            byte[] senderDataSecret, SignatureKeyLookup keys) {
        Opened opened = open(suite, message, context, tree, senderDataSecret, keys);
        opened.receipt.commit();
        return opened.content;
    }

    /** A verified PrivateMessage whose ratchet key is not consumed yet: the caller commits or discards the receipt. */
    public static final class Opened {
        public final AuthenticatedContent content;
        public final SecretTree.Receipt receipt;

        Opened(AuthenticatedContent content, SecretTree.Receipt receipt) {
            this.content = content;
            this.receipt = receipt;
        }
    }

    /**
     * Everything {@link #unprotect(CipherSuite, PrivateMessage, GroupContext, SecretTree, byte[], SignatureKeyLookup)}
     * checks, without consuming the key: a group consumes it only once the content it carries
     * (a commit, say) has been accepted too. On error nothing was consumed.
     */
    public static Opened open(CipherSuite suite, PrivateMessage message, GroupContext context, SecretTree tree,
            byte[] senderDataSecret, SignatureKeyLookup keys) {
        ContextMatch.check(message.groupId, message.epoch, context);
        int type = message.contentType;
        if (type < ContentType.APPLICATION || type > ContentType.COMMIT) {
            throw new MlsException(ErrorCode.MALFORMED, "content type " + type);
        }
        byte[][] sdKeys = SenderDataKeys.keyAndNonce(suite, senderDataSecret, message.ciphertext);
        byte[] sdPlain = suite.aead().open(sdKeys[0], sdKeys[1], senderDataAad(message.groupId, message.epoch, type),
                message.encryptedSenderData);
        SenderData sd = SenderData.fromBytes(sdPlain);
        if (Integer.compareUnsigned(sd.leafIndex, tree.leafCount()) >= 0) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "leaf " + Integer.toUnsignedString(sd.leafIndex)
                    + " is outside a tree of " + tree.leafCount() + " leaves");
        }
        SecretTree.Receipt receipt = tree.prepareReceipt(sd.leafIndex, type == ContentType.APPLICATION, sd.generation);
        boolean ok = false;
        try {
            RatchetKey key = receipt.key();
            byte[] k = key.key();
            byte[] nonce = sd.guardNonce(key.nonce());
            byte[] plaintext;
            try {
                plaintext = suite.aead().open(k, nonce,
                        contentAad(message.groupId, message.epoch, type, message.authenticatedData), message.ciphertext);
            } finally {
                Arrays.fill(k, (byte) 0);
                Arrays.fill(nonce, (byte) 0);
            }
            AuthenticatedContent ac = PrivateMessageContent.decode(plaintext, message, Sender.member(sd.leafIndex));
            byte[] signatureKey = keys.signatureKey(ac.content);
            if (signatureKey == null) {
                throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "leaf " + Integer.toUnsignedString(sd.leafIndex)
                        + " holds no member");
            }
            ContentSigning.verify(suite, signatureKey, ac, context);
            ok = true;
            return new Opened(ac, receipt);
        } finally {
            if (!ok) {
                receipt.discard();
            }
        }
    }

    private static HashRatchet ratchet(SecretTree tree, int leaf, int contentType) {
        return contentType == ContentType.APPLICATION ? tree.applicationRatchet(leaf) : tree.handshakeRatchet(leaf);
    }

    /** PrivateContentAAD: group_id, epoch, content_type, authenticated_data. */
    private static byte[] contentAad(byte[] groupId, long epoch, int contentType, byte[] authenticatedData) {
        return new TlsWriter(groupId.length + authenticatedData.length + 16).opaque(groupId).u64(epoch).u8(contentType)
                .opaque(authenticatedData).toByteArray();
    }

    /** SenderDataAAD: group_id, epoch, content_type. */
    private static byte[] senderDataAad(byte[] groupId, long epoch, int contentType) {
        return new TlsWriter(groupId.length + 16).opaque(groupId).u64(epoch).u8(contentType).toByteArray();
    }
}
