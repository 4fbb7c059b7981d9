package org.mlskit.crypto;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/**
 * HPKE base mode (RFC 9180) for one KEM/KDF/AEAD combination, over BouncyCastle's
 * {@code crypto.hpke}. Ephemeral keys are derived from the injected {@link RandomSource}
 * (DeriveKeyPair on fresh random input, which RFC 9180 §7.1.3 allows for GenerateKeyPair),
 * never from BouncyCastle's own default randomness.
 */
public final class Hpke {
    private final Kem kem;
    // BouncyCastle's DHKEM keeps per-call state in fields, so calls on one instance are serialised.
    private final HPKE hpke;

    public Hpke(Kem kem, HashAlgorithm kdf, Aead aead) {
        this.kem = kem;
        this.hpke = new HPKE(HPKE.mode_base, (short) kem.id(), (short) kdfId(kdf), (short) aead.hpkeId());
    }

    private static int kdfId(HashAlgorithm h) {
        switch (h) {
            case SHA256:
                return 0x0001;
            case SHA384:
                return 0x0002;
            default:
                return 0x0003;
        }
    }

    public Kem kem() {
        return kem;
    }

    /** DeriveKeyPair(ikm) of RFC 9180 §7.1.3. */
    public synchronized KeyPair deriveKeyPair(byte[] ikm) {
        OperationCounter.deriveKeyPair++;
        AsymmetricCipherKeyPair kp = hpke.deriveKeyPair(ikm);
        return new KeyPair(hpke.serializePrivateKey(kp.getPrivate()), hpke.serializePublicKey(kp.getPublic()));
    }

    public KeyPair generateKeyPair(RandomSource random) {
        return deriveKeyPair(random.bytes(kem.privateKeyLength()));
    }

    /** The public key that belongs to a serialized private key. */
    public synchronized byte[] publicKey(byte[] privateKey) {
        return hpke.serializePublicKey(privateKeyPair(privateKey, null).getPublic());
    }

    /** SealBase(pkR, info, aad, pt). */
    public synchronized HpkeCiphertext seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext, RandomSource random) {
        HPKEContextWithEncapsulation ctx = setupSender(publicKey, info, random);
        try {
            return new HpkeCiphertext(ctx.getEncapsulation(), ctx.seal(aad, plaintext));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
    }

    /** SetupBaseS(pkR, info) with an ephemeral key from {@code random}; counted as one seal. */
    private HPKEContextWithEncapsulation setupSender(byte[] publicKey, byte[] info, RandomSource random) {
        OperationCounter.hpkeSeal++;
        AsymmetricKeyParameter pkR = publicKeyParam(publicKey);
        AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(random.bytes(kem.privateKeyLength()));
        try {
            return hpke.setupBaseS(pkR, info, ephemeral);
        } catch (RuntimeException e) {
            // RFC 9180 §7.1.4: a DH output of all zeros (a low-order X25519/X448 point) aborts.
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " public key is a low-order point", e);
        }
    }

    /**
     * SetupBaseS(pkR, info) followed by Export(exporterContext, length) (RFC 9180 §5.3), as MLS's
     * external init uses it (RFC 9420 §8.3): returns the kem_output and, in place of a
     * ciphertext, the exported secret.
     */
    public synchronized HpkeCiphertext exportToPublicKey(byte[] publicKey, byte[] info, byte[] exporterContext, int length,
            RandomSource random) {
        HPKEContextWithEncapsulation ctx = setupSender(publicKey, info, random);
        return new HpkeCiphertext(ctx.getEncapsulation(), ctx.export(exporterContext, length));
    }

    /** The receiver's side of {@link #exportToPublicKey}: SetupBaseR(enc, skR, info), then Export. */
    public synchronized byte[] exportFromKemOutput(byte[] privateKey, byte[] kemOutput, byte[] info, byte[] exporterContext,
            int length) {
        OperationCounter.hpkeOpen++;
        AsymmetricCipherKeyPair skR = privateKeyPair(privateKey, null);
        if (kemOutput.length != kem.publicKeyLength()) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output of " + kemOutput.length + " bytes, " + kem + " uses "
                    + kem.publicKeyLength());
        }
        try {
            return hpke.setupBaseR(kemOutput, skR, info).export(exporterContext, length);
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output rejected by " + kem, e);
        }
    }

    /** OpenBase(enc, skR, info, aad, ct); any failure is {@link ErrorCode#DECRYPTION_FAILED}. */
    public byte[] open(byte[] privateKey, byte[] kemOutput, byte[] info, byte[] aad, byte[] ciphertext) {
        return open(privateKey, null, kemOutput, info, aad, ciphertext);
    }

    /**
     * OpenBase with the recipient's public key supplied (as the tree or KeyPackage holds it), which
     * spares the scalar multiplication that would recompute it; a public key that does not belong to
     * the private key makes decryption fail, never succeed wrongly.
     */
    public synchronized byte[] open(byte[] privateKey, byte[] publicKey, byte[] kemOutput, byte[] info, byte[] aad,
            byte[] ciphertext) {
        OperationCounter.hpkeOpen++;
        AsymmetricCipherKeyPair skR = privateKeyPair(privateKey, publicKey);
        if (kemOutput.length != kem.publicKeyLength()) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output of " + kemOutput.length + " bytes, " + kem + " uses "
                    + kem.publicKeyLength());
        }
        HPKEContext ctx;
        try {
            ctx = hpke.setupBaseR(kemOutput, skR, info);
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output rejected by " + kem, e);
        }
        try {
            return ctx.open(aad, ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "HPKE ciphertext does not authenticate");
        }
    }

    private AsymmetricKeyParameter publicKeyParam(byte[] publicKey) {
        if (publicKey.length != kem.publicKeyLength()) {
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " public key of " + publicKey.length + " bytes");
        }
        try {
            return hpke.deserializePublicKey(publicKey);
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " public key is invalid", e);
        }
    }

    private AsymmetricCipherKeyPair privateKeyPair(byte[] encodedPrivateKey, byte[] publicKey) {
        byte[] privateKey = leftPadded(encodedPrivateKey);
        if (privateKey.length != kem.privateKeyLength()) {
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " private key of " + privateKey.length + " bytes");
        }
        if (publicKey != null && publicKey.length != kem.publicKeyLength()) {
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " public key of " + publicKey.length + " bytes");
        }
        try {
            return hpke.deserializePrivateKey(privateKey, publicKey);
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.INVALID_KEY, kem + " private key is invalid", e);
        }
    }

    /** A NIST scalar written without its leading zero bytes (as some implementations do) is the same key. */
    private byte[] leftPadded(byte[] privateKey) {
        int n = kem.privateKeyLength();
        if (!kem.isNist() || privateKey.length == 0 || privateKey.length >= n) {
            return privateKey;
        }
        byte[] padded = new byte[n];
        System.arraycopy(privateKey, 0, padded, n - privateKey.length, privateKey.length);
        return padded;
    }
}
