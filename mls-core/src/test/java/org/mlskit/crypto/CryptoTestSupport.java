package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** Shared helpers for the crypto bad-input tests. */
final class CryptoTestSupport {
    static final RandomSource RANDOM = new SecureRandomSource();

    private CryptoTestSupport() {
    }

    /** All seven RFC 9420 cipher suites, for {@code @MethodSource}. */
    static Stream<CipherSuite> suites() {
        return Arrays.stream(CipherSuite.all());
    }

    /** A copy of {@code in} with bit {@code bit} (0 = least significant bit of byte 0) inverted. */
    static byte[] flipBit(byte[] in, int bit) {
        byte[] out = in.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** A copy of {@code in} with one bit of byte {@code index} inverted (a different bit for different bytes). */
    static byte[] flipByte(byte[] in, int index) {
        return flipBit(in, index * 8 + index % 8);
    }

    /** Asserts that {@code body} throws an {@link MlsException} with exactly {@code code}, and nothing else. */
    static MlsException assertMls(ErrorCode code, Executable body) {
        MlsException e = assertThrows(MlsException.class, body);
        assertEquals(code, e.code(), e::getMessage);
        return e;
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
