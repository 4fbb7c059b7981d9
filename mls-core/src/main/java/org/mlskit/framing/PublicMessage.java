package org.mlskit.framing;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** PublicMessage (RFC 9420 §6.2): signed content in the clear, with a membership tag when a member sent it. */
public final class PublicMessage implements Encodable {
    public final FramedContent content;
    public final FramedContentAuthData auth;
    /** Only for member senders; null otherwise. */
    public final byte[] membershipTag;

    public PublicMessage(FramedContent content, FramedContentAuthData auth, byte[] membershipTag) {
        this.content = content;
        this.auth = auth;
        this.membershipTag = membershipTag;
    }

    @Override
    public void encode(TlsWriter out) {
        content.encode(out);
        auth.encode(out);
        if (content.sender.type == Sender.MEMBER) {
            out.opaque(membershipTag);
        }
    }

    public static PublicMessage decode(TlsReader in) {
        FramedContent content = FramedContent.decode(in);
        FramedContentAuthData auth = FramedContentAuthData.decode(in, content.contentType);
        return new PublicMessage(content, auth, content.sender.type == Sender.MEMBER ? in.opaque() : null);
    }
}
