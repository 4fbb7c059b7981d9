package org.mlskit.schedule;

import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/** The confirmed and interim transcript hashes and the confirmation tag of RFC 9420 §8.2 and §6.1. */
public final class TranscriptHash {
    private TranscriptHash() {
    }

    /** confirmed_transcript_hash_[n] = Hash(interim_transcript_hash_[n-1] || ConfirmedTranscriptHashInput_[n]). */
    public static byte[] confirmed(CipherSuite suite, byte[] interimBefore, byte[] confirmedInput) {
        byte[] buf = new byte[interimBefore.length + confirmedInput.length];
        System.arraycopy(interimBefore, 0, buf, 0, interimBefore.length);
        System.arraycopy(confirmedInput, 0, buf, interimBefore.length, confirmedInput.length);
        return suite.hash(buf);
    }

    /** interim_transcript_hash_[n] = Hash(confirmed_transcript_hash_[n] || InterimTranscriptHashInput_[n]). */
    public static byte[] interim(CipherSuite suite, byte[] confirmed, byte[] confirmationTag) {
        TlsWriter w = new TlsWriter(confirmed.length + confirmationTag.length + 4);
        w.raw(confirmed).opaque(confirmationTag);
        return suite.hash(w.toByteArray());
    }

    /** confirmation_tag = MAC(confirmation_key, confirmed_transcript_hash). */
    public static byte[] confirmationTag(CipherSuite suite, byte[] confirmationKey, byte[] confirmed) {
        return suite.kdf().mac(confirmationKey, confirmed);
    }
}
