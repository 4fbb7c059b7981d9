package org.mlskit.keys;

import java.util.List;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/** A KeyPackage (RFC 9420 §10): what a client publishes so others can add it to groups. */
public final class KeyPackage implements Encodable {
    public final int version;
    public final int cipherSuite;
    public final byte[] initKey;
    public final LeafNode leafNode;
    public final List<Extension> extensions;
    public final byte[] signature;

    public KeyPackage(int version, int cipherSuite, byte[] initKey, LeafNode leafNode, List<Extension> extensions,
            byte[] signature) {
        this.version = version;
        this.cipherSuite = cipherSuite;
        this.initKey = initKey;
        this.leafNode = leafNode;
        this.extensions = extensions;
        this.signature = signature;
    }

    /** KeyPackageTBS. */
    public byte[] toBeSigned() {
        TlsWriter w = new TlsWriter(512);
        encodeContent(w);
        return w.toByteArray();
    }

    private void encodeContent(TlsWriter out) {
        out.u16(version).u16(cipherSuite).opaque(initKey);
        leafNode.encode(out);
        Extension.encodeList(out, extensions);
    }

    @Override
    public void encode(TlsWriter out) {
        encodeContent(out);
        out.opaque(signature);
    }

    /** KeyPackageRef = RefHash("MLS 1.0 KeyPackage Reference", KeyPackage) (§5.2). */
    public byte[] ref(CipherSuite suite) {
        return suite.refHash("MLS 1.0 KeyPackage Reference", toBytes());
    }

    public static KeyPackage decode(TlsReader in) {
        int version = in.u16();
        int suite = in.u16();
        byte[] init = in.opaque();
        LeafNode leaf = LeafNode.decode(in);
        List<Extension> ext = Extension.decodeList(in);
        return new KeyPackage(version, suite, init, leaf, ext, in.opaque());
    }
}
