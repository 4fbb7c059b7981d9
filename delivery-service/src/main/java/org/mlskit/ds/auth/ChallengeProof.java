package org.mlskit.ds.auth;

import org.mlskit.client.Proof;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Credential;

/**
 * What a device signs to prove it holds its MLS signature key: SignWithLabel (RFC 9420 §5.1.2)
 * with a label of this DS's own, over
 * <pre>struct { opaque challenge&lt;V&gt;; opaque user&lt;V&gt;; opaque device&lt;V&gt;; } DsChallengeContent;</pre>
 * The label keeps such a signature from ever being taken for an MLS one, and the names bind it
 * to the device it authenticates.
 */
public final class ChallengeProof {
    /** Signed as "MLS 1.0 " + LABEL (the client engine's {@link Proof}, one definition for both sides). */
    public static final String LABEL = Proof.LABEL;

    private ChallengeProof() {
    }

    public static byte[] content(byte[] challenge, String user, String device) {
        return Proof.content(challenge, user, device);
    }

    public static boolean verify(CipherSuite suite, byte[] signatureKey, byte[] challenge, String user, String device,
            byte[] signature) {
        try {
            return suite.verifyWithLabel(signatureKey, LABEL, content(challenge, user, device), signature);
        } catch (RuntimeException e) {
            return false; // a key that does not decode proves nothing
        }
    }

    /** The BasicCredential identity a device must register: UTF-8 {@code user/device}. */
    public static Credential credentialFor(String user, String device) {
        return Credential.basic((user + "/" + device).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
