package org.mlskit.sframe;

import org.mlskit.crypto.HashAlgorithm;

/**
 * SFrame cipher suites: the five of RFC 9605 §4.5 (IANA ids 0x0001-0x0005) and the AES-256-CTR
 * with HMAC-SHA-512 suites 0x0006-0x0008 of the working group's extra vector file
 * ({@code test-vectors-aes256.json}), which the RFC does not register.
 */
public enum SFrameSuite {
    AES_128_CTR_HMAC_SHA256_80(0x0001, HashAlgorithm.SHA256, 16, 10),
    AES_128_CTR_HMAC_SHA256_64(0x0002, HashAlgorithm.SHA256, 16, 8),
    AES_128_CTR_HMAC_SHA256_32(0x0003, HashAlgorithm.SHA256, 16, 4),
    AES_128_GCM_SHA256_128(0x0004, HashAlgorithm.SHA256, 0, 16),
    AES_256_GCM_SHA512_128(0x0005, HashAlgorithm.SHA512, 0, 16),
    AES_256_CTR_HMAC_SHA512_80(0x0006, HashAlgorithm.SHA512, 32, 10),
    AES_256_CTR_HMAC_SHA512_64(0x0007, HashAlgorithm.SHA512, 32, 8),
    AES_256_CTR_HMAC_SHA512_32(0x0008, HashAlgorithm.SHA512, 32, 4);

    /** AEAD.Nn: every suite uses 96-bit nonces. */
    public static final int NONCE_LENGTH = 12;

    private final int id;
    private final HashAlgorithm hash;
    private final int nka;
    private final int nt;

    SFrameSuite(int id, HashAlgorithm hash, int nka, int nt) {
        this.id = id;
        this.hash = hash;
        this.nka = nka;
        this.nt = nt;
    }

    /** The suite with IANA identifier {@code id}; {@link SFrameError#UNSUPPORTED} for any other. */
    public static SFrameSuite of(int id) {
        for (SFrameSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new SFrameException(SFrameError.UNSUPPORTED, "unknown SFrame cipher suite " + id);
    }

    public int id() {
        return id;
    }

    /** The hash of the suite's HKDF (and of its HMAC for the CTR suites). */
    public HashAlgorithm hash() {
        return hash;
    }

    /** True for the AES-CTR + HMAC compound AEAD of RFC 9605 §4.5.1, false for AES-GCM. */
    public boolean isCtrHmac() {
        return nka != 0;
    }

    /** AEAD.Nka: the AES key length inside the compound key (0 for GCM). */
    public int aesKeyLength() {
        return isCtrHmac() ? nka : nk();
    }

    /** AEAD.Nk: Nka + Nh for the CTR suites, the AES key length for GCM. */
    public int nk() {
        if (isCtrHmac()) {
            return nka + hash.length();
        }
        return hash == HashAlgorithm.SHA256 ? 16 : 32;
    }

    /** AEAD.Nn. */
    public int nn() {
        return NONCE_LENGTH;
    }

    /** AEAD.Nt: the tag length in bytes. */
    public int nt() {
        return nt;
    }
}
