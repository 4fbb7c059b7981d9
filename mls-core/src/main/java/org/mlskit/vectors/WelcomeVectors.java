package org.mlskit.vectors;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.MlsMessage;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Welcome;
import org.mlskit.keys.KeyPackage;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.schedule.TranscriptHash;

import static org.mlskit.vectors.TestVectors.*;

/** welcome.json: find our entry, decrypt GroupSecrets and GroupInfo, check its signature and confirmation tag. */
final class WelcomeVectors {
    private WelcomeVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        KeyPackage kp = (KeyPackage) MlsMessage.fromBytes(hex(v, "key_package")).body;
        Welcome welcome = (Welcome) MlsMessage.fromBytes(hex(v, "welcome")).body;
        Welcome.Secrets entry = welcome.find(kp.ref(cs));
        expect("the Welcome has an entry for the KeyPackage", entry != null);
        GroupSecrets secrets = welcome.openSecrets(cs, entry, hex(v, "init_priv"));
        GroupInfo info = welcome.openGroupInfo(cs, secrets.joinerSecret, null);
        expect("GroupInfo signature", info.verify(cs, hex(v, "signer_pub")));
        EpochSecrets epoch = KeySchedule.fromJoiner(cs, secrets.joinerSecret, null, info.groupContext);
        expectEqual("confirmation_tag", info.confirmationTag,
                TranscriptHash.confirmationTag(cs, epoch.confirmationKey(), info.groupContext.confirmedTranscriptHash()));
    }
}
