package org.mlskit.crypto;

import java.io.IOException;
import java.math.BigInteger;

import org.bouncycastle.crypto.signers.DSAEncoding;

/**
 * ECDSA signatures as DER {@code Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }} (RFC 9420
 * §5.1.2, RFC 8446 §4.2.3). Decoding accepts only the one DER encoding of each value, so a signature
 * cannot be re-encoded into a second valid form. Written out rather than BouncyCastle's
 * StandardDSAEncoding because that drags BouncyCastle's whole ASN.1 parser into the TeaVM output.
 */
final class EcdsaDer implements DSAEncoding {
    static final EcdsaDer INSTANCE = new EcdsaDer();

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private EcdsaDer() {
    }

    @Override
    public byte[] encode(BigInteger n, BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        int body = 2 + rb.length + 2 + sb.length;
        // r and s are below n < 2^521, so each INTEGER fits a short length and the whole a one-byte long form.
        int header = body < 0x80 ? 2 : 3;
        byte[] out = new byte[header + body];
        out[0] = SEQUENCE;
        if (body < 0x80) {
            out[1] = (byte) body;
        } else {
            out[1] = (byte) 0x81;
            out[2] = (byte) body;
        }
        int at = putInteger(out, header, rb);
        putInteger(out, at, sb);
        return out;
    }

    private static int putInteger(byte[] out, int at, byte[] value) {
        out[at] = INTEGER;
        out[at + 1] = (byte) value.length;
        System.arraycopy(value, 0, out, at + 2, value.length);
        return at + 2 + value.length;
    }

    @Override
    public BigInteger[] decode(BigInteger n, byte[] der) throws IOException {
        if (der.length < 2 || (der[0] & 0xff) != SEQUENCE) {
            throw new IOException("not a DER SEQUENCE");
        }
        int len = der[1] & 0xff;
        int at = 2;
        if (len == 0x81) {
            if (der.length < 3 || (der[2] & 0xff) < 0x80) {
                throw new IOException("non-minimal DER length");
            }
            len = der[2] & 0xff;
            at = 3;
        } else if (len > 0x80) {
            throw new IOException("DER length too long for an ECDSA signature");
        } else if (len == 0x80) {
            throw new IOException("indefinite length is not DER");
        }
        if (at + len != der.length) {
            throw new IOException("DER SEQUENCE length does not match the signature");
        }
        BigInteger r = readInteger(der, at, n);
        int sAt = at + 2 + (der[at + 1] & 0xff);
        BigInteger s = readInteger(der, sAt, n);
        if (sAt + 2 + (der[sAt + 1] & 0xff) != der.length) {
            throw new IOException("trailing bytes in the DER SEQUENCE");
        }
        return new BigInteger[] {r, s};
    }

    /** The INTEGER at {@code at}, which must lie within {@code der}, be minimal and be in [1, n). */
    private static BigInteger readInteger(byte[] der, int at, BigInteger n) throws IOException {
        if (der.length - at < 2 || (der[at] & 0xff) != INTEGER) {
            throw new IOException("expected a DER INTEGER");
        }
        int len = der[at + 1] & 0xff;
        if (len == 0 || len >= 0x80 || der.length - at - 2 < len) {
            throw new IOException("bad DER INTEGER length");
        }
        int first = der[at + 2] & 0xff;
        if (first >= 0x80) {
            throw new IOException("negative DER INTEGER");
        }
        if (first == 0 && len > 1 && (der[at + 3] & 0x80) == 0) {
            throw new IOException("non-minimal DER INTEGER");
        }
        byte[] v = new byte[len];
        System.arraycopy(der, at + 2, v, 0, len);
        BigInteger x = new BigInteger(1, v);
        if (x.signum() == 0 || x.compareTo(n) >= 0) {
            throw new IOException("ECDSA value out of range");
        }
        return x;
    }
}
