package org.mlskit.vectors;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.schedule.RatchetKey;
import org.mlskit.schedule.SecretTree;
import org.mlskit.schedule.SenderDataKeys;

import static org.mlskit.vectors.TestVectors.*;

/** secret-tree.json: sender-data keys, and both ratchets of every leaf at the listed generations. */
final class SecretTreeVectors {
    private SecretTreeVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        JsonValue sd = field(v, "sender_data");
        byte[] sdSecret = hex(sd, "sender_data_secret");
        byte[] ct = hex(sd, "ciphertext");
        expectEqual("sender_data key", hex(sd, "key"), SenderDataKeys.key(cs, sdSecret, ct));
        expectEqual("sender_data nonce", hex(sd, "nonce"), SenderDataKeys.nonce(cs, sdSecret, ct));

        JsonValue leaves = field(v, "leaves");
        SecretTree tree = new SecretTree(cs, hex(v, "encryption_secret"), leaves.length());
        for (int leaf = 0; leaf < leaves.length(); leaf++) {
            JsonValue gens = leaves.at(leaf);
            for (int j = 0; j < gens.length(); j++) {
                JsonValue g = gens.at(j);
                int gen = (int) num(g, "generation");
                RatchetKey hs = tree.handshakeRatchet(leaf).forGeneration(gen);
                RatchetKey app = tree.applicationRatchet(leaf).forGeneration(gen);
                String at = "leaf " + leaf + " generation " + gen + " ";
                expectEqual(at + "handshake_key", hex(g, "handshake_key"), hs.key());
                expectEqual(at + "handshake_nonce", hex(g, "handshake_nonce"), hs.nonce());
                expectEqual(at + "application_key", hex(g, "application_key"), app.key());
                expectEqual(at + "application_nonce", hex(g, "application_nonce"), app.nonce());
            }
        }
    }
}
