package org.mlskit.crypto;

import org.bouncycastle.crypto.macs.HMac;
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
        return expander(prk).expand(info, length);
    }

    /**
     * HKDF-Expand under one PRK, keyed once: deriving several values from one secret (a ratchet's
     * key, nonce and next secret) then costs the HMAC of each info alone.
     */
    public Expander expander(byte[] prk) {
        return new Expander(prk);
    }

    /** See {@link #expander}. Not thread-safe; keep it as long as its secret. */
    public final class Expander {
        private final HMac hmac = new HMac(hash.newDigest());

        private Expander(byte[] prk) {
            hmac.init(new KeyParameter(prk));
        }

        /** HKDF-Expand(PRK, info, length) (RFC 5869 §2.3). */
        public byte[] expand(byte[] info, int length) {
            int nh = hash.length();
            if (length < 0 || length > 255 * nh) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "HKDF-Expand length " + length + " out of range");
            }
            byte[] out = new byte[length];
            byte[] t = new byte[nh];
            for (int i = 1, done = 0; done < length; i++, done += nh) {
                if (i > 1) {
                    hmac.update(t, 0, nh);
                }
                hmac.update(info, 0, info.length);
                hmac.update((byte) i);
                hmac.doFinal(t, 0); // also resets the HMAC to its keyed state
                System.arraycopy(t, 0, out, done, Math.min(nh, length - done));
            }
            java.util.Arrays.fill(t, (byte) 0);
            return out;
        }
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
