package org.mlskit.sframe;

import java.util.Arrays;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The compound AEAD of RFC 9605 §4.5.1: AES-CTR with the 96-bit nonce followed by a 32-bit block
 * counter starting at zero, then HMAC over {@code len(aad) | len(ct) | Nt | nonce | aad | ct}
 * (lengths as 8-byte big-endian), truncated to Nt bytes. Encrypt-then-MAC; the tag is checked in
 * constant time before anything is decrypted.
 */
final class AesCtrHmac extends FrameAead {
    private final SICBlockCipher ctr = new SICBlockCipher(new AESEngine());
    private final HMac hmac;
    private final byte[] encKey;
    private final byte[] authKey;
    private final byte[] iv = new byte[16];
    private final byte[] lengths = new byte[24];
    private final byte[] mac;
    private boolean keyed;

    AesCtrHmac(SFrameSuite suite, byte[] key) {
        super(suite);
        int nka = suite.aesKeyLength();
        encKey = Arrays.copyOfRange(key, 0, nka);
        authKey = Arrays.copyOfRange(key, nka, key.length);
        hmac = new HMac(suite.hash().newDigest());
        hmac.init(new KeyParameter(authKey));
        mac = new byte[hmac.getMacSize()];
    }

    /** The encryption subkey (the first Nka bytes of the AEAD key). */
    byte[] encKey() {
        return encKey.clone();
    }

    /** The authentication subkey (the remaining Nh bytes). */
    byte[] authKey() {
        return authKey.clone();
    }

    private void startCtr(byte[] nonce) {
        System.arraycopy(nonce, 0, iv, 0, 12);
        // iv[12..16) stays zero: the initial block counter
        ctr.init(true, new ParametersWithIV(keyed ? null : new KeyParameter(encKey), iv));
        keyed = true;
    }

    /** Computes the full HMAC into {@link #mac}; the caller compares or copies its first Nt bytes. */
    private void computeTag(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] ct, int ctOff, int ctLen) {
        putLong(lengths, 0, aadLen + aad2.length);
        putLong(lengths, 8, ctLen);
        putLong(lengths, 16, suite.nt());
        hmac.update(lengths, 0, 24);
        hmac.update(nonce, 0, nonce.length);
        hmac.update(aad, 0, aadLen);
        hmac.update(aad2, 0, aad2.length);
        hmac.update(ct, ctOff, ctLen);
        hmac.doFinal(mac, 0);
    }

    private static void putLong(byte[] out, int off, int v) {
        for (int i = 0; i < 4; i++) {
            out[off + i] = 0;
        }
        out[off + 4] = (byte) (v >>> 24);
        out[off + 5] = (byte) (v >>> 16);
        out[off + 6] = (byte) (v >>> 8);
        out[off + 7] = (byte) v;
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        startCtr(nonce);
        ctr.processBytes(in, inOff, len, out, outOff);
        computeTag(nonce, aad, aadLen, aad2, out, outOff, len);
        System.arraycopy(mac, 0, out, outOff + len, suite.nt());
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        int nt = suite.nt();
        int ctLen = len - nt;
        computeTag(nonce, aad, aadLen, aad2, in, inOff, ctLen);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(nt, mac, 0, in, inOff + ctLen)) {
            return false;
        }
        startCtr(nonce);
        ctr.processBytes(in, inOff, ctLen, out, outOff);
        return true;
    }

    @Override
    void erase() {
        Arrays.fill(encKey, (byte) 0);
        Arrays.fill(authKey, (byte) 0);
        Arrays.fill(mac, (byte) 0);
        hmac.init(new KeyParameter(authKey));
        ctr.init(true, new ParametersWithIV(new KeyParameter(encKey), iv));
    }
}
