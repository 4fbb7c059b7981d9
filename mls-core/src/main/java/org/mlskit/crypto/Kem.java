package org.mlskit.crypto;

/** The DHKEMs of RFC 9420's cipher suites (RFC 9180 §7.1), with their key and encapsulation sizes. */
public enum Kem {
    DHKEM_P256_SHA256(0x0010, 32, 65),
    DHKEM_P384_SHA384(0x0011, 48, 97),
    DHKEM_P521_SHA512(0x0012, 66, 133),
    DHKEM_X25519_SHA256(0x0020, 32, 32),
    DHKEM_X448_SHA512(0x0021, 56, 56);

    private final int id;
    private final int privateKeyLength;
    private final int publicKeyLength;

    Kem(int id, int privateKeyLength, int publicKeyLength) {
        this.id = id;
        this.privateKeyLength = privateKeyLength;
        this.publicKeyLength = publicKeyLength;
    }

    public int id() {
        return id;
    }

    /** Nsk. */
    /** A NIST curve KEM (P-256/384/521), whose private keys are big-endian scalars. */
    public boolean isNist() {
        return this == DHKEM_P256_SHA256 || this == DHKEM_P384_SHA384 || this == DHKEM_P521_SHA512;
    }

    public int privateKeyLength() {
        return privateKeyLength;
    }

    /** Npk, which is also Nenc for every DHKEM. */
    public int publicKeyLength() {
        return publicKeyLength;
    }
}
