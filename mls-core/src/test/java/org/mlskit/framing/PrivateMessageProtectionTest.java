package org.mlskit.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.framing.FramingFixture.assertMls;
import static org.mlskit.framing.FramingFixture.assertSameContent;
import static org.mlskit.framing.FramingFixture.flipBit;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;
import org.mlskit.schedule.RatchetPolicy;
import org.mlskit.schedule.SecretTree;
import org.mlskit.schedule.SenderDataKeys;

/** PrivateMessage protection (RFC 9420 §6.3): round trips, and every kind of bad input as a typed error that burns no key. */
class PrivateMessageProtectionTest {
    private static final FramingFixture F1 = new FramingFixture(CipherSuite.of(1));

    private static PrivateMessage body(byte[] wire) {
        return (PrivateMessage) MlsMessage.fromBytes(wire).body;
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.framing.FramingFixture#suites")
    void everyContentTypeRoundTrips(CipherSuite cs) {
        FramingFixture f = new FramingFixture(cs);
        SecretTree sender = f.tree();
        SecretTree receiver = f.tree();
        for (FramedContent c : new FramedContent[] {f.application("hello"), f.proposal(), f.commit(), f.application("again")}) {
            AuthenticatedContent got = f.receivePrivate(receiver, f.sendPrivate(sender, c));
            assertSameContent(c, got);
            assertEquals(WireFormat.PRIVATE_MESSAGE, got.wireFormat);
        }
        // Application and handshake messages use separate ratchets.
        assertEquals(2, sender.applicationRatchet(FramingFixture.SENDER).generation());
        assertEquals(2, sender.handshakeRatchet(FramingFixture.SENDER).generation());
    }

    @ParameterizedTest
    @MethodSource("org.mlskit.framing.FramingFixture#suites")
    void aBitFlipAnywhereIsATypedErrorAndTheGenuineMessageStillDecrypts(CipherSuite cs) {
        FramingFixture f = new FramingFixture(cs);
        SecretTree receiver = f.tree();
        for (FramedContent c : new FramedContent[] {f.application("flip me"), f.commit()}) {
            byte[] genuine = f.sendPrivate(f.tree(), c);
            for (int bit = 0; bit < genuine.length * 8; bit++) {
                byte[] bad = flipBit(genuine, bit);
                assertThrows(MlsException.class, () -> f.receivePrivate(receiver, bad), "bit " + bit);
            }
            assertSameContent(c, f.receivePrivate(receiver, genuine));
        }
    }

    @Test
    void aReplayIsADuplicate() {
        SecretTree sender = F1.tree();
        SecretTree receiver = F1.tree();
        byte[] first = F1.sendPrivate(sender, F1.application("once"));
        byte[] second = F1.sendPrivate(sender, F1.application("twice"));
        F1.receivePrivate(receiver, first);
        assertMls(ErrorCode.DUPLICATE_MESSAGE, () -> F1.receivePrivate(receiver, first));
        assertSameContent(F1.application("twice"), F1.receivePrivate(receiver, second));
        assertMls(ErrorCode.DUPLICATE_MESSAGE, () -> F1.receivePrivate(receiver, second));
        assertMls(ErrorCode.DUPLICATE_MESSAGE, () -> F1.receivePrivate(receiver, first));
    }

    @Test
    void aGenerationTooFarAheadIsRejectedAndChangesNothing() {
        SecretTree sender = F1.tree();
        SecretTree receiver = F1.tree(new RatchetPolicy(10, 4));
        byte[][] sent = new byte[12][];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = F1.sendPrivate(sender, F1.application("m" + i));
        }
        assertMls(ErrorCode.GENERATION_OUT_OF_RANGE, () -> F1.receivePrivate(receiver, sent[11]));
        assertEquals(0, receiver.applicationRatchet(FramingFixture.SENDER).generation());
        assertSameContent(F1.application("m0"), F1.receivePrivate(receiver, sent[0]));
        assertSameContent(F1.application("m10"), F1.receivePrivate(receiver, sent[10]));
        assertSameContent(F1.application("m11"), F1.receivePrivate(receiver, sent[11]));
        // Four skipped keys are kept (6..9); older ones are gone.
        assertSameContent(F1.application("m6"), F1.receivePrivate(receiver, sent[6]));
        assertMls(ErrorCode.DUPLICATE_MESSAGE, () -> F1.receivePrivate(receiver, sent[5]));
    }

    @Test
    void aForgedMessageAheadBurnsNoKey() {
        SecretTree sender = F1.tree();
        SecretTree receiver = F1.tree();
        byte[][] sent = new byte[4][];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = F1.sendPrivate(sender, F1.application("m" + i));
        }
        // Damage the last tag byte: the sender data still decrypts (same sample), the content does not.
        byte[] forged = sent[3].clone();
        forged[forged.length - 1] ^= 1;
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> F1.receivePrivate(receiver, forged));
        assertEquals(0, receiver.applicationRatchet(FramingFixture.SENDER).generation());
        for (int i : new int[] {3, 0, 2, 1}) {
            assertSameContent(F1.application("m" + i), F1.receivePrivate(receiver, sent[i]));
        }
        // A forged message for a skipped key leaves that key in place too.
        byte[] late = F1.sendPrivate(sender, F1.application("m4"));
        byte[] later = F1.sendPrivate(sender, F1.application("m5"));
        F1.receivePrivate(receiver, later);
        byte[] forgedLate = late.clone();
        forgedLate[forgedLate.length - 1] ^= 1;
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> F1.receivePrivate(receiver, forgedLate));
        assertSameContent(F1.application("m4"), F1.receivePrivate(receiver, late));
    }

    @Test
    void nonZeroPaddingIsMalformedAndTheGenuineMessageStillDecrypts() {
        FramedContent c = F1.application("padded");
        AuthenticatedContent ac = F1.signed(WireFormat.PRIVATE_MESSAGE, c);
        byte[] plain = PrivateMessageContent.encode(c, ac.auth, 8);
        plain[plain.length - 3] = 1;
        byte[] bad = FramingFixture.wire(WireFormat.PRIVATE_MESSAGE,
                PrivateMessageProtection.encrypt(F1.cs, c, plain, F1.tree(), F1.senderDataSecret, FramingFixture.RANDOM));
        byte[] genuine = FramingFixture.wire(WireFormat.PRIVATE_MESSAGE,
                PrivateMessageProtection.protect(F1.cs, ac, F1.tree(), F1.senderDataSecret, 64, FramingFixture.RANDOM));
        SecretTree receiver = F1.tree();
        assertMls(ErrorCode.MALFORMED, () -> F1.receivePrivate(receiver, bad));
        assertSameContent(c, F1.receivePrivate(receiver, genuine));
    }

    @Test
    void paddingFillsToTheBlockSizeAndIsAccepted() {
        FramedContent c = F1.application("x");
        for (int block : new int[] {0, 1, 16, 64, 100}) {
            PrivateMessage pm = PrivateMessageProtection.protect(F1.cs, F1.signed(WireFormat.PRIVATE_MESSAGE, c), F1.tree(),
                    F1.senderDataSecret, block, FramingFixture.RANDOM);
            int plain = pm.ciphertext.length - 16;
            if (block > 1) {
                assertEquals(0, plain % block, "block " + block);
            }
            assertSameContent(c, PrivateMessageProtection.unprotect(F1.cs, pm, F1.ctx, F1.tree(), F1.senderDataSecret,
                    F1.signer.publicKey()));
        }
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> PrivateMessageProtection.protect(F1.cs,
                F1.signed(WireFormat.PRIVATE_MESSAGE, c), F1.tree(), F1.senderDataSecret, -1, FramingFixture.RANDOM));
    }

    @Test
    void aTruncatedMessageIsATypedErrorAndTheGenuineMessageStillDecrypts() {
        SecretTree receiver = F1.tree();
        byte[] genuine = F1.sendPrivate(F1.tree(), F1.commit());
        PrivateMessage pm = body(genuine);
        // Truncated on the wire: every prefix.
        for (int n = 0; n < genuine.length; n++) {
            byte[] prefix = Arrays.copyOf(genuine, n);
            assertMls(ErrorCode.MALFORMED, () -> F1.receivePrivate(receiver, prefix));
        }
        // A well-formed message whose ciphertext was cut short: the tag, the sample, everything.
        for (int keep : new int[] {pm.ciphertext.length - 1, pm.ciphertext.length - 16, 40, 16, 15, 1, 0}) {
            PrivateMessage cut = new PrivateMessage(pm.groupId, pm.epoch, pm.contentType, pm.authenticatedData,
                    pm.encryptedSenderData, Arrays.copyOf(pm.ciphertext, keep));
            assertMls(ErrorCode.DECRYPTION_FAILED, () -> PrivateMessageProtection.unprotect(F1.cs, cut, F1.ctx, receiver,
                    F1.senderDataSecret, F1.signer.publicKey()));
        }
        PrivateMessage cutSenderData = new PrivateMessage(pm.groupId, pm.epoch, pm.contentType, pm.authenticatedData,
                Arrays.copyOf(pm.encryptedSenderData, 3), pm.ciphertext);
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> PrivateMessageProtection.unprotect(F1.cs, cutSenderData, F1.ctx, receiver,
                F1.senderDataSecret, F1.signer.publicKey()));
        assertSameContent(F1.commit(), F1.receivePrivate(receiver, genuine));
    }

    @Test
    void aWrongSignatureIsRejectedAndTheGenuineMessageStillDecrypts() {
        FramedContent c = F1.proposal();
        AuthenticatedContent forged = ContentSigning.authenticate(F1.cs, F1.otherSigner.privateKey(),
                WireFormat.PRIVATE_MESSAGE, c, F1.ctx, null);
        byte[] bad = FramingFixture.wire(WireFormat.PRIVATE_MESSAGE,
                PrivateMessageProtection.protect(F1.cs, forged, F1.tree(), F1.senderDataSecret, FramingFixture.RANDOM));
        // Signed for the other wire format: the FramedContentTBS differs.
        AuthenticatedContent asPublic = F1.signed(WireFormat.PUBLIC_MESSAGE, c);
        byte[] wrongWireFormat = FramingFixture.wire(WireFormat.PRIVATE_MESSAGE, PrivateMessageProtection.protect(F1.cs,
                new AuthenticatedContent(WireFormat.PRIVATE_MESSAGE, c, asPublic.auth), F1.tree(), F1.senderDataSecret,
                FramingFixture.RANDOM));
        byte[] genuine = F1.sendPrivate(F1.tree(), c);
        SecretTree receiver = F1.tree();
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> F1.receivePrivate(receiver, bad));
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> F1.receivePrivate(receiver, wrongWireFormat));
        assertMls(ErrorCode.INVALID_SIGNATURE, () -> PrivateMessageProtection.unprotect(F1.cs, body(genuine), F1.ctx, receiver,
                F1.senderDataSecret, F1.otherSigner.publicKey()));
        assertSameContent(c, F1.receivePrivate(receiver, genuine));
    }

    @Test
    void groupEpochSenderAndSecretsMustMatch() {
        byte[] genuine = F1.sendPrivate(F1.tree(), F1.application("hi"));
        PrivateMessage pm = body(genuine);
        SecretTree receiver = F1.tree();
        GroupContext nextEpoch = new GroupContext(F1.cs.id(), F1.ctx.groupId(), F1.ctx.epoch() + 1, F1.ctx.treeHash(),
                F1.ctx.confirmedTranscriptHash(), F1.ctx.extensions());
        GroupContext otherGroup = new GroupContext(F1.cs.id(), new byte[] {1, 2, 3}, F1.ctx.epoch(), F1.ctx.treeHash(),
                F1.ctx.confirmedTranscriptHash(), F1.ctx.extensions());
        assertMls(ErrorCode.WRONG_EPOCH, () -> PrivateMessageProtection.unprotect(F1.cs, pm, nextEpoch, receiver,
                F1.senderDataSecret, F1.signer.publicKey()));
        assertMls(ErrorCode.WRONG_GROUP, () -> PrivateMessageProtection.unprotect(F1.cs, pm, otherGroup, receiver,
                F1.senderDataSecret, F1.signer.publicKey()));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> PrivateMessageProtection.unprotect(F1.cs, pm, F1.ctx, receiver,
                new byte[32], F1.signer.publicKey()));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> PrivateMessageProtection.unprotect(F1.cs, pm, F1.ctx,
                new SecretTree(F1.cs, new byte[32], FramingFixture.LEAVES), F1.senderDataSecret, F1.signer.publicKey()));
        // A blank leaf: the lookup finds no key.
        assertMls(ErrorCode.UNKNOWN_MEMBER, () -> PrivateMessageProtection.unprotect(F1.cs, pm, F1.ctx, receiver,
                F1.senderDataSecret, content -> null));
        // A leaf beyond the tree: the receiver's tree is smaller than the sender's.
        assertMls(ErrorCode.UNKNOWN_MEMBER, () -> PrivateMessageProtection.unprotect(F1.cs, pm, F1.ctx,
                new SecretTree(F1.cs, F1.encryptionSecret, 1), F1.senderDataSecret, F1.signer.publicKey()));
        assertSameContent(F1.application("hi"), F1.receivePrivate(receiver, genuine));
    }

    @Test
    void garbageSenderDataIsMalformed() {
        // Sender data that authenticates but is not 12 bytes: only someone with the sender-data secret can send it.
        PrivateMessage pm = body(F1.sendPrivate(F1.tree(), F1.application("hi")));
        byte[] aad = new org.mlskit.codec.TlsWriter().opaque(pm.groupId).u64(pm.epoch).u8(pm.contentType).toByteArray();
        byte[] sd = F1.cs.aead().seal(SenderDataKeys.key(F1.cs, F1.senderDataSecret, pm.ciphertext),
                SenderDataKeys.nonce(F1.cs, F1.senderDataSecret, pm.ciphertext), aad, new byte[13]);
        PrivateMessage bad = new PrivateMessage(pm.groupId, pm.epoch, pm.contentType, pm.authenticatedData, sd, pm.ciphertext);
        assertMls(ErrorCode.MALFORMED, () -> PrivateMessageProtection.unprotect(F1.cs, bad, F1.ctx, F1.tree(),
                F1.senderDataSecret, F1.signer.publicKey()));
    }

    @Test
    void theReuseGuardComesFromTheInjectedRandomSource() {
        PrivateMessage pm = PrivateMessageProtection.protect(F1.cs, F1.signed(WireFormat.PRIVATE_MESSAGE, F1.application("g")),
                F1.tree(), F1.senderDataSecret, out -> Arrays.fill(out, (byte) 0xa5));
        byte[] aad = new org.mlskit.codec.TlsWriter().opaque(pm.groupId).u64(pm.epoch).u8(pm.contentType).toByteArray();
        SenderData sd = SenderData.fromBytes(F1.cs.aead().open(SenderDataKeys.key(F1.cs, F1.senderDataSecret, pm.ciphertext),
                SenderDataKeys.nonce(F1.cs, F1.senderDataSecret, pm.ciphertext), aad, pm.encryptedSenderData));
        assertArrayEquals(new byte[] {(byte) 0xa5, (byte) 0xa5, (byte) 0xa5, (byte) 0xa5}, sd.reuseGuard());
        assertEquals(FramingFixture.SENDER, sd.leafIndex);
        assertEquals(0, sd.generation);
    }

    @Test
    void onlyMembersContentSignedForPrivateMessagesIsProtected() {
        FramedContent c = F1.proposal();
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> PrivateMessageProtection.protect(F1.cs,
                F1.signed(WireFormat.PUBLIC_MESSAGE, c), F1.tree(), F1.senderDataSecret, FramingFixture.RANDOM));
        FramedContent external = FramedContent.proposal(F1.ctx.groupId(), F1.ctx.epoch(), Sender.external(0), new byte[0],
                new org.mlskit.group.Proposal.Remove(2));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> PrivateMessageProtection.protect(F1.cs,
                F1.signed(WireFormat.PRIVATE_MESSAGE, external), F1.tree(), F1.senderDataSecret, FramingFixture.RANDOM));
    }
}
