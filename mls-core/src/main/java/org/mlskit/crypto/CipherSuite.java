package org.mlskit.crypto;

import java.nio.charset.StandardCharsets;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;

/**
 * One of the seven cipher suites of RFC 9420 §17.1 and the labelled operations of §5 built on
 * it: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel/VerifyWithLabel
 * and EncryptWithLabel/DecryptWithLabel. Instances are immutable and shared.
 */
public final class CipherSuite {
    private static final byte[] LABEL_PREFIX = "MLS 1.0 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    public static final CipherSuite MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 = new CipherSuite(0x0001,
            "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519", Kem.DHKEM_X25519_SHA256, HashAlgorithm.SHA256, Aead.AES_128_GCM,
            SignatureScheme.ED25519);
    public static final CipherSuite MLS_128_DHKEMP256_AES128GCM_SHA256_P256 = new CipherSuite(0x0002,
            "MLS_128_DHKEMP256_AES128GCM_SHA256_P256", Kem.DHKEM_P256_SHA256, HashAlgorithm.SHA256, Aead.AES_128_GCM,
            SignatureScheme.ECDSA_SECP256R1_SHA256);
    public static final CipherSuite MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519 = new CipherSuite(0x0003,
            "MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519", Kem.DHKEM_X25519_SHA256, HashAlgorithm.SHA256,
            Aead.CHACHA20_POLY1305, SignatureScheme.ED25519);
    public static final CipherSuite MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448 = new CipherSuite(0x0004,
            "MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448", Kem.DHKEM_X448_SHA512, HashAlgorithm.SHA512, Aead.AES_256_GCM,
            SignatureScheme.ED448);
    public static final CipherSuite MLS_256_DHKEMP521_AES256GCM_SHA512_P521 = new CipherSuite(0x0005,
            "MLS_256_DHKEMP521_AES256GCM_SHA512_P521", Kem.DHKEM_P521_SHA512, HashAlgorithm.SHA512, Aead.AES_256_GCM,
            SignatureScheme.ECDSA_SECP521R1_SHA512);
    public static final CipherSuite MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448 = new CipherSuite(0x0006,
            "MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448", Kem.DHKEM_X448_SHA512, HashAlgorithm.SHA512,
            Aead.CHACHA20_POLY1305, SignatureScheme.ED448);
    public static final CipherSuite MLS_256_DHKEMP384_AES256GCM_SHA384_P384 = new CipherSuite(0x0007,
            "MLS_256_DHKEMP384_AES256GCM_SHA384_P384", Kem.DHKEM_P384_SHA384, HashAlgorithm.SHA384, Aead.AES_256_GCM,
            SignatureScheme.ECDSA_SECP384R1_SHA384);

    private static final CipherSuite[] ALL = {MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        MLS_128_DHKEMP256_AES128GCM_SHA256_P256, MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519,
        MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448, MLS_256_DHKEMP521_AES256GCM_SHA512_P521,
        MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448, MLS_256_DHKEMP384_AES256GCM_SHA384_P384};

    private final int id;
    private final String name;
    private final Kem kem;
    private final Kdf kdf;
    private final Aead aead;
    private final SignatureScheme signature;
    private Hpke hpke;

    private CipherSuite(int id, String name, Kem kem, HashAlgorithm hash, Aead aead, SignatureScheme signature) {
        this.id = id;
        this.name = name;
        this.kem = kem;
        this.kdf = new Kdf(hash);
        this.aead = aead;
        this.signature = signature;
    }

    /** The suite with this code point; anything else is {@link ErrorCode#UNSUPPORTED}. */
    public static CipherSuite of(int id) {
        if (id < 1 || id > ALL.length) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "cipher suite 0x" + Integer.toHexString(id) + " is not supported");
        }
        return ALL[id - 1];
    }

    /** All seven suites in code-point order. */
    public static CipherSuite[] all() {
        return ALL.clone();
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    public Kem kem() {
        return kem;
    }

    public Kdf kdf() {
        return kdf;
    }

    public HashAlgorithm hash() {
        return kdf.hash();
    }

    public Aead aead() {
        return aead;
    }

    public SignatureScheme signatureScheme() {
        return signature;
    }

    /** The suite's HPKE, created on first use (it sets up curve parameters). */
    public synchronized Hpke hpke() {
        if (hpke == null) {
            hpke = new Hpke(kem, kdf.hash(), aead);
        }
        return hpke;
    }

    public byte[] hash(byte[] data) {
        return kdf.hash().hash(data);
    }

    /** RefHash(label, value) = Hash(RefHashInput{label, value}); the label is used as given (§5.2). */
    public byte[] refHash(String label, byte[] value) {
        TlsWriter w = new TlsWriter(value.length + label.length() + 8);
        w.utf8(label).opaque(value);
        return hash(w.toByteArray());
    }

    /** ExpandWithLabel(Secret, Label, Context, Length) of §8. */
    public byte[] expandWithLabel(byte[] secret, String label, byte[] context, int length) {
        return expandWithLabel(kdf.expander(secret), label, context, length);
    }

    /** ExpandWithLabel under a secret keyed once ({@link Kdf#expander}), for several values from one secret. */
    public byte[] expandWithLabel(Kdf.Expander secret, String label, byte[] context, int length) {
        if (length < 0 || length > 0xffff) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "ExpandWithLabel length " + length + " is not a uint16");
        }
        TlsWriter w = new TlsWriter(context.length + label.length() + 16);
        w.u16(length);
        writeLabel(w, label);
        w.opaque(context);
        return secret.expand(w.toByteArray(), length);
    }

    /** DeriveSecret(Secret, Label) = ExpandWithLabel(Secret, Label, "", KDF.Nh). */
    public byte[] deriveSecret(byte[] secret, String label) {
        return expandWithLabel(secret, label, EMPTY, kdf.length());
    }

    /** DeriveTreeSecret(Secret, Label, Generation, Length) of §9; generation is a uint32 held in an int. */
    public byte[] deriveTreeSecret(byte[] secret, String label, int generation, int length) {
        return deriveTreeSecret(kdf.expander(secret), label, generation, length);
    }

    /** DeriveTreeSecret under a secret keyed once ({@link Kdf#expander}). */
    public byte[] deriveTreeSecret(Kdf.Expander secret, String label, int generation, int length) {
        byte[] ctx = new TlsWriter(4).u32(generation).toByteArray();
        return expandWithLabel(secret, label, ctx, length);
    }

    /** SignWithLabel(SignatureKey, Label, Content) of §5.1.2. */
    public byte[] signWithLabel(byte[] privateKey, String label, byte[] content) {
        return signature.sign(privateKey, labeled(label, content));
    }

    /** SignWithLabel with a key decoded once ({@link SignatureScheme#signingKey}). */
    public byte[] signWithLabel(SignatureScheme.SigningKey key, String label, byte[] content) {
        return signature.sign(key, labeled(label, content));
    }

    /** VerifyWithLabel(VerificationKey, Label, Content, SignatureValue) of §5.1.2. */
    public boolean verifyWithLabel(byte[] publicKey, String label, byte[] content, byte[] sig) {
        return signature.verify(publicKey, labeled(label, content), sig);
    }

    /**
     * VerifyWithLabel for many signatures with one label at once (a batch where the scheme has one):
     * true when all verify; when false, check them one by one to find which does not.
     */
    public boolean verifyAllWithLabel(byte[][] publicKeys, String label, byte[][] contents, byte[][] sigs) {
        byte[][] messages = new byte[contents.length][];
        for (int i = 0; i < contents.length; i++) {
            messages[i] = labeled(label, contents[i]);
        }
        return signature.verifyAll(publicKeys, messages, sigs);
    }

    /** EncryptWithLabel(PublicKey, Label, Context, Plaintext) of §5.1.3. */
    public HpkeCiphertext encryptWithLabel(byte[] publicKey, String label, byte[] context, byte[] plaintext, RandomSource random) {
        return hpke().seal(publicKey, labeled(label, context), EMPTY, plaintext, random);
    }

    /**
     * The EncryptContext {label, context} of §5.1.3 prepared once for EncryptWithLabel to many
     * recipients (a Welcome's GroupSecrets all use the encrypted GroupInfo as context, so hashing
     * it per recipient would make a Welcome quadratic in the group's size).
     */
    public Hpke.Info encryptContext(String label, byte[] context) {
        return hpke().info(labeled(label, context));
    }

    /** EncryptWithLabel under a prepared {@link #encryptContext}; the same bytes as the plain form. */
    public HpkeCiphertext encryptWithLabel(byte[] publicKey, Hpke.Info context, byte[] plaintext, RandomSource random) {
        return hpke().seal(publicKey, context, EMPTY, plaintext, random);
    }

    /** DecryptWithLabel(PrivateKey, Label, Context, KEMOutput, Ciphertext) of §5.1.3. */
    public byte[] decryptWithLabel(byte[] privateKey, String label, byte[] context, byte[] kemOutput, byte[] ciphertext) {
        return hpke().open(privateKey, kemOutput, labeled(label, context), EMPTY, ciphertext);
    }

    /** DecryptWithLabel with the recipient's public key known, saving a scalar multiplication. */
    public byte[] decryptWithLabel(byte[] privateKey, byte[] publicKey, String label, byte[] context, byte[] kemOutput,
            byte[] ciphertext) {
        return hpke().open(privateKey, publicKey, kemOutput, labeled(label, context), EMPTY, ciphertext);
    }

    /** SignContent and EncryptContext share one shape: {label<V> = "MLS 1.0 " + Label; content<V>}. */
    private static byte[] labeled(String label, byte[] content) {
        TlsWriter w = new TlsWriter(content.length + label.length() + 16);
        writeLabel(w, label);
        w.opaque(content);
        return w.toByteArray();
    }

    /** opaque label<V> = "MLS 1.0 " + Label. */
    private static void writeLabel(TlsWriter w, String label) {
        byte[] l = TlsWriter.utf8Bytes(label);
        w.varint(LABEL_PREFIX.length + l.length).raw(LABEL_PREFIX).raw(l);
    }
}
