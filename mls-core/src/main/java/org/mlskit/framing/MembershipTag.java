package org.mlskit.framing;

import org.bouncycastle.util.Arrays;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;

/**
 * The membership tag of a PublicMessage sent by a member (RFC 9420 §6.2):
 * MAC(membership_key, AuthenticatedContentTBM), where AuthenticatedContentTBM is the
 * FramedContentTBS followed by the FramedContentAuthData.
 */
public final class MembershipTag {
    private MembershipTag() {
    }

    /** The AuthenticatedContentTBM encoding of {@code ac} in {@code context}. */
    public static byte[] tbm(AuthenticatedContent ac, GroupContext context) {
        TlsWriter w = new TlsWriter(512);
        new FramedContentTbs(ac.wireFormat, ac.content, context).encode(w);
        ac.auth.encode(w);
        return w.toByteArray();
    }

    public static byte[] compute(CipherSuite suite, byte[] membershipKey, AuthenticatedContent ac, GroupContext context) {
        return suite.kdf().mac(membershipKey, tbm(ac, context));
    }

    /** Checks {@code tag} in constant time; a missing or wrong tag is {@link ErrorCode#INVALID_MEMBERSHIP_TAG}. */
    public static void verify(CipherSuite suite, byte[] membershipKey, AuthenticatedContent ac, GroupContext context,
            byte[] tag) {
        if (tag == null || !Arrays.constantTimeAreEqual(compute(suite, membershipKey, ac, context), tag)) {
            throw new MlsException(ErrorCode.INVALID_MEMBERSHIP_TAG, "the membership tag does not match");
        }
    }
}
