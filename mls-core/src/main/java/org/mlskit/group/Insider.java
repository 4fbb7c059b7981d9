package org.mlskit.group;

import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.FramedContentAuthData;
import org.mlskit.keys.Identity;

/**
 * What a malicious member can send: any content, signed with a real signing key and protected in
 * the sender's epoch (membership tag, or PrivateMessage encryption), so that it gets past the
 * signature and framing checks and reaches the deep validation. For the fuzzer
 * ({@code org.mlskit.fuzz}) and tests; applications have no use for it. Protecting a
 * PrivateMessage consumes the sender's handshake ratchet, as a real send would: use a copy.
 */
public final class Insider {
    private Insider() {
    }

    /** {@code content} signed by {@code signer} and protected by {@code sender} as {@code wireFormat}. */
    public static byte[] protect(Group sender, Identity signer, FramedContent content, byte[] confirmationTag, int wireFormat) {
        byte[] signature = ContentSigning.sign(sender.suite(), signer.signaturePrivateKey(), wireFormat, content,
                sender.context());
        return sender.protect(new AuthenticatedContent(wireFormat, content, new FramedContentAuthData(signature, confirmationTag)));
    }
}
