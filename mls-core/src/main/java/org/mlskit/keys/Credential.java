package org.mlskit.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * A Credential (RFC 9420 §5.3): a basic identity, or an X.509 chain (leaf first) whose validation
 * the application's identity checker does. Immutable.
 */
public final class Credential implements Encodable {
    public static final int BASIC = 1;
    public static final int X509 = 2;

    private final int type;
    private final byte[] identity;
    private final List<byte[]> certificates;

    private Credential(int type, byte[] identity, List<byte[]> certificates) {
        this.type = type;
        this.identity = identity;
        this.certificates = certificates;
    }

    public static Credential basic(byte[] identity) {
        return new Credential(BASIC, identity.clone(), null);
    }

    public static Credential x509(List<byte[]> chain) {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] c : chain) {
            copy.add(c.clone());
        }
        return new Credential(X509, null, Collections.unmodifiableList(copy));
    }

    public int type() {
        return type;
    }

    /** The identity of a basic credential; null for X.509. */
    public byte[] identity() {
        return identity == null ? null : identity.clone();
    }

    /** The DER certificates of an X.509 credential, leaf first; null for basic. */
    public List<byte[]> certificates() {
        return certificates;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(type);
        if (type == BASIC) {
            out.opaque(identity);
        } else {
            int mark = out.beginVector();
            for (byte[] c : certificates) {
                out.opaque(c);
            }
            out.endVector(mark);
        }
    }

    public static Credential decode(TlsReader in) {
        int at = in.position();
        int type = in.u16();
        switch (type) {
            case BASIC:
                return new Credential(BASIC, in.opaque(), null);
            case X509:
                return new Credential(X509, null, Codec.readList(in, TlsReader::opaque));
            default:
                throw Codec.invalid(in, at, "credential type " + type + " is not supported");
        }
    }
}
