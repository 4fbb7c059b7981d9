package org.mlskit.sframe;

import org.mlskit.crypto.AesGcmKey;

/**
 * AES-GCM with a 128-bit tag (suites 0x0004 and 0x0005): the core's {@link AesGcmKey}, whose key
 * schedule and GHASH table are kept between frames.
 */
final class AesGcm extends FrameAead {
    private final AesGcmKey key;

    AesGcm(SFrameSuite suite, byte[] key) {
        super(suite);
        this.key = new AesGcmKey(key);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        key.seal(nonce, aad, aadLen, aad2, in, inOff, len, out, outOff);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff) {
        return key.open(nonce, aad, aadLen, aad2, in, inOff, len, out, outOff);
    }

    @Override
    void erase() {
        key.erase();
    }
}
