package org.mlskit.crypto;

/** The output of EncryptWithLabel / HPKE SealBase: the KEM's encapsulation and the AEAD ciphertext. */
public final class HpkeCiphertext {
    private final byte[] kemOutput;
    private final byte[] ciphertext;

    public HpkeCiphertext(byte[] kemOutput, byte[] ciphertext) {
        this.kemOutput = kemOutput;
        this.ciphertext = ciphertext;
    }

    public byte[] kemOutput() {
        return kemOutput.clone();
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }
}
