package org.mlskit.schedule;

import java.util.Arrays;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/** psk_secret of RFC 9420 §8.4, chained over any number of PSKs in the order the Commit lists them. */
public final class PskSecret {
    private PskSecret() {
    }

    /** {@code ids.get(i)} goes with {@code psks.get(i)}; no PSKs gives null (the key schedule's zero vector). */
    public static byte[] compute(CipherSuite suite, List<PreSharedKeyId> ids, List<byte[]> psks) {
        if (ids.size() != psks.size()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, ids.size() + " PSK ids but " + psks.size() + " PSKs");
        }
        if (ids.isEmpty()) {
            return null;
        }
        int nh = suite.kdf().length();
        byte[] zero = new byte[nh];
        byte[] secret = new byte[nh];
        for (int i = 0; i < ids.size(); i++) {
            byte[] extracted = suite.kdf().extract(zero, psks.get(i));
            TlsWriter label = new TlsWriter();
            label.write(ids.get(i)).u16(i).u16(ids.size());
            byte[] input = suite.expandWithLabel(extracted, "derived psk", label.toByteArray(), nh);
            byte[] next = suite.kdf().extract(input, secret);
            Arrays.fill(extracted, (byte) 0);
            Arrays.fill(input, (byte) 0);
            Arrays.fill(secret, (byte) 0);
            secret = next;
        }
        return secret;
    }
}
