package org.mlskit.vectors;

import java.util.Arrays;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.MlsMessage;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.PskStore;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

import static org.mlskit.vectors.TestVectors.*;

/**
 * passive-client-welcome, passive-client-handling-commit and passive-client-random (one format):
 * join from the Welcome, then follow every commit (with the proposals it references), checking
 * the epoch authenticator after each.
 */
final class PassiveClientVectors {
    private PassiveClientVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));
        KeyPackage kp = (KeyPackage) MlsMessage.fromBytes(hex(v, "key_package")).body;
        byte[] signaturePriv = hex(v, "signature_priv");
        byte[] encryptionPriv = hex(v, "encryption_priv");
        byte[] initPriv = hex(v, "init_priv");
        expectEqual("signature_priv matches the leaf's signature key", kp.leafNode.signatureKey,
                cs.signatureScheme().publicKey(signaturePriv));
        expectEqual("encryption_priv matches the leaf's encryption key", kp.leafNode.encryptionKey,
                cs.hpke().publicKey(encryptionPriv));
        expectEqual("init_priv matches the init key", kp.initKey, cs.hpke().publicKey(initPriv));

        JsonValue psks = field(v, "external_psks");
        byte[][] ids = new byte[psks.length()][];
        byte[][] values = new byte[psks.length()][];
        for (int i = 0; i < psks.length(); i++) {
            ids[i] = hex(psks.at(i), "psk_id");
            values[i] = hex(psks.at(i), "psk");
        }
        PskStore store = id -> {
            for (int i = 0; i < ids.length; i++) {
                if (Arrays.equals(ids[i], id)) {
                    return values[i].clone();
                }
            }
            return null;
        };
        JsonValue treeField = v.get("ratchet_tree");
        byte[] tree = treeField == null ? null : Hex.decode(treeField.asString());
        // The vectors' KeyPackages carry fixed lifetimes; the clock is not what they test.
        GroupConfig config = GroupConfig.DEFAULT.withPskStore(store).withClock(() -> -1);
        Group group = Group.join(hex(v, "welcome"), new KeyPackageBundle(kp, initPriv, encryptionPriv),
                Identity.of(cs, kp.leafNode.credential, signaturePriv), tree, config, random);
        expectEqual("initial_epoch_authenticator", hex(v, "initial_epoch_authenticator"), group.epochAuthenticator());

        JsonValue epochs = field(v, "epochs");
        for (int e = 0; e < epochs.length(); e++) {
            JsonValue epoch = epochs.at(e);
            JsonValue proposals = field(epoch, "proposals");
            for (int p = 0; p < proposals.length(); p++) {
                ProcessedMessage pm = group.process(Hex.decode(proposals.at(p).asString()));
                expect("epoch " + e + " proposal " + p + " is a proposal", pm.kind == ProcessedMessage.Kind.PROPOSAL);
            }
            ProcessedMessage commit = group.process(hex(epoch, "commit"));
            expect("epoch " + e + " commit is a commit", commit.kind == ProcessedMessage.Kind.COMMIT);
            expect("epoch " + e + " commit keeps us in the group", !commit.commit.removesMe());
            group.merge(commit.commit);
            expectEqual("epoch " + e + " epoch_authenticator", hex(epoch, "epoch_authenticator"), group.epochAuthenticator());
        }
    }
}
