package org.mlskit.vectors;

import java.util.Collections;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.GroupContext;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.KeySchedule;

import static org.mlskit.vectors.TestVectors.*;

/** key-schedule.json: a chain of epochs, every secret of each, the external key and an export. */
final class KeyScheduleVectors {
    private KeyScheduleVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        int suite = (int) num(v, "cipher_suite");
        CipherSuite cs = CipherSuite.of(suite);
        byte[] groupId = hex(v, "group_id");
        byte[] init = hex(v, "initial_init_secret");
        JsonValue epochs = field(v, "epochs");
        for (int i = 0; i < epochs.length(); i++) {
            JsonValue e = epochs.at(i);
            String at = "epoch " + i + " ";
            GroupContext ctx = new GroupContext(suite, groupId, i, hex(e, "tree_hash"), hex(e, "confirmed_transcript_hash"),
                    Collections.emptyList());
            expectEqual(at + "group_context", hex(e, "group_context"), ctx.toBytes());
            EpochSecrets s = KeySchedule.next(cs, init, hex(e, "commit_secret"), hex(e, "psk_secret"), ctx);
            expectEqual(at + "joiner_secret", hex(e, "joiner_secret"), s.joinerSecret());
            expectEqual(at + "welcome_secret", hex(e, "welcome_secret"), s.welcomeSecret());
            expectEqual(at + "init_secret", hex(e, "init_secret"), s.initSecret());
            expectEqual(at + "sender_data_secret", hex(e, "sender_data_secret"), s.senderDataSecret());
            expectEqual(at + "encryption_secret", hex(e, "encryption_secret"), s.encryptionSecret());
            expectEqual(at + "exporter_secret", hex(e, "exporter_secret"), s.exporterSecret());
            expectEqual(at + "epoch_authenticator", hex(e, "epoch_authenticator"), s.epochAuthenticator());
            expectEqual(at + "external_secret", hex(e, "external_secret"), s.externalSecret());
            expectEqual(at + "confirmation_key", hex(e, "confirmation_key"), s.confirmationKey());
            expectEqual(at + "membership_key", hex(e, "membership_key"), s.membershipKey());
            expectEqual(at + "resumption_psk", hex(e, "resumption_psk"), s.resumptionPsk());
            expectEqual(at + "external_pub", hex(e, "external_pub"), s.externalKeyPair().publicKey());
            JsonValue x = field(e, "exporter");
            expectEqual(at + "exporter.secret", hex(x, "secret"),
                    s.export(str(x, "label"), hex(x, "context"), (int) num(x, "length")));
            init = s.initSecret();
            s.erase();
        }
    }
}
