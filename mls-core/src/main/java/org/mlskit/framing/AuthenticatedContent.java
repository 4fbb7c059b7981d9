package org.mlskit.framing;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** AuthenticatedContent (RFC 9420 §6.1): content with its wire format and authentication, as transcripts and ProposalRefs hash it. */
public final class AuthenticatedContent implements Encodable {
    public final int wireFormat;
    public final FramedContent content;
    public final FramedContentAuthData auth;

    public AuthenticatedContent(int wireFormat, FramedContent content, FramedContentAuthData auth) {
        this.wireFormat = wireFormat;
        this.content = content;
        this.auth = auth;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(wireFormat);
        content.encode(out);
        auth.encode(out);
    }

    public static AuthenticatedContent decode(TlsReader in) {
        int wf = in.u16();
        FramedContent content = FramedContent.decode(in);
        return new AuthenticatedContent(wf, content, FramedContentAuthData.decode(in, content.contentType));
    }

    /** ConfirmedTranscriptHashInput: wire format, content and signature (§8.2). */
    public byte[] confirmedTranscriptHashInput() {
        TlsWriter w = new TlsWriter(512);
        w.u16(wireFormat);
        content.encode(w);
        w.opaque(auth.signature);
        return w.toByteArray();
    }
}
