package org.mlskit.keys;

import java.util.Arrays;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SignatureScheme;

/**
 * A client: its credential and its one signature key pair for a cipher suite, reused across all
 * its groups and KeyPackages, plus the capabilities it advertises. Holds a private key: save it
 * with {@link #toBytes()} only to storage the client trusts.
 */
public final class Identity {
    private static final int STATE_VERSION = 1;
    /** Extension types this implementation supports beyond the RFC's defaults (app_data_dictionary of the extensions draft). */
    static final int[] SUPPORTED_EXTENSIONS = {ExtensionType.APP_DATA_DICTIONARY};
    /** Proposal types beyond the RFC's defaults: app_data_update (0x0008) and self_remove (0x000A) of the extensions draft. */
    static final int[] SUPPORTED_PROPOSALS = {0x0008, 0x000A};

    private final CipherSuite suite;
    private final Credential credential;
    private final byte[] signaturePrivateKey;
    private final byte[] signaturePublicKey;
    private final Capabilities capabilities;
    private final SignatureScheme.SigningKey signingKey;

    private Identity(CipherSuite suite, Credential credential, byte[] signaturePrivateKey, byte[] signaturePublicKey,
            Capabilities capabilities) {
        this.suite = suite;
        this.credential = credential;
        this.signaturePrivateKey = signaturePrivateKey;
        this.signaturePublicKey = signaturePublicKey;
        this.capabilities = capabilities;
        this.signingKey = suite.signatureScheme().signingKey(signaturePrivateKey);
    }

    /** A new client with a fresh signature key pair and the default capabilities. */
    public static Identity generate(CipherSuite suite, Credential credential, RandomSource random) {
        KeyPair kp = suite.signatureScheme().generateKeyPair(random);
        return new Identity(suite, credential, kp.privateKey(), kp.publicKey(), defaultCapabilities(suite));
    }

    /** A client whose signature private key already exists (its public key is recomputed). */
    public static Identity of(CipherSuite suite, Credential credential, byte[] signaturePrivateKey) {
        return new Identity(suite, credential, signaturePrivateKey.clone(),
                suite.signatureScheme().publicKey(signaturePrivateKey), defaultCapabilities(suite));
    }

    /** The same client advertising other capabilities (e.g. application extension or proposal types). */
    public Identity withCapabilities(Capabilities caps) {
        return new Identity(suite, credential, signaturePrivateKey, signaturePublicKey, caps);
    }

    /** MLS 1.0, this suite, basic and X.509 credentials, the non-default extensions and proposals this library implements. */
    public static Capabilities defaultCapabilities(CipherSuite suite) {
        return new Capabilities(new int[] {1}, new int[] {suite.id()}, SUPPORTED_EXTENSIONS.clone(), SUPPORTED_PROPOSALS.clone(),
                new int[] {Credential.BASIC, Credential.X509});
    }

    public CipherSuite suite() {
        return suite;
    }

    public Credential credential() {
        return credential;
    }

    public byte[] signaturePublicKey() {
        return signaturePublicKey.clone();
    }

    /** The private signing key; the core signs with it, applications should not need it. */
    public byte[] signaturePrivateKey() {
        return signaturePrivateKey.clone();
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    /** SignWithLabel with this client's key. */
    public byte[] sign(String label, byte[] content) {
        return suite.signWithLabel(signingKey, label, content);
    }

    /** The signature key, decoded once for the many signatures a client makes. */
    public SignatureScheme.SigningKey signingKey() {
        return signingKey;
    }

    /** Versioned binary form (private key included). */
    public byte[] toBytes() {
        TlsWriter w = new TlsWriter(256);
        w.u16(STATE_VERSION).u16(suite.id());
        credential.encode(w);
        w.opaque(signaturePrivateKey).opaque(signaturePublicKey);
        capabilities.encode(w);
        return w.toByteArray();
    }

    public static Identity fromBytes(byte[] data) {
        TlsReader in = new TlsReader(data);
        int version = in.u16();
        if (version != STATE_VERSION) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "saved identity version " + version + "; this build reads "
                    + STATE_VERSION);
        }
        CipherSuite suite = CipherSuite.of(in.u16());
        Credential credential = Credential.decode(in);
        byte[] priv = in.opaque();
        byte[] pub = in.opaque();
        Capabilities caps = Capabilities.decode(in);
        in.finish();
        if (!Arrays.equals(pub, suite.signatureScheme().publicKey(priv))) {
            throw new MlsException(ErrorCode.INVALID_KEY, "the saved signature key pair does not match");
        }
        return new Identity(suite, credential, priv, pub, caps);
    }

    /** Zeroes the private key. */
    public void erase() {
        Arrays.fill(signaturePrivateKey, (byte) 0);
    }
}
