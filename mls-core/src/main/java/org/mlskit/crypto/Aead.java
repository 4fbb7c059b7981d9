package org.mlskit.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** The AEADs of RFC 9420's cipher suites, with their HPKE identifiers (RFC 9180 §7.3). */
public enum Aead {
    AES_128_GCM(0x0001, 16),
    AES_256_GCM(0x0002, 32),
    CHACHA20_POLY1305(0x0003, 32);

    /** Every one of these has a 12-byte nonce and a 16-byte tag. */
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private final int hpkeId;
    private final int keyLength;

    Aead(int hpkeId, int keyLength) {
        this.hpkeId = hpkeId;
        this.keyLength = keyLength;
    }

    public int hpkeId() {
        return hpkeId;
    }

    /** AEAD.Nk. */
    public int keyLength() {
        return keyLength;
    }

    /** AEAD.Nn. */
    public int nonceLength() {
        return NONCE_LENGTH;
    }

    public byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        check(key, nonce);
        if (this != CHACHA20_POLY1305) {
            return new AesGcmKey(key).seal(nonce, aad, plaintext);
        }
        AEADCipher c = chacha(true, key, nonce, aad);
        byte[] out = new byte[c.getOutputSize(plaintext.length)];
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
        return out;
    }

    /** Decrypts and authenticates; a forged or damaged ciphertext is {@link ErrorCode#DECRYPTION_FAILED}. */
    public byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
        check(key, nonce);
        if (ciphertext.length < TAG_LENGTH) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "ciphertext shorter than the AEAD tag");
        }
        if (this != CHACHA20_POLY1305) {
            byte[] out = new AesGcmKey(key).open(nonce, aad, ciphertext);
            if (out == null) {
                throw new MlsException(ErrorCode.DECRYPTION_FAILED, "AEAD authentication failed");
            }
            return out;
        }
        AEADCipher c = chacha(false, key, nonce, aad);
        byte[] out = new byte[c.getOutputSize(ciphertext.length)];
        int n = c.processBytes(ciphertext, 0, ciphertext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "AEAD authentication failed");
        }
        return out;
    }

    private void check(byte[] key, byte[] nonce) {
        if (key.length != keyLength || nonce.length != NONCE_LENGTH) {
            throw new MlsException(ErrorCode.INVALID_KEY, this + " needs a " + keyLength + "-byte key and a "
                    + NONCE_LENGTH + "-byte nonce, got " + key.length + " and " + nonce.length);
        }
    }

    // AES-GCM is AesGcmKey: every MLS message has a fresh key, so set-up and per-block overhead count.
    private static AEADCipher chacha(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        AEADCipher c = new ChaCha20Poly1305();
        c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
        return c;
    }
}
