package org.mlskit.interop.server;

import java.util.List;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentSigning;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.PublicMessageProtection;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Proposal;
import org.mlskit.keys.Credential;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.Identity;

/**
 * Proposals from outside the group (RFC 9420 §12.1.8): a new member's own Add and an external
 * sender's proposals. Both are PublicMessages without a membership tag, signed with the sender's
 * key over content that does not include the GroupContext.
 */
final class Outsiders {
    private Outsiders() {
    }

    static byte[] proposal(Identity signer, Sender sender, GroupContext context, Proposal proposal) {
        CipherSuite suite = signer.suite();
        FramedContent content = FramedContent.proposal(context.groupId(), context.epoch(), sender, new byte[0], proposal);
        AuthenticatedContent ac = ContentSigning.authenticate(suite, signer.signingKey(), WireFormat.PUBLIC_MESSAGE,
                content, null, null);
        PublicMessage pm = PublicMessageProtection.protect(suite, ac, null, null);
        return new MlsMessage(WireFormat.PUBLIC_MESSAGE, pm).toBytes();
    }

    /** The ExternalSender struct (signature_key, credential) naming {@code signer}. */
    static byte[] externalSender(Identity signer) {
        TlsWriter w = new TlsWriter(256);
        w.opaque(signer.signaturePublicKey());
        signer.credential().encode(w);
        return w.toByteArray();
    }

    static ExternalSenders.Entry decodeExternalSender(byte[] data) {
        TlsReader r = new TlsReader(data);
        byte[] key = r.opaque();
        Credential credential = Credential.decode(r);
        r.finish();
        return new ExternalSenders.Entry(key, credential);
    }

    /** The index of {@code signer} in the group's external_senders extension, or -1. */
    static int senderIndex(GroupContext context, Identity signer) {
        List<ExternalSenders.Entry> senders = ExternalSenders.find(context.extensions());
        for (int i = 0; i < senders.size(); i++) {
            if (java.util.Arrays.equals(senders.get(i).signatureKey, signer.signaturePublicKey())) {
                return i;
            }
        }
        return -1;
    }
}
