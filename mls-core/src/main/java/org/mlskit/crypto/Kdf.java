package org.mlskit.crypto;

import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** HKDF (RFC 5869) and HMAC over one of the suite's hash functions, through BouncyCastle. */
public final class Kdf {
    private final HashAlgorithm hash;

    public Kdf(HashAlgorithm hash) {
        this.hash = hash;
    }

    public HashAlgorithm hash() {
        return hash;
    }

    /** KDF.Nh: the size of an extracted secret. */
    public int length() {
        return hash.length();
    }

    public byte[] extract(byte[] salt, byte[] ikm) {
        return mac(salt, ikm);
    }

    public byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * hash.length()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "HKDF-Expand length " + length + " out of range");
        }
        HKDFBytesGenerator gen = new HKDFBytesGenerator(hash.newDigest());
        gen.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] out = new byte[length];
        gen.generateBytes(out, 0, length);
        return out;
    }

    public byte[] mac(byte[] key, byte[] data) {
        HMac hmac = new HMac(hash.newDigest());
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
    }
}
