package org.mlskit.crypto;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * The output of EncryptWithLabel / HPKE SealBase: the KEM's encapsulation and the AEAD ciphertext;
 * on the wire {@code struct { opaque kem_output<V>; opaque ciphertext<V>; } HPKECiphertext}.
 */
public final class HpkeCiphertext implements Encodable {
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

    @Override
    public void encode(TlsWriter out) {
        out.opaque(kemOutput).opaque(ciphertext);
    }

    public static HpkeCiphertext decode(TlsReader in) {
        byte[] kem = in.opaque();
        return new HpkeCiphertext(kem, in.opaque());
    }
}
