package org.mlskit.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.RandomSource;

/**
 * A KeyPackage (RFC 9420 §10) with the private keys its owner keeps until it is used: the HPKE
 * init key (opens the Welcome) and the leaf's encryption key. Publish {@link #keyPackage()};
 * keep this. A last-resort KeyPackage (draft-ietf-mls-extensions, "Last-Resort KeyPackages")
 * carries the last_resort_key_package component and may be used more than once.
 */
public final class KeyPackageBundle {
    private static final int STATE_VERSION = 1;
    /** Component id of last_resort_key_package in the extensions draft's registry. */
    public static final int LAST_RESORT_COMPONENT = 0x0004;
    /**
     * Default lifetime: 84 days, starting an hour back to tolerate clock skew. The whole window,
     * 84 days and an hour, is the longest that OpenMLS-based peers which enforce RFC 9420 §7.2's
     * maximum total lifetime accept (their MAX_LEAF_NODE_LIFETIME_RANGE_SECONDS).
     */
    public static final long DEFAULT_LIFETIME_SECONDS = 84L * 24 * 3600;

    private final KeyPackage keyPackage;
    private final byte[] initPrivateKey;
    private final byte[] encryptionPrivateKey;

    public KeyPackageBundle(KeyPackage keyPackage, byte[] initPrivateKey, byte[] encryptionPrivateKey) {
        this.keyPackage = keyPackage;
        this.initPrivateKey = initPrivateKey.clone();
        this.encryptionPrivateKey = encryptionPrivateKey.clone();
    }

    /** A fresh KeyPackage for {@code identity}, valid from now (minus an hour) for the default lifetime. */
    public static KeyPackageBundle create(Identity identity, long nowSeconds, RandomSource random) {
        return create(identity, nowSeconds - 3600, nowSeconds + DEFAULT_LIFETIME_SECONDS, new ArrayList<>(),
                new ArrayList<>(), false, random);
    }

    /**
     * A fresh KeyPackage.
     *
     * @param keyPackageExtensions extensions of the KeyPackage itself
     * @param leafExtensions extensions of its LeafNode (their types must be in the identity's capabilities)
     * @param lastResort marks it as a last-resort KeyPackage
     */
    public static KeyPackageBundle create(Identity identity, long notBefore, long notAfter,
            List<Extension> keyPackageExtensions, List<Extension> leafExtensions, boolean lastResort, RandomSource random) {
        CipherSuite suite = identity.suite();
        if (Long.compareUnsigned(notBefore, notAfter) > 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "lifetime ends before it starts");
        }
        List<Extension> kpExt = new ArrayList<>(keyPackageExtensions);
        if (lastResort) {
            kpExt.add(lastResortExtension());
        }
        KeyPair init = suite.hpke().generateKeyPair(random);
        KeyPair enc = suite.hpke().generateKeyPair(random);
        LeafNode unsignedLeaf = new LeafNode(enc.publicKey(), identity.signaturePublicKey(), identity.credential(),
                identity.capabilities(), LeafNode.SOURCE_KEY_PACKAGE, new Lifetime(notBefore, notAfter), null,
                new ArrayList<>(leafExtensions), new byte[0]);
        // The group id is unused for key_package leaves; an empty array, not null: TeaVM 0.15's wasm-gc
        // backend fails to compile a literal null inlined where an array is expected (see docs).
        LeafNode leaf = unsignedLeaf.withSignature(identity.sign("LeafNodeTBS", unsignedLeaf.toBeSigned(new byte[0], 0)));
        KeyPackage unsignedKp = new KeyPackage(1, suite.id(), init.publicKey(), leaf, kpExt, new byte[0]);
        KeyPackage kp = new KeyPackage(1, suite.id(), init.publicKey(), leaf, kpExt,
                identity.sign("KeyPackageTBS", unsignedKp.toBeSigned()));
        KeyPackageBundle b = new KeyPackageBundle(kp, init.privateKey(), enc.privateKey());
        return b;
    }

    /** app_data_dictionary with one entry: last_resort_key_package, empty data. */
    static Extension lastResortExtension() {
        TlsWriter w = new TlsWriter(8);
        int mark = w.beginVector();
        w.u16(LAST_RESORT_COMPONENT).opaque(new byte[0]);
        w.endVector(mark);
        return new Extension(ExtensionType.APP_DATA_DICTIONARY, w.toByteArray());
    }

    /** Whether a KeyPackage is marked last-resort. */
    public static boolean isLastResort(KeyPackage kp) {
        for (Extension e : kp.extensions) {
            if (e.type() == ExtensionType.APP_DATA_DICTIONARY) {
                TlsReader entries = new TlsReader(e.data()).vector();
                while (entries.hasRemaining()) {
                    int component = entries.u16();
                    entries.opaque();
                    if (component == LAST_RESORT_COMPONENT) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public KeyPackage keyPackage() {
        return keyPackage;
    }

    public byte[] initPrivateKey() {
        return initPrivateKey.clone();
    }

    public byte[] encryptionPrivateKey() {
        return encryptionPrivateKey.clone();
    }

    public byte[] toBytes() {
        TlsWriter w = new TlsWriter(512);
        w.u16(STATE_VERSION);
        keyPackage.encode(w);
        w.opaque(initPrivateKey).opaque(encryptionPrivateKey);
        return w.toByteArray();
    }

    public static KeyPackageBundle fromBytes(byte[] data) {
        TlsReader in = new TlsReader(data);
        int version = in.u16();
        if (version != STATE_VERSION) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "saved KeyPackage version " + version + "; this build reads "
                    + STATE_VERSION);
        }
        KeyPackageBundle b = new KeyPackageBundle(KeyPackage.decode(in), in.opaque(), in.opaque());
        in.finish();
        return b;
    }

    /** Zeroes the private keys (once the KeyPackage was used, unless it is last-resort). */
    public void erase() {
        Arrays.fill(initPrivateKey, (byte) 0);
        Arrays.fill(encryptionPrivateKey, (byte) 0);
    }
}
