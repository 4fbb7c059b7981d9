package org.mlskit.vectors;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.HpkeCiphertext;
import org.mlskit.crypto.RandomSource;

import static org.mlskit.vectors.TestVectors.*;

/** crypto-basics.json: every labelled primitive of RFC 9420 §5 and §8 for one cipher suite. */
final class CryptoBasicsVectors {
    private CryptoBasicsVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        CipherSuite cs = CipherSuite.of((int) num(v, "cipher_suite"));

        JsonValue t = field(v, "ref_hash");
        expectEqual("ref_hash", hex(t, "out"), cs.refHash(str(t, "label"), hex(t, "value")));

        t = field(v, "expand_with_label");
        expectEqual("expand_with_label", hex(t, "out"),
                cs.expandWithLabel(hex(t, "secret"), str(t, "label"), hex(t, "context"), (int) num(t, "length")));

        t = field(v, "derive_secret");
        expectEqual("derive_secret", hex(t, "out"), cs.deriveSecret(hex(t, "secret"), str(t, "label")));

        t = field(v, "derive_tree_secret");
        expectEqual("derive_tree_secret", hex(t, "out"), cs.deriveTreeSecret(hex(t, "secret"), str(t, "label"),
                (int) num(t, "generation"), (int) num(t, "length")));

        t = field(v, "sign_with_label");
        byte[] priv = hex(t, "priv");
        byte[] pub = hex(t, "pub");
        byte[] content = hex(t, "content");
        String label = str(t, "label");
        expectEqual("sign_with_label public key from private key", pub, cs.signatureScheme().publicKey(priv));
        expect("sign_with_label: the vector's signature verifies", cs.verifyWithLabel(pub, label, content, hex(t, "signature")));
        expect("sign_with_label: a fresh signature verifies",
                cs.verifyWithLabel(pub, label, content, cs.signWithLabel(priv, label, content)));

        t = field(v, "encrypt_with_label");
        priv = hex(t, "priv");
        pub = hex(t, "pub");
        label = str(t, "label");
        byte[] context = hex(t, "context");
        byte[] plaintext = hex(t, "plaintext");
        expectEqual("encrypt_with_label public key from private key", pub, cs.hpke().publicKey(priv));
        expectEqual("decrypt_with_label of the vector's ciphertext", plaintext,
                cs.decryptWithLabel(priv, label, context, hex(t, "kem_output"), hex(t, "ciphertext")));
        HpkeCiphertext fresh = cs.encryptWithLabel(pub, label, context, plaintext, random);
        expectEqual("decrypt_with_label of a fresh ciphertext", plaintext,
                cs.decryptWithLabel(priv, label, context, fresh.kemOutput(), fresh.ciphertext()));
    }
}
