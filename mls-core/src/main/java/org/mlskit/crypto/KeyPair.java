package org.mlskit.crypto;

/**
 * A private key and its public key in the encodings RFC 9420's test vectors use: HPKE keys as
 * SerializePrivateKey/SerializePublicKey, ECDSA private keys as fixed-length big-endian scalars
 * and public keys as uncompressed points, EdDSA keys as their native byte strings.
 */
public final class KeyPair {
    private final byte[] privateKey;
    private final byte[] publicKey;

    public KeyPair(byte[] privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public byte[] privateKey() {
        return privateKey.clone();
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }
}
