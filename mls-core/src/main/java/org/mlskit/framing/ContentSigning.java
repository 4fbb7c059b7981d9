package org.mlskit.framing;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SignatureScheme;
import org.mlskit.group.GroupContext;

/**
 * The signature of FramedContentAuthData (RFC 9420 §6.1): SignWithLabel(., "FramedContentTBS",
 * FramedContentTBS). Which key signs depends on the sender type; callers supply it.
 */
public final class ContentSigning {
    public static final String LABEL = "FramedContentTBS";

    private ContentSigning() {
    }

    /** The signature over {@code content} as it will travel in {@code wireFormat}. */
    public static byte[] sign(CipherSuite suite, byte[] signaturePrivateKey, int wireFormat, FramedContent content,
            GroupContext context) {
        return sign(suite, suite.signatureScheme().signingKey(signaturePrivateKey), wireFormat, content, context);
    }

    /** The same with a key decoded once. */
    public static byte[] sign(CipherSuite suite, SignatureScheme.SigningKey key, int wireFormat, FramedContent content,
            GroupContext context) {
        return suite.signWithLabel(key, LABEL, new FramedContentTbs(wireFormat, content, context).toBytes());
    }

    /**
     * Signs {@code content} and wraps it with its auth data. {@code confirmationTag} is required
     * for a commit (the caller computes it from the signature's transcript) and must be null
     * otherwise; use {@link #sign} first when the tag depends on the signature.
     */
    public static AuthenticatedContent authenticate(CipherSuite suite, byte[] signaturePrivateKey, int wireFormat,
            FramedContent content, GroupContext context, byte[] confirmationTag) {
        return authenticate(suite, suite.signatureScheme().signingKey(signaturePrivateKey), wireFormat, content, context,
                confirmationTag);
    }

    /** The same with a key decoded once. */
    public static AuthenticatedContent authenticate(CipherSuite suite, SignatureScheme.SigningKey signaturePrivateKey,
            int wireFormat, FramedContent content, GroupContext context, byte[] confirmationTag) {
        if ((content.contentType == ContentType.COMMIT) != (confirmationTag != null)) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, content.contentType == ContentType.COMMIT
                    ? "a commit needs a confirmation tag" : "only a commit carries a confirmation tag");
        }
        byte[] sig = sign(suite, signaturePrivateKey, wireFormat, content, context);
        return new AuthenticatedContent(wireFormat, content, new FramedContentAuthData(sig, confirmationTag));
    }

    /** Checks the signature of {@code ac}; a bad one is {@link ErrorCode#INVALID_SIGNATURE}, a bad key {@link ErrorCode#INVALID_KEY}. */
    public static void verify(CipherSuite suite, byte[] signaturePublicKey, AuthenticatedContent ac, GroupContext context) {
        byte[] tbs = new FramedContentTbs(ac.wireFormat, ac.content, context).toBytes();
        boolean ok;
        try {
            ok = suite.verifyWithLabel(signaturePublicKey, LABEL, tbs, ac.auth.signature);
        } catch (MlsException e) {
            throw e;
        } catch (RuntimeException e) {
            // A malformed signature encoding is a bad signature, whatever the library makes of it.
            throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the FramedContentTBS signature is malformed", e);
        }
        if (!ok) {
            throw new MlsException(ErrorCode.INVALID_SIGNATURE, "the FramedContentTBS signature does not verify");
        }
    }
}
