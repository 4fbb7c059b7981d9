package org.mlskit.schedule;

import org.mlskit.crypto.CipherSuite;

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

    public static byte[] key(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
        return suite.expandWithLabel(senderDataSecret, "key", sample(suite, ciphertext), suite.aead().keyLength());
    }

    public static byte[] nonce(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
        return suite.expandWithLabel(senderDataSecret, "nonce", sample(suite, ciphertext), suite.aead().nonceLength());
    }
}
