package org.mlskit.keys;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** Validity interval of a KeyPackage's leaf, in seconds since the Unix epoch (RFC 9420 §7.2). */
public final class Lifetime implements Encodable {
    public final long notBefore;
    public final long notAfter;

    public Lifetime(long notBefore, long notAfter) {
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u64(notBefore).u64(notAfter);
    }

    public static Lifetime decode(TlsReader in) {
        long nb = in.u64();
        return new Lifetime(nb, in.u64());
    }
}
