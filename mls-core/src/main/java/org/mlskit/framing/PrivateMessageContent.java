package org.mlskit.framing;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * PrivateMessageContent (RFC 9420 §6.3.1), the plaintext of a PrivateMessage: the content body,
 * its auth data and zero padding. The other fields of FramedContent travel in the PrivateMessage
 * header and the sender data.
 */
final class PrivateMessageContent {
    private PrivateMessageContent() {
    }

    /** The body, the auth data, then {@code padding} zero bytes. */
    static byte[] encode(FramedContent content, FramedContentAuthData auth, int padding) {
        TlsWriter w = new TlsWriter(256 + padding);
        content.encodeBody(w);
        auth.encode(w);
        w.raw(new byte[padding]);
        return w.toByteArray();
    }

    /** Length of the body and auth data alone, for choosing padding. */
    static int unpaddedLength(FramedContent content, FramedContentAuthData auth) {
        TlsWriter w = new TlsWriter(256);
        content.encodeBody(w);
        auth.encode(w);
        return w.size();
    }

    /**
     * Parses {@code plaintext} as the body of {@code header}'s content type, the auth data and
     * padding that must be all zero; the FramedContent is completed from the header and sender.
     * Anything else is {@link ErrorCode#MALFORMED}.
     */
    static AuthenticatedContent decode(byte[] plaintext, PrivateMessage header, Sender sender) {
        try {
            TlsReader in = new TlsReader(plaintext);
            FramedContent content = FramedContent.decodeBody(in, 0, header.groupId, header.epoch, sender,
                    header.authenticatedData, header.contentType);
            FramedContentAuthData auth = FramedContentAuthData.decode(in, header.contentType);
            // Any byte that is not zero makes the message malformed; look at all of them regardless.
            int at = in.position();
            int nonZero = 0;
            while (in.hasRemaining()) {
                nonZero |= in.u8();
            }
            if (nonZero != 0) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at, "padding is not all zero");
            }
            return new AuthenticatedContent(WireFormat.PRIVATE_MESSAGE, content, auth);
        } catch (MlsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.MALFORMED, "PrivateMessageContent does not decode", e);
        }
    }
}
