package org.mlskit.vectors;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.schedule.PskSecret;

import static org.mlskit.vectors.TestVectors.*;

/** psk_secret.json: psk_secret over zero or more external PSKs. */
final class PskSecretVectors {
    private PskSecretVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        JsonValue psks = field(v, "psks");
        List<PreSharedKeyId> ids = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < psks.length(); i++) {
            JsonValue p = psks.at(i);
            ids.add(PreSharedKeyId.external(hex(p, "psk_id"), hex(p, "psk_nonce")));
            values.add(hex(p, "psk"));
        }
        byte[] secret = PskSecret.compute(cs, ids, values);
        expectEqual("psk_secret", hex(v, "psk_secret"), secret == null ? new byte[cs.kdf().length()] : secret);
    }
}
