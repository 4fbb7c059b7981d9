package org.mlskit.crypto;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed448Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;

/**
 * The signature schemes of RFC 9420's cipher suites, by TLS SignatureScheme code point.
 * EdDSA is pure (no prehash, empty context). ECDSA signatures are DER-encoded Ecdsa-Sig-Value
 * structures, as RFC 9420 §5.1.2 requires; the nonce is derived deterministically (RFC 6979),
 * so signing needs no randomness and never leaks the key through a weak random source.
 */
public enum SignatureScheme {
    ECDSA_SECP256R1_SHA256(0x0403, "secp256r1", HashAlgorithm.SHA256),
    ECDSA_SECP384R1_SHA384(0x0503, "secp384r1", HashAlgorithm.SHA384),
    ECDSA_SECP521R1_SHA512(0x0603, "secp521r1", HashAlgorithm.SHA512),
    ED25519(0x0807, null, null),
    ED448(0x0808, null, null);

    private final int code;
    private final String curveName;
    private final HashAlgorithm hash;
    private ECDomainParameters domain;

    SignatureScheme(int code, String curveName, HashAlgorithm hash) {
        this.code = code;
        this.curveName = curveName;
        this.hash = hash;
    }

    /** The TLS SignatureScheme value. */
    public int code() {
        return code;
    }

    private boolean isEcdsa() {
        return curveName != null;
    }

    /** Curve parameters, built on first use so an Ed25519-only program never pays for NIST curves. */
    private ECDomainParameters domain() {
        if (domain == null) {
            X9ECParameters p = NistCurves.byName(curveName);
            domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed());
        }
        return domain;
    }

    /** Bytes of a private key: the field size for ECDSA, the native seed length for EdDSA. */
    public int privateKeyLength() {
        switch (this) {
            case ED25519:
                return Ed25519PrivateKeyParameters.KEY_SIZE;
            case ED448:
                return Ed448PrivateKeyParameters.KEY_SIZE;
            default:
                return (domain().getN().bitLength() + 7) / 8;
        }
    }

    /** Bytes of a public key: the native length for EdDSA, an uncompressed point for ECDSA. */
    public int publicKeyLength() {
        switch (this) {
            case ED25519:
                return Ed25519PublicKeyParameters.KEY_SIZE;
            case ED448:
                return Ed448PublicKeyParameters.KEY_SIZE;
            default:
                return 1 + 2 * privateKeyLength();
        }
    }

    public KeyPair generateKeyPair(RandomSource random) {
        byte[] priv;
        if (isEcdsa()) {
            // Rejection sampling of a scalar in [1, n-1].
            BigInteger n = domain().getN();
            int len = privateKeyLength();
            int excessBits = len * 8 - n.bitLength();
            BigInteger d;
            do {
                priv = random.bytes(len);
                priv[0] &= (byte) (0xff >>> excessBits);
                d = new BigInteger(1, priv);
            } while (d.signum() == 0 || d.compareTo(n) >= 0);
        } else {
            priv = random.bytes(privateKeyLength());
        }
        return new KeyPair(priv, publicKey(priv));
    }

    /** The public key that belongs to {@code privateKey}. */
    public byte[] publicKey(byte[] privateKey) {
        switch (this) {
            case ED25519:
                return ed25519Private(privateKey).generatePublicKey().getEncoded();
            case ED448:
                return ed448Private(privateKey).generatePublicKey().getEncoded();
            default:
                ECPrivateKeyParameters k = ecPrivate(privateKey);
                return new FixedPointCombMultiplier().multiply(domain().getG(), k.getD()).getEncoded(false);
        }
    }

    /**
     * A private key decoded once for repeated signing: EdDSA keys keep their public key inside,
     * which signing needs and would otherwise recompute (a scalar multiplication) every time.
     */
    public static final class SigningKey {
        private final SignatureScheme scheme;
        private final AsymmetricKeyParameter params;

        private SigningKey(SignatureScheme scheme, AsymmetricKeyParameter params) {
            this.scheme = scheme;
            this.params = params;
        }
    }

    public SigningKey signingKey(byte[] privateKey) {
        switch (this) {
            case ED25519:
                return new SigningKey(this, ed25519Private(privateKey));
            case ED448:
                return new SigningKey(this, ed448Private(privateKey));
            default:
                return new SigningKey(this, ecPrivate(privateKey));
        }
    }

    public byte[] sign(byte[] privateKey, byte[] message) {
        return sign(signingKey(privateKey), message);
    }

    public byte[] sign(SigningKey key, byte[] message) {
        if (key.scheme != this) {
            throw new MlsException(ErrorCode.INVALID_KEY, "a " + key.scheme + " key cannot sign for " + this);
        }
        OperationCounter.sign++;
        Signer s;
        switch (this) {
            case ED25519:
                s = new Ed25519Signer();
                break;
            case ED448:
                s = new Ed448Signer(new byte[0]);
                break;
            default:
                s = ecdsa();
        }
        s.init(true, key.params);
        s.update(message, 0, message.length);
        try {
            return s.generateSignature();
        } catch (Exception e) {
            throw new MlsException(ErrorCode.INVALID_KEY, "signing failed with " + this, e);
        }
    }

    /** True when {@code signature} is valid; a public key that cannot be decoded is an {@link ErrorCode#INVALID_KEY}. */
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        OperationCounter.verify++;
        Signer s;
        switch (this) {
            case ED25519:
                return Ed25519Verifier.verify(publicKey, message, signature);
            case ED448:
                s = new Ed448Signer(new byte[0]);
                break;
            default:
                s = ecdsa();
        }
        s.init(false, decodedPublicKey(publicKey));
        s.update(message, 0, message.length);
        return s.verifySignature(signature);
    }

    /**
     * True when every signature verifies (Ed25519 checks them as one batch, much faster than one by
     * one); when false, verify them one by one to find the culprit.
     */
    public boolean verifyAll(byte[][] publicKeys, byte[][] messages, byte[][] signatures) {
        if (this == ED25519) {
            OperationCounter.verify += publicKeys.length;
            return Ed25519Verifier.verifyAll(publicKeys, messages, signatures);
        }
        for (int i = 0; i < publicKeys.length; i++) {
            if (!verify(publicKeys[i], messages[i], signatures[i])) {
                return false;
            }
        }
        return true;
    }

    /** Decoded Ed448 and ECDSA public keys of recent signers (public data); Ed25519Verifier keeps its own. */
    private final java.util.LinkedHashMap<Bytes, AsymmetricKeyParameter> publicKeys =
            new java.util.LinkedHashMap<Bytes, AsymmetricKeyParameter>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Bytes, AsymmetricKeyParameter> eldest) {
                    return size() > PUBLIC_KEY_CACHE;
                }
            };
    private static final int PUBLIC_KEY_CACHE = 4096;

    private AsymmetricKeyParameter decodedPublicKey(byte[] publicKey) {
        Bytes k = new Bytes(publicKey.clone());
        synchronized (publicKeys) {
            AsymmetricKeyParameter p = publicKeys.get(k);
            if (p != null) {
                return p;
            }
        }
        AsymmetricKeyParameter p;
        p = this == ED448 ? ed448Public(publicKey) : ecPublic(publicKey);
        synchronized (publicKeys) {
            publicKeys.put(k, p);
        }
        return p;
    }

    private Signer ecdsa() {
        return new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(hash.newDigest())), hash.newDigest(),
                EcdsaDer.INSTANCE);
    }

    /** An ECDSA scalar, big-endian; shorter encodings (leading zero bytes left out, as some implementations export them) are accepted. */
    private ECPrivateKeyParameters ecPrivate(byte[] key) {
        if (key.length == 0 || key.length > privateKeyLength()) {
            throw badKey(key);
        }
        BigInteger d = new BigInteger(1, key);
        if (d.signum() == 0 || d.compareTo(domain().getN()) >= 0) {
            throw new MlsException(ErrorCode.INVALID_KEY, this + " private scalar out of range");
        }
        return new ECPrivateKeyParameters(d, domain());
    }

    /**
     * The key's canonical encoding, for comparing keys: an ECDSA key received compressed becomes
     * the uncompressed point (see {@link #ecPublic}); every other key is returned as it is.
     */
    public byte[] canonicalPublicKey(byte[] key) {
        if (!isEcdsa() || key.length == publicKeyLength()) {
            return key;
        }
        return ecPublic(key).getQ().getEncoded(false);
    }

    /**
     * RFC 9420 §5.1.1 asks for uncompressed points, and this library only ever produces those. A
     * valid compressed point (SEC1 0x02/0x03, one field element) is still accepted on receipt:
     * deployed implementations send them, it names the same key, and signatures verify the same;
     * key-uniqueness checks compare {@link #canonicalPublicKey} so the two forms cannot pass as two keys.
     */
    private ECPublicKeyParameters ecPublic(byte[] key) {
        int field = privateKeyLength();
        boolean uncompressed = key.length == publicKeyLength() && key[0] == 0x04;
        boolean compressed = key.length == 1 + field && (key[0] == 0x02 || key[0] == 0x03);
        if (!uncompressed && !compressed) {
            throw badKey(key);
        }
        try {
            ECPoint p = domain().getCurve().decodePoint(key);
            return new ECPublicKeyParameters(p, domain());
        } catch (IllegalArgumentException e) {
            throw new MlsException(ErrorCode.INVALID_KEY, this + " public key is not a point on the curve", e);
        }
    }

    /** An EdDSA public key, checked for length and for being a point on the curve. */
    private AsymmetricKeyParameter ed448Public(byte[] key) {
        if (key.length != Ed448PublicKeyParameters.KEY_SIZE) {
            throw badKey(key);
        }
        try {
            return new Ed448PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException e) {
            throw new MlsException(ErrorCode.INVALID_KEY, this + " public key is not a point on the curve", e);
        }
    }

    private Ed25519PrivateKeyParameters ed25519Private(byte[] key) {
        if (key.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw badKey(key);
        }
        return new Ed25519PrivateKeyParameters(key, 0);
    }

    private Ed448PrivateKeyParameters ed448Private(byte[] key) {
        if (key.length != Ed448PrivateKeyParameters.KEY_SIZE) {
            throw badKey(key);
        }
        return new Ed448PrivateKeyParameters(key, 0);
    }

    private MlsException badKey(byte[] key) {
        return new MlsException(ErrorCode.INVALID_KEY, this + " key of " + key.length + " bytes has the wrong length or form");
    }
}
