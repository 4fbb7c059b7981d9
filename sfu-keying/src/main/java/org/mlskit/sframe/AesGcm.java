package org.mlskit.sframe;

import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mlskit.crypto.IntGcmMultiplier;

/**
 * AES-GCM with a 128-bit tag (suites 0x0004 and 0x0005) through BouncyCastle, with an int-only
 * GHASH ({@link IntGcmMultiplier}); the key schedule and GHASH table are kept between frames.
 */
final class AesGcm extends FrameAead {
    private final GCMBlockCipher gcm = new GCMBlockCipher(new AESEngine(), new IntGcmMultiplier());
    private final byte[] key;
    private boolean keyed;

    AesGcm(SFrameSuite suite, byte[] key) {
        super(suite);
        this.key = key.clone();
    }

    private void start(boolean encrypt, byte[] nonce, byte[] aad, int aadLen, byte[] aad2) {
        gcm.init(encrypt, new AEADParameters(keyed ? null : new KeyParameter(key), 128, nonce));
        keyed = true;
        gcm.processAADBytes(aad, 0, aadLen);
        gcm.processAADBytes(aad2, 0, aad2.length);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(true, nonce, aad, aadLen, aad2);
        int n = gcm.processBytes(in, inOff, len, out, outOff);
        try {
            gcm.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(false, nonce, aad, aadLen, aad2);
        int n = gcm.processBytes(in, inOff, len, out, outOff);
        try {
            gcm.doFinal(out, outOff + n);
            return true;
        } catch (InvalidCipherTextException e) {
            return false;
        }
    }

    @Override
    void erase() {
        Arrays.fill(key, (byte) 0);
        gcm.init(false, new AEADParameters(new KeyParameter(key), 128, new byte[12]));
    }
}
