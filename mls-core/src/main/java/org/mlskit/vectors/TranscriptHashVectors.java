package org.mlskit.vectors;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.AuthenticatedContent;
import org.mlskit.framing.ContentType;
import org.mlskit.schedule.TranscriptHash;

import static org.mlskit.vectors.TestVectors.*;

/** transcript-hashes.json: confirmation tag and both transcript hashes after a commit. */
final class TranscriptHashVectors {
    private TranscriptHashVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        AuthenticatedContent ac = Codec.decodeAll(hex(v, "authenticated_content"), AuthenticatedContent::decode);
        expectEqual("content type", ContentType.COMMIT, ac.content.contentType);
        byte[] confirmed = TranscriptHash.confirmed(cs, hex(v, "interim_transcript_hash_before"),
                ac.confirmedTranscriptHashInput());
        expectEqual("confirmed_transcript_hash_after", hex(v, "confirmed_transcript_hash_after"), confirmed);
        expectEqual("confirmation_tag", ac.auth.confirmationTag,
                TranscriptHash.confirmationTag(cs, hex(v, "confirmation_key"), confirmed));
        expectEqual("interim_transcript_hash_after", hex(v, "interim_transcript_hash_after"),
                TranscriptHash.interim(cs, confirmed, ac.auth.confirmationTag));
    }
}
