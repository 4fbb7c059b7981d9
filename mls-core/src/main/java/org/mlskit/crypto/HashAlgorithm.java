package org.mlskit.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/** The hash functions RFC 9420's cipher suites use. */
public enum HashAlgorithm {
    SHA256(32), SHA384(48), SHA512(64);

    private final int length;

    HashAlgorithm(int length) {
        this.length = length;
    }

    /** Output length in bytes (KDF.Nh for the suite's HKDF). */
    public int length() {
        return length;
    }

    /** A fresh digest (BouncyCastle digests are stateful, so one per use). */
    public Digest newDigest() {
        switch (this) {
            case SHA256:
                return new SHA256Digest();
            case SHA384:
                return new SHA384Digest();
            default:
                return new SHA512Digest();
        }
    }

    public byte[] hash(byte[] data) {
        Digest d = newDigest();
        d.update(data, 0, data.length);
        byte[] out = new byte[length];
        d.doFinal(out, 0);
        return out;
    }
}
