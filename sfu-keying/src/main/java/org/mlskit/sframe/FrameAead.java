package org.mlskit.sframe;

/**
 * The AEAD of one suite bound to one key (RFC 9605 §4.4 and §4.5). The AAD comes in two parts so
 * that the header can be read in place from the frame buffer and the metadata from the caller,
 * without concatenating them. One instance keeps BouncyCastle state between calls: not for
 * concurrent use (the TeaVM targets are single-threaded anyway).
 */
abstract class FrameAead {
    final SFrameSuite suite;

    FrameAead(SFrameSuite suite) {
        this.suite = suite;
    }

    static FrameAead create(SFrameSuite suite, byte[] key) {
        if (key.length != suite.nk()) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, suite + " needs a " + suite.nk() + "-byte key, got " + key.length);
        }
        return suite.isCtrHmac() ? new AesCtrHmac(suite, key) : new AesGcm(suite, key);
    }

    /**
     * Encrypts {@code in[inOff..inOff+len)} to {@code out[outOff..]} and appends the Nt-byte tag;
     * the AAD is {@code aad[0..aadLen)} followed by {@code aad2}.
     */
    abstract void seal(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Checks the tag at the end of {@code in[inOff..inOff+len)} (len includes it) and decrypts the
     * rest to {@code out[outOff..]}; false, with nothing written that is worth reading, when the
     * tag does not verify.
     */
    abstract boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out, int outOff);

    /** Overwrites the key material this instance holds. */
    abstract void erase();
}
