package org.mlskit.crypto;

import java.util.Arrays;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.RawAgreement;
import org.bouncycastle.crypto.agreement.BasicRawAgreement;
import org.bouncycastle.crypto.agreement.ECDHCBasicAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.agreement.X448Agreement;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.hpke.HPKE;
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
    private static final byte[] EMPTY = new byte[0];

    private final Kem kem;
    private final Aead aead;
    // BouncyCastle's DHKEM keeps per-call state in fields, so calls on one instance are serialised.
    private final HPKE hpke;
    private final HpkeLabels kemLabels;
    private final HpkeLabels labels;
    /** LabeledExtract("", "psk_id_hash", "") of base mode, the same for every message. */
    private final byte[] pskIdHash;

    public Hpke(Kem kem, HashAlgorithm kdf, Aead aead) {
        this.kem = kem;
        this.aead = aead;
        this.hpke = new HPKE(HPKE.mode_base, (short) kem.id(), (short) kdfId(kdf), (short) aead.hpkeId());
        this.kemLabels = new HpkeLabels(kemHash(kem), HpkeLabels.kemSuiteId(kem));
        this.labels = new HpkeLabels(kdf, HpkeLabels.hpkeSuiteId(kem, kdfId(kdf), aead.hpkeId()));
        this.pskIdHash = labels.extract(EMPTY, "psk_id_hash", EMPTY);
    }

    /** The hash of each DHKEM's own HKDF (RFC 9180 §7.1), independent of the suite's KDF. */
    private static HashAlgorithm kemHash(Kem kem) {
        switch (kem) {
            case DHKEM_P384_SHA384:
                return HashAlgorithm.SHA384;
            case DHKEM_P521_SHA512:
            case DHKEM_X448_SHA512:
                return HashAlgorithm.SHA512;
            default:
                return HashAlgorithm.SHA256;
        }
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

    /**
     * An info string prepared for sealing or opening many times: its hash, the costly part when
     * the info is long (a Welcome's encrypted GroupInfo holds the whole tree), is taken once.
     */
    public Info info(byte[] info) {
        return new Info(info);
    }

    /** SealBase(pkR, info, aad, pt). */
    public HpkeCiphertext seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext, RandomSource random) {
        return seal(publicKey, info(info), aad, plaintext, random);
    }

    /**
     * SealBase(pkR, info, aad, pt) under a prepared info: the KEM's encapsulation, then RFC 9180's
     * key schedule (§5.1) computed here, so that the info's hash is shared by every recipient.
     */
    public HpkeCiphertext seal(byte[] publicKey, Info info, byte[] aad, byte[] plaintext, RandomSource random) {
        byte[] enc;
        byte[] sharedSecret;
        synchronized (this) {
            OperationCounter.hpkeSeal++;
            AsymmetricKeyParameter pkR = publicKeyParam(publicKey);
            AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(random.bytes(kem.privateKeyLength()));
            byte[] dh = agree(ephemeral.getPrivate(), pkR, ErrorCode.INVALID_KEY);
            enc = hpke.serializePublicKey(ephemeral.getPublic());
            sharedSecret = extractAndExpand(dh, enc, publicKey);
        }
        byte[][] keyNonce = keyAndNonce(sharedSecret, info);
        try {
            return new HpkeCiphertext(enc, aead.seal(keyNonce[0], keyNonce[1], aad, plaintext));
        } finally {
            wipe(keyNonce);
        }
    }

    /** The recipient's side: OpenBase(enc, skR, info, aad, ct) under a prepared info. */
    public byte[] open(byte[] privateKey, byte[] publicKey, byte[] kemOutput, Info info, byte[] aad, byte[] ciphertext) {
        byte[] sharedSecret;
        synchronized (this) {
            OperationCounter.hpkeOpen++;
            AsymmetricCipherKeyPair skR = privateKeyPair(privateKey, publicKey);
            if (kemOutput.length != kem.publicKeyLength()) {
                throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output of " + kemOutput.length + " bytes, " + kem
                        + " uses " + kem.publicKeyLength());
            }
            AsymmetricKeyParameter pkE;
            try {
                pkE = hpke.deserializePublicKey(kemOutput);
            } catch (RuntimeException e) {
                throw new MlsException(ErrorCode.DECRYPTION_FAILED, "kem_output rejected by " + kem, e);
            }
            byte[] dh = agree(skR.getPrivate(), pkE, ErrorCode.DECRYPTION_FAILED);
            sharedSecret = extractAndExpand(dh, kemOutput, hpke.serializePublicKey(skR.getPublic()));
        }
        byte[][] keyNonce = keyAndNonce(sharedSecret, info);
        try {
            return aead.open(keyNonce[0], keyNonce[1], aad, ciphertext);
        } catch (MlsException e) {
            throw new MlsException(ErrorCode.DECRYPTION_FAILED, "HPKE ciphertext does not authenticate");
        } finally {
            wipe(keyNonce);
        }
    }

    /** DH(sk, pk) of RFC 9180 §4.1; an all-zero X25519/X448 output (a low-order point) aborts (§7.1.4). */
    private byte[] agree(AsymmetricKeyParameter sk, AsymmetricKeyParameter pk, ErrorCode onFailure) {
        RawAgreement a;
        switch (kem) {
            case DHKEM_X25519_SHA256:
                a = new X25519Agreement();
                break;
            case DHKEM_X448_SHA512:
                a = new X448Agreement();
                break;
            default:
                a = new BasicRawAgreement(new ECDHCBasicAgreement());
        }
        a.init(sk);
        byte[] out = new byte[a.getAgreementSize()];
        try {
            a.calculateAgreement(pk, out, 0);
        } catch (RuntimeException e) {
            throw new MlsException(onFailure, kem + " public key is a low-order point", e);
        }
        return out;
    }

    /** DHKEM's ExtractAndExpand(dh, kem_context = enc || pkRm) (RFC 9180 §4.1). */
    private byte[] extractAndExpand(byte[] dh, byte[] enc, byte[] pkRm) {
        byte[] kemContext = new byte[enc.length + pkRm.length];
        System.arraycopy(enc, 0, kemContext, 0, enc.length);
        System.arraycopy(pkRm, 0, kemContext, enc.length, pkRm.length);
        byte[] prk = kemLabels.extract(EMPTY, "eae_prk", dh);
        Arrays.fill(dh, (byte) 0);
        byte[] out = kemLabels.expand(kemLabels.keyed(prk), "shared_secret", kemContext, kemLabels.hashLength());
        Arrays.fill(prk, (byte) 0);
        return out;
    }

    /** The key schedule of RFC 9180 §5.1 (base mode, no PSK) as far as one message needs: key and base_nonce. */
    private byte[][] keyAndNonce(byte[] sharedSecret, Info info) {
        if (info.owner() != this) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "an HPKE info prepared for another suite");
        }
        byte[] secret = labels.extract(sharedSecret, "secret", EMPTY);
        Arrays.fill(sharedSecret, (byte) 0);
        HMac prk = labels.keyed(secret);
        Arrays.fill(secret, (byte) 0);
        return new byte[][] {labels.expand(prk, "key", info.keyScheduleContext, aead.keyLength()),
            labels.expand(prk, "base_nonce", info.keyScheduleContext, aead.nonceLength())};
    }

    private static void wipe(byte[][] keys) {
        for (byte[] k : keys) {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** An HPKE info with key_schedule_context = mode || psk_id_hash || info_hash precomputed (RFC 9180 §5.1). */
    public final class Info {
        private final byte[] keyScheduleContext;

        private Info(byte[] info) {
            byte[] infoHash = labels.extract(EMPTY, "info_hash", info);
            keyScheduleContext = new byte[1 + pskIdHash.length + infoHash.length];
            keyScheduleContext[0] = HPKE.mode_base;
            System.arraycopy(pskIdHash, 0, keyScheduleContext, 1, pskIdHash.length);
            System.arraycopy(infoHash, 0, keyScheduleContext, 1 + pskIdHash.length, infoHash.length);
        }

        private Hpke owner() {
            return Hpke.this;
        }
    }

    /** SetupBaseS(pkR, info) with an ephemeral key from {@code random}, through BouncyCastle; counted as one seal. */
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
    public byte[] open(byte[] privateKey, byte[] publicKey, byte[] kemOutput, byte[] info, byte[] aad, byte[] ciphertext) {
        return open(privateKey, publicKey, kemOutput, info(info), aad, ciphertext);
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
