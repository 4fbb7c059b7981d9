package org.mlskit.schedule;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.Kdf;

/** The key and nonce that protect a PrivateMessage's sender data (RFC 9420 §6.3.2). */
public final class SenderDataKeys {
    private SenderDataKeys() {
    }

    /** ciphertext_sample: the first KDF.Nh bytes of the content ciphertext (all of it if shorter). */
    static byte[] sample(CipherSuite suite, byte[] ciphertext) {
        int n = Math.min(ciphertext.length, suite.kdf().length());
        byte[] s = new byte[n];
        System.arraycopy(ciphertext, 0, s, 0, n);
        return s;
    }

    /** The sender data's key and nonce, {key, nonce}, derived under one HMAC key set-up. */
    public static byte[][] keyAndNonce(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
        Kdf.Expander e = suite.kdf().expander(senderDataSecret);
        byte[] sample = sample(suite, ciphertext);
        return new byte[][] {suite.expandWithLabel(e, "key", sample, suite.aead().keyLength()),
            suite.expandWithLabel(e, "nonce", sample, suite.aead().nonceLength())};
    }

    public static byte[] key(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
        return keyAndNonce(suite, senderDataSecret, ciphertext)[0];
    }

    public static byte[] nonce(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
        return keyAndNonce(suite, senderDataSecret, ciphertext)[1];
    }
}
