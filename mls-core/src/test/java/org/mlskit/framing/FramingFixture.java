package org.mlskit.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.group.Commit;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;
import org.mlskit.group.ProposalOrRef;
import org.mlskit.keys.Extension;
import org.mlskit.schedule.RatchetPolicy;
import org.mlskit.schedule.SecretTree;

/** One epoch of a four-member group, as the framing tests need it: context, secrets and leaf 1's signature key. */
final class FramingFixture {
    static final RandomSource RANDOM = new SecureRandomSource();
    static final int LEAVES = 4;
    static final int SENDER = 1;

    final CipherSuite cs;
    final GroupContext ctx;
    final KeyPair signer;
    final KeyPair otherSigner;
    final byte[] encryptionSecret;
    final byte[] senderDataSecret;
    final byte[] membershipKey;

    FramingFixture(CipherSuite cs) {
        this.cs = cs;
        int nh = cs.kdf().length();
        ctx = new GroupContext(cs.id(), RANDOM.bytes(16), 7, RANDOM.bytes(nh), RANDOM.bytes(nh),
                Collections.<Extension>emptyList());
        signer = cs.signatureScheme().generateKeyPair(RANDOM);
        otherSigner = cs.signatureScheme().generateKeyPair(RANDOM);
        encryptionSecret = RANDOM.bytes(nh);
        senderDataSecret = RANDOM.bytes(nh);
        membershipKey = RANDOM.bytes(nh);
    }

    static Stream<CipherSuite> suites() {
        return Arrays.stream(CipherSuite.all());
    }

    SecretTree tree() {
        return new SecretTree(cs, encryptionSecret, LEAVES);
    }

    SecretTree tree(RatchetPolicy policy) {
        return new SecretTree(cs, encryptionSecret, LEAVES, policy);
    }

    FramedContent application(String text) {
        return FramedContent.application(ctx.groupId(), ctx.epoch(), Sender.member(SENDER), new byte[] {9, 9},
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    FramedContent proposal() {
        return FramedContent.proposal(ctx.groupId(), ctx.epoch(), Sender.member(SENDER), new byte[0], new Proposal.Remove(2));
    }

    FramedContent commit() {
        return FramedContent.commit(ctx.groupId(), ctx.epoch(), Sender.member(SENDER), new byte[0],
                new Commit(Collections.singletonList(ProposalOrRef.byValue(new Proposal.Remove(3))), null));
    }

    byte[] confirmationTag(FramedContent c) {
        return c.contentType == ContentType.COMMIT ? RANDOM.bytes(cs.kdf().length()) : null;
    }

    AuthenticatedContent signed(int wireFormat, FramedContent c) {
        return ContentSigning.authenticate(cs, signer.privateKey(), wireFormat, c, ctx, confirmationTag(c));
    }

    /** Leaf 1's next PrivateMessage of {@code c} from {@code sender}, as wire bytes. */
    byte[] sendPrivate(SecretTree sender, FramedContent c) {
        return wire(WireFormat.PRIVATE_MESSAGE,
                PrivateMessageProtection.protect(cs, signed(WireFormat.PRIVATE_MESSAGE, c), sender, senderDataSecret, RANDOM));
    }

    byte[] sendPublic(FramedContent c) {
        return wire(WireFormat.PUBLIC_MESSAGE,
                PublicMessageProtection.protect(cs, signed(WireFormat.PUBLIC_MESSAGE, c), ctx, membershipKey));
    }

    static byte[] wire(int wireFormat, org.mlskit.codec.Encodable body) {
        return new MlsMessage(wireFormat, body).toBytes();
    }

    /** What a receiver does with wire bytes that should hold a PrivateMessage. */
    AuthenticatedContent receivePrivate(SecretTree receiver, byte[] bytes) {
        MlsMessage m = MlsMessage.fromBytes(bytes);
        if (!(m.body instanceof PrivateMessage)) {
            throw new MlsException(ErrorCode.MALFORMED, "not a PrivateMessage");
        }
        return PrivateMessageProtection.unprotect(cs, (PrivateMessage) m.body, ctx, receiver, senderDataSecret,
                signer.publicKey());
    }

    AuthenticatedContent receivePublic(byte[] bytes) {
        MlsMessage m = MlsMessage.fromBytes(bytes);
        if (!(m.body instanceof PublicMessage)) {
            throw new MlsException(ErrorCode.MALFORMED, "not a PublicMessage");
        }
        return PublicMessageProtection.unprotect(cs, (PublicMessage) m.body, ctx, membershipKey, signer.publicKey());
    }

    static void assertSameContent(FramedContent expected, AuthenticatedContent got) {
        assertArrayEquals(expected.toBytes(), got.content.toBytes());
    }

    static MlsException assertMls(ErrorCode code, Executable body) {
        MlsException e = assertThrows(MlsException.class, body);
        assertEquals(code, e.code(), e::getMessage);
        return e;
    }

    static byte[] flipBit(byte[] in, int bit) {
        byte[] out = in.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
