package org.mlskit.vectors;

import java.util.Collections;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PrivateMessageProtection;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Commit;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;
import org.mlskit.codec.Codec;
import org.mlskit.keys.Extension;
import org.mlskit.schedule.SecretTree;

import static org.mlskit.vectors.TestVectors.*;

/**
 * message-protection.json: for a proposal, a commit and application data sent by leaf 1 of a
 * two-member group, the given PublicMessage (not for application data) and PrivateMessage
 * unprotect to the raw content, and protecting the raw content ourselves round-trips; protecting
 * application data as a PublicMessage fails.
 */
final class MessageProtectionVectors {
    private static final int SENDER_LEAF = 1;
    private static final int LEAVES = 2;

    private MessageProtectionVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        GroupContext ctx = new GroupContext(cs.id(), hex(v, "group_id"), num(v, "epoch"), hex(v, "tree_hash"),
                hex(v, "confirmed_transcript_hash"), Collections.<Extension>emptyList());
        Keys keys = new Keys(cs, v, ctx, random);
        byte[] proposal = hex(v, "proposal");
        byte[] commit = hex(v, "commit");
        byte[] application = hex(v, "application");

        // Proposal.
        FramedContent p = FramedContent.proposal(ctx.groupId(), ctx.epoch(), Sender.member(SENDER_LEAF), new byte[0],
                Codec.decodeAll(proposal, Proposal::decode));
        keys.checkPublic("proposal_pub", hex(v, "proposal_pub"), p, proposal);
        keys.checkPrivate("proposal_priv", hex(v, "proposal_priv"), p, proposal);

        // Commit: its confirmation tag is not checked here (it needs the next epoch), so any MAC-sized value does.
        FramedContent c = FramedContent.commit(ctx.groupId(), ctx.epoch(), Sender.member(SENDER_LEAF), new byte[0],
                Codec.decodeAll(commit, Commit::decode));
        keys.checkPublic("commit_pub", hex(v, "commit_pub"), c, commit);
        keys.checkPrivate("commit_priv", hex(v, "commit_priv"), c, commit);

        // Application data: never as a PublicMessage.
        FramedContent a = FramedContent.application(ctx.groupId(), ctx.epoch(), Sender.member(SENDER_LEAF), new byte[0],
                application);
        AuthenticatedContent signedPublic = ContentSigning.authenticate(cs, keys.signaturePriv, WireFormat.PUBLIC_MESSAGE, a,
                ctx, null);
        try {
            PublicMessageProtection.protect(cs, signedPublic, ctx, keys.membershipKey);
            throw new VectorMismatch("protecting application data as a PublicMessage must fail");
        } catch (MlsException e) {
            expect("application data as a PublicMessage is WRONG_CONTENT_TYPE, not " + e.code(),
                    e.code() == ErrorCode.WRONG_CONTENT_TYPE);
        }
        keys.checkPrivate("application_priv", hex(v, "application_priv"), a, application);
    }

    /** The raw value a content carries: the encoded proposal or commit, or the application data. */
    private static byte[] raw(FramedContent content) {
        switch (content.contentType) {
            case ContentType.APPLICATION:
                return content.applicationData;
            case ContentType.PROPOSAL:
                return content.proposal.toBytes();
            default:
                return content.commit.toBytes();
        }
    }

    private static final class Keys {
        final CipherSuite cs;
        final GroupContext ctx;
        final RandomSource random;
        final byte[] signaturePriv;
        final byte[] signaturePub;
        final byte[] encryptionSecret;
        final byte[] senderDataSecret;
        final byte[] membershipKey;

        Keys(CipherSuite cs, JsonValue v, GroupContext ctx, RandomSource random) {
            this.cs = cs;
            this.ctx = ctx;
            this.random = random;
            signaturePriv = hex(v, "signature_priv");
            signaturePub = hex(v, "signature_pub");
            encryptionSecret = hex(v, "encryption_secret");
            senderDataSecret = hex(v, "sender_data_secret");
            membershipKey = hex(v, "membership_key");
        }

        byte[] confirmationTag(FramedContent content) {
            return content.contentType == ContentType.COMMIT ? new byte[cs.kdf().length()] : null;
        }

        void checkPublic(String field, byte[] message, FramedContent content, byte[] expectedRaw) {
            // The given message verifies and carries the raw value.
            PublicMessage pm = publicMessage(field, message);
            AuthenticatedContent got = PublicMessageProtection.unprotect(cs, pm, ctx, membershipKey, signaturePub);
            expectSender(field, got.content);
            expectEqual(field + " content", expectedRaw, raw(got.content));
            // Our own protection of the raw value verifies too, after a trip through the wire encoding.
            AuthenticatedContent signed = ContentSigning.authenticate(cs, signaturePriv, WireFormat.PUBLIC_MESSAGE, content,
                    ctx, confirmationTag(content));
            byte[] ours = new MlsMessage(WireFormat.PUBLIC_MESSAGE, PublicMessageProtection.protect(cs, signed, ctx,
                    membershipKey)).toBytes();
            got = PublicMessageProtection.unprotect(cs, publicMessage(field + " (ours)", ours), ctx, membershipKey,
                    signaturePub);
            expectSender(field + " (ours)", got.content);
            expectEqual(field + " (ours) content", expectedRaw, raw(got.content));
        }

        void checkPrivate(String field, byte[] message, FramedContent content, byte[] expectedRaw) {
            // The given message decrypts with a fresh secret tree and verifies.
            SecretTree tree = new SecretTree(cs, encryptionSecret, LEAVES);
            AuthenticatedContent got = PrivateMessageProtection.unprotect(cs, privateMessage(field, message), ctx, tree,
                    senderDataSecret, signaturePub);
            expectSender(field, got.content);
            expectEqual(field + " content", expectedRaw, raw(got.content));
            // Our own protection, by a sender with its own tree, decrypts with a receiver's tree.
            SecretTree senderTree = new SecretTree(cs, encryptionSecret, LEAVES);
            SecretTree receiverTree = new SecretTree(cs, encryptionSecret, LEAVES);
            AuthenticatedContent signed = ContentSigning.authenticate(cs, signaturePriv, WireFormat.PRIVATE_MESSAGE, content,
                    ctx, confirmationTag(content));
            byte[] ours = new MlsMessage(WireFormat.PRIVATE_MESSAGE, PrivateMessageProtection.protect(cs, signed, senderTree,
                    senderDataSecret, random)).toBytes();
            got = PrivateMessageProtection.unprotect(cs, privateMessage(field + " (ours)", ours), ctx, receiverTree,
                    senderDataSecret, signaturePub);
            expectSender(field + " (ours)", got.content);
            expectEqual(field + " (ours) content", expectedRaw, raw(got.content));
        }

        private static void expectSender(String field, FramedContent content) {
            expect(field + " is sent by leaf " + SENDER_LEAF, content.sender.type == Sender.MEMBER
                    && content.sender.index == SENDER_LEAF);
        }

        private static PublicMessage publicMessage(String field, byte[] bytes) {
            MlsMessage m = MlsMessage.fromBytes(bytes);
            expectEqual(field + " wire format", WireFormat.PUBLIC_MESSAGE, m.wireFormat);
            expectEqual(field + " re-encodes", bytes, m.toBytes());
            return (PublicMessage) m.body;
        }

        private static PrivateMessage privateMessage(String field, byte[] bytes) {
            MlsMessage m = MlsMessage.fromBytes(bytes);
            expectEqual(field + " wire format", WireFormat.PRIVATE_MESSAGE, m.wireFormat);
            expectEqual(field + " re-encodes", bytes, m.toBytes());
            return (PrivateMessage) m.body;
        }
    }
}
