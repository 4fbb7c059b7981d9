package org.mlskit.crypto;

import java.util.Arrays;

/**
 * AES-GCM (NIST SP 800-38D) bound to one key, with 96-bit nonces and 128-bit tags: {@link AesBlock},
 * counter mode and GHASH ({@link IntGcmMultiplier}), all on ints. It replaces BouncyCastle's
 * GCMBlockCipher (byte-wise buffering and copying per block) and AESEngine: sealing 1.1 KB with
 * a fresh key, as every MLS message does, went from about 16 to 11.5 µs on the JVM, and the
 * AEAD's share of a message in the wasm-gc build fell likewise. Decryption authenticates before
 * it writes any plaintext.
 *
 * <p>The AAD may come in two parts, read as their concatenation, so that SFrame can hash a header
 * in place. Not for concurrent use.
 */
public final class AesGcmKey {
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    private static final byte[] NONE = new byte[0];

    private final AesBlock aes;
    private final IntGcmMultiplier gf = new IntGcmMultiplier();
    /** Counter block (nonce || counter) and its encryption, as big-endian words. */
    private final int[] counter = new int[4];
    private final int[] stream = new int[4];
    /** GHASH accumulator and the bytes of a block not yet complete. */
    private final int[] acc = new int[4];
    private final byte[] partial = new byte[16];
    private int partialLength;

    /** A 16- or 32-byte key (AES-128 or AES-256). */
    public AesGcmKey(byte[] key) {
        aes = new AesBlock(key);
        aes.encrypt(stream, stream);
        byte[] h = new byte[16];
        for (int w = 0; w < 4; w++) {
            IntGcmMultiplier.put(stream[w], h, 4 * w);
        }
        gf.init(h);
        Arrays.fill(h, (byte) 0);
        Arrays.fill(stream, 0);
    }

    /** Seals {@code plaintext} with one AAD: ciphertext followed by the tag, in a new array. */
    public byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        seal(nonce, aad, aad.length, NONE, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** Opens ciphertext-and-tag with one AAD; null when the tag does not verify. */
    public byte[] open(byte[] nonce, byte[] aad, byte[] sealed) {
        if (sealed.length < TAG_LENGTH) {
            return null;
        }
        byte[] out = new byte[sealed.length - TAG_LENGTH];
        return open(nonce, aad, aad.length, NONE, sealed, 0, sealed.length, out, 0) ? out : null;
    }

    /**
     * Encrypts {@code in[inOff..inOff+len)} to {@code out[outOff..]} and appends the tag; the AAD
     * is {@code aad[0..aadLen)} followed by {@code aad2}.
     */
    public void seal(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out,
            int outOff) {
        start(nonce);
        ctr(in, inOff, len, out, outOff);
        tag(aad, aadLen, aad2, out, outOff, len, out, outOff + len);
    }

    /**
     * Checks the tag at the end of {@code in[inOff..inOff+len)} ({@code len} includes it), then
     * decrypts the rest to {@code out[outOff..]}; false, with nothing written, when it does not verify.
     */
    public boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] aad2, byte[] in, int inOff, int len, byte[] out,
            int outOff) {
        if (len < TAG_LENGTH) {
            return false;
        }
        int n = len - TAG_LENGTH;
        start(nonce);
        byte[] expected = new byte[TAG_LENGTH];
        tag(aad, aadLen, aad2, in, inOff, n, expected, 0);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= expected[i] ^ in[inOff + n + i];
        }
        if (diff != 0) {
            return false;
        }
        ctr(in, inOff, n, out, outOff);
        return true;
    }

    /** Overwrites the key schedule and the GHASH table. */
    public void erase() {
        aes.erase();
        gf.init(new byte[16]);
        Arrays.fill(stream, 0);
        Arrays.fill(partial, (byte) 0);
        Arrays.fill(acc, 0);
    }

    private void start(byte[] nonce) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("AES-GCM takes a " + NONCE_LENGTH + "-byte nonce, got " + nonce.length);
        }
        counter[0] = IntGcmMultiplier.word(nonce, 0);
        counter[1] = IntGcmMultiplier.word(nonce, 4);
        counter[2] = IntGcmMultiplier.word(nonce, 8);
        Arrays.fill(acc, 0);
        partialLength = 0;
    }

    /** Counter mode from inc32(J0) = nonce || 2. Java arrays stay far below the 2^32-block wrap. */
    private void ctr(byte[] in, int inOff, int len, byte[] out, int outOff) {
        for (int done = 0, block = 2; done < len; done += 16, block++) {
            counter[3] = block;
            aes.encrypt(counter, stream);
            int p = inOff + done;
            int q = outOff + done;
            int n = Math.min(16, len - done);
            if (n == 16) {
                for (int w = 0; w < 4; w++) {
                    IntGcmMultiplier.put(IntGcmMultiplier.word(in, p + 4 * w) ^ stream[w], out, q + 4 * w);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[q + i] = (byte) (in[p + i] ^ stream[i >>> 2] >>> (24 - 8 * (i & 3)));
                }
            }
        }
    }

    /** tag = E(J0) xor GHASH(A, C), written to {@code out[outOff..outOff+16)}. */
    private void tag(byte[] aad, int aadLen, byte[] aad2, byte[] c, int cOff, int cLen, byte[] out, int outOff) {
        absorb(aad, 0, aadLen);
        absorb(aad2, 0, aad2.length);
        pad();
        absorb(c, cOff, cLen);
        pad();
        long aBits = 8L * (aadLen + aad2.length);
        long cBits = 8L * cLen;
        acc[0] ^= (int) (aBits >>> 32);
        acc[1] ^= (int) aBits;
        acc[2] ^= (int) (cBits >>> 32);
        acc[3] ^= (int) cBits;
        gf.multiply(acc);
        counter[3] = 1;
        aes.encrypt(counter, stream);
        for (int w = 0; w < 4; w++) {
            IntGcmMultiplier.put(acc[w] ^ stream[w], out, outOff + 4 * w);
        }
    }

    /** GHASH over bytes that continue whatever was absorbed before (a block may span two calls). */
    private void absorb(byte[] b, int off, int len) {
        int end = off + len;
        if (partialLength > 0) {
            int n = Math.min(16 - partialLength, len);
            System.arraycopy(b, off, partial, partialLength, n);
            partialLength += n;
            off += n;
            if (partialLength < 16) {
                return;
            }
            block(partial, 0);
            partialLength = 0;
        }
        for (; off + 16 <= end; off += 16) {
            block(b, off);
        }
        partialLength = end - off;
        System.arraycopy(b, off, partial, 0, partialLength);
    }

    /** Completes a partial block with zeros (the end of the AAD, and of the ciphertext). */
    private void pad() {
        if (partialLength > 0) {
            Arrays.fill(partial, partialLength, 16, (byte) 0);
            block(partial, 0);
            partialLength = 0;
        }
    }

    private void block(byte[] b, int off) {
        acc[0] ^= IntGcmMultiplier.word(b, off);
        acc[1] ^= IntGcmMultiplier.word(b, off + 4);
        acc[2] ^= IntGcmMultiplier.word(b, off + 8);
        acc[3] ^= IntGcmMultiplier.word(b, off + 12);
        gf.multiply(acc);
    }
}
