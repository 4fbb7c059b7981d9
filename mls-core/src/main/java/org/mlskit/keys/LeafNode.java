package org.mlskit.keys;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/**
 * A LeafNode (RFC 9420 §7.2): a member's public keys, credential, capabilities and how the leaf
 * came to be (in a KeyPackage, an Update or a Commit), signed by the member. Immutable; the
 * fields are read-only by contract.
 */
public final class LeafNode implements Encodable {
    public static final int SOURCE_KEY_PACKAGE = 1;
    public static final int SOURCE_UPDATE = 2;
    public static final int SOURCE_COMMIT = 3;

    public final byte[] encryptionKey;
    public final byte[] signatureKey;
    public final Credential credential;
    public final Capabilities capabilities;
    public final int source;
    /** For a key_package source; null otherwise. */
    public final Lifetime lifetime;
    /** For a commit source; null otherwise. */
    public final byte[] parentHash;
    public final List<Extension> extensions;
    public final byte[] signature;

    public LeafNode(byte[] encryptionKey, byte[] signatureKey, Credential credential, Capabilities capabilities, int source,
            Lifetime lifetime, byte[] parentHash, List<Extension> extensions, byte[] signature) {
        this.encryptionKey = encryptionKey;
        this.signatureKey = signatureKey;
        this.credential = credential;
        this.capabilities = capabilities;
        this.source = source;
        this.lifetime = lifetime;
        this.parentHash = parentHash;
        this.extensions = extensions;
        this.signature = signature;
    }

    /** The same leaf with another signature (used when signing a freshly built node). */
    public LeafNode withSignature(byte[] sig) {
        return new LeafNode(encryptionKey, signatureKey, credential, capabilities, source, lifetime, parentHash, extensions,
                sig);
    }

    private void encodeContent(TlsWriter out) {
        out.opaque(encryptionKey).opaque(signatureKey);
        credential.encode(out);
        capabilities.encode(out);
        out.u8(source);
        if (source == SOURCE_KEY_PACKAGE) {
            lifetime.encode(out);
        } else if (source == SOURCE_COMMIT) {
            out.opaque(parentHash);
        }
        Extension.encodeList(out, extensions);
    }

    /**
     * LeafNodeTBS: the content, plus the group id and leaf index for update and commit leaves.
     * {@code groupId} and {@code leafIndex} are ignored for key_package leaves.
     */
    public byte[] toBeSigned(byte[] groupId, int leafIndex) {
        TlsWriter w = new TlsWriter(256);
        encodeContent(w);
        if (source != SOURCE_KEY_PACKAGE) {
            w.opaque(groupId).u32(leafIndex);
        }
        return w.toByteArray();
    }

    /** The label of a LeafNode's signature. */
    public static final String SIGNATURE_LABEL = "LeafNodeTBS";

    /** Verifies the leaf's signature with its own signature key. */
    public boolean verify(CipherSuite suite, byte[] groupId, int leafIndex) {
        return suite.verifyWithLabel(signatureKey, SIGNATURE_LABEL, toBeSigned(groupId, leafIndex), signature);
    }

    @Override
    public void encode(TlsWriter out) {
        encodeContent(out);
        out.opaque(signature);
    }

    public static LeafNode decode(TlsReader in) {
        byte[] enc = in.opaque();
        byte[] sig = in.opaque();
        Credential cred = Credential.decode(in);
        Capabilities caps = Capabilities.decode(in);
        int at = in.position();
        int source = in.u8();
        Lifetime lifetime = null;
        byte[] parentHash = null;
        switch (source) {
            case SOURCE_KEY_PACKAGE:
                lifetime = Lifetime.decode(in);
                break;
            case SOURCE_UPDATE:
                break;
            case SOURCE_COMMIT:
                parentHash = in.opaque();
                break;
            default:
                throw Codec.invalid(in, at, "leaf node source " + source);
        }
        List<Extension> ext = Extension.decodeList(in);
        return new LeafNode(enc, sig, cred, caps, source, lifetime, parentHash, ext, in.opaque());
    }
}
