package org.mlskit.sframe;

import java.util.Arrays;

import org.mlskit.crypto.Kdf;

/**
 * The key and salt of one KID (RFC 9605 §4.4.2) with the suite's AEAD bound to them, and the
 * frame transform of §4.4.3/§4.4.4: {@code header | AEAD(key, salt XOR CTR, header | metadata, plaintext)}.
 * It holds no counter and no replay state: {@link SFrameContext} and {@link MlsSFrameKeys} add them.
 */
public final class SFrameKey {
    private static final byte[] KEY_LABEL = ascii("SFrame 1.0 Secret key ");
    private static final byte[] SALT_LABEL = ascii("SFrame 1.0 Secret salt ");
    private static final byte[] EMPTY = new byte[0];

    private final SFrameSuite suite;
    private final long kid;
    private final byte[] key;
    private final byte[] salt;
    private final byte[] nonce = new byte[SFrameSuite.NONCE_LENGTH];
    private final FrameAead aead;
    private boolean erased;

    private SFrameKey(SFrameSuite suite, long kid, byte[] key, byte[] salt) {
        this.suite = suite;
        this.kid = kid;
        this.key = key;
        this.salt = salt;
        this.aead = FrameAead.create(suite, key);
    }

    /** Base keys shorter than this are refused as a misuse (RFC 9605 fixes no length; its vectors use 16 bytes). */
    public static final int MIN_BASE_KEY_LENGTH = 16;

    /** derive_key_salt(KID, base_key) of RFC 9605 §4.4.2 with the suite's HKDF. */
    public static SFrameKey derive(SFrameSuite suite, long kid, byte[] baseKey) {
        if (baseKey.length < MIN_BASE_KEY_LENGTH) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "base key of " + baseKey.length + " bytes; at least "
                    + MIN_BASE_KEY_LENGTH + " needed");
        }
        Kdf kdf = new Kdf(suite.hash());
        byte[] secret = kdf.extract(EMPTY, baseKey);
        byte[] key = kdf.expand(secret, label(KEY_LABEL, kid, suite), suite.nk());
        byte[] salt = kdf.expand(secret, label(SALT_LABEL, kid, suite), suite.nn());
        Arrays.fill(secret, (byte) 0);
        return new SFrameKey(suite, kid, key, salt);
    }

    /** {@code prefix | KID (8 bytes) | cipher suite (2 bytes)}, all big-endian. */
    static byte[] label(byte[] prefix, long kid, SFrameSuite suite) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + 10);
        for (int i = 0; i < 8; i++) {
            out[prefix.length + i] = (byte) (kid >>> (56 - 8 * i));
        }
        out[prefix.length + 8] = (byte) (suite.id() >> 8);
        out[prefix.length + 9] = (byte) suite.id();
        return out;
    }

    static byte[] keyLabel(long kid, SFrameSuite suite) {
        return label(KEY_LABEL, kid, suite);
    }

    static byte[] saltLabel(long kid, SFrameSuite suite) {
        return label(SALT_LABEL, kid, suite);
    }

    private static byte[] ascii(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) s.charAt(i);
        }
        return out;
    }

    public SFrameSuite suite() {
        return suite;
    }

    public long kid() {
        return kid;
    }

    byte[] key() {
        return key.clone();
    }

    byte[] salt() {
        return salt.clone();
    }

    FrameAead aead() {
        return aead;
    }

    /** The nonce for {@code ctr}: the salt XOR the counter as a 12-byte big-endian integer (into a reused buffer). */
    byte[] nonce(long ctr) {
        System.arraycopy(salt, 0, nonce, 0, nonce.length);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (ctr >>> (56 - 8 * i));
        }
        return nonce;
    }

    private void checkLive() {
        if (erased) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "the key of KID " + Long.toUnsignedString(kid) + " was erased");
        }
    }

    /**
     * One SFrame ciphertext for counter {@code ctr}. The caller guarantees that (KID, CTR) is never
     * used twice; {@link SFrameContext} and {@link MlsSFrameKeys} do.
     */
    public byte[] encrypt(long ctr, byte[] metadata, byte[] plaintext) {
        checkLive();
        SFrameHeader h = SFrameHeader.of(kid, ctr);
        int hl = h.length();
        byte[] out = new byte[hl + plaintext.length + suite.nt()];
        h.writeTo(out, 0);
        aead.seal(nonce(ctr), out, hl, metadata, plaintext, 0, plaintext.length, out, hl);
        return out;
    }

    /**
     * Decrypts {@code frame}, whose header {@code h} was decoded from it and names this key's KID.
     * {@link SFrameError#MALFORMED} when it is shorter than header and tag,
     * {@link SFrameError#AUTHENTICATION_FAILED} when the tag does not verify.
     */
    public byte[] decrypt(SFrameHeader h, byte[] frame, byte[] metadata) {
        checkLive();
        if (h.kid() != kid) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "frame KID " + Long.toUnsignedString(h.kid())
                    + " is not this key's KID " + Long.toUnsignedString(kid));
        }
        int hl = h.length();
        int len = frame.length - hl;
        if (len < suite.nt()) {
            throw new SFrameException(SFrameError.MALFORMED, "SFrame ciphertext of " + frame.length
                    + " bytes is shorter than its header and the " + suite.nt() + "-byte tag");
        }
        byte[] out = new byte[len - suite.nt()];
        if (!aead.open(nonce(h.ctr()), frame, hl, metadata, frame, hl, len, out, 0)) {
            Arrays.fill(out, (byte) 0);
            throw new SFrameException(SFrameError.AUTHENTICATION_FAILED, "SFrame tag of KID " + Long.toUnsignedString(kid)
                    + ", CTR " + Long.toUnsignedString(h.ctr()) + " does not verify");
        }
        return out;
    }

    /** Decodes the header of {@code frame} and decrypts it. */
    public byte[] decrypt(byte[] frame, byte[] metadata) {
        return decrypt(SFrameHeader.decode(frame), frame, metadata);
    }

    /** Overwrites key, salt and the AEAD's key material; the key refuses all further use. */
    public void erase() {
        erased = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(salt, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        aead.erase();
    }

    public boolean isErased() {
        return erased;
    }
}
