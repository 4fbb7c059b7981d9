package org.mlskit.crypto;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * LabeledExtract and LabeledExpand of RFC 9180 §4 under one suite_id ("KEM" or "HPKE" plus the
 * algorithm identifiers), on BouncyCastle's HMAC.
 */
final class HpkeLabels {
    private static final byte[] VERSION = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);

    private final HashAlgorithm hash;
    private final byte[] suiteId;

    HpkeLabels(HashAlgorithm hash, byte[] suiteId) {
        this.hash = hash;
        this.suiteId = suiteId;
    }

    static byte[] kemSuiteId(Kem kem) {
        return new byte[] {'K', 'E', 'M', (byte) (kem.id() >> 8), (byte) kem.id()};
    }

    static byte[] hpkeSuiteId(Kem kem, int kdfId, int aeadId) {
        return new byte[] {'H', 'P', 'K', 'E', (byte) (kem.id() >> 8), (byte) kem.id(), (byte) (kdfId >> 8), (byte) kdfId,
            (byte) (aeadId >> 8), (byte) aeadId};
    }

    int hashLength() {
        return hash.length();
    }

    /** LabeledExtract(salt, label, ikm) = HMAC(salt, "HPKE-v1" || suite_id || label || ikm); an empty salt is Nh zeros. */
    byte[] extract(byte[] salt, String label, byte[] ikm) {
        HMac mac = new HMac(hash.newDigest());
        mac.init(new KeyParameter(salt.length == 0 ? new byte[hash.length()] : salt));
        mac.update(VERSION, 0, VERSION.length);
        mac.update(suiteId, 0, suiteId.length);
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        mac.update(l, 0, l.length);
        mac.update(ikm, 0, ikm.length);
        byte[] out = new byte[hash.length()];
        mac.doFinal(out, 0);
        return out;
    }

    /** An HMAC keyed once with a PRK, for several LabeledExpands from it. */
    HMac keyed(byte[] prk) {
        HMac mac = new HMac(hash.newDigest());
        mac.init(new KeyParameter(prk));
        return mac;
    }

    /** LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L). */
    byte[] expand(HMac prk, String label, byte[] info, int length) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        int nh = hash.length();
        byte[] out = new byte[length];
        byte[] t = new byte[nh];
        for (int i = 1, done = 0; done < length; i++, done += nh) {
            if (i > 1) {
                prk.update(t, 0, nh);
            }
            prk.update((byte) (length >> 8));
            prk.update((byte) length);
            prk.update(VERSION, 0, VERSION.length);
            prk.update(suiteId, 0, suiteId.length);
            prk.update(l, 0, l.length);
            prk.update(info, 0, info.length);
            prk.update((byte) i);
            prk.doFinal(t, 0); // also resets the HMAC to its keyed state
            System.arraycopy(t, 0, out, done, Math.min(nh, length - done));
        }
        java.util.Arrays.fill(t, (byte) 0);
        return out;
    }
}
