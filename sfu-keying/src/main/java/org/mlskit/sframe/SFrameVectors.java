package org.mlskit.sframe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.crypto.Kdf;
import org.mlskit.vectors.JsonValue;

/**
 * Checks the sections of RFC 9605's vector file ({@code header}, {@code aes_ctr_hmac},
 * {@code aes_256_ctr_hmac}, {@code sframe}) and of the working group's AES-256 file
 * ({@code sframe_aes_256_ctr_hmac}). Runs unchanged on the JVM and in the TeaVM builds. KID and
 * CTR are read as decimal strings and parsed as unsigned 64-bit integers, never through a double:
 * the JVM's gson gives a number's literal text, and the JS tests quote them before
 * {@code JSON.parse}.
 */
public final class SFrameVectors {
    /** Every section name this class checks. */
    public static final String[] SECTIONS = {"header", "aes_ctr_hmac", "aes_256_ctr_hmac", "sframe", "sframe_aes_256_ctr_hmac"};

    private SFrameVectors() {
    }

    /** Pass and fail counts of one section, with a reason for each failure. */
    public static final class Report {
        public final String section;
        public int passed;
        public int failed;
        public final List<String> failures = new ArrayList<>();

        Report(String section) {
            this.section = section;
        }

        /** The failures, one a line, and last {@code N passed, M failed}. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            for (String f : failures) {
                sb.append("FAILED ").append(f).append('\n');
            }
            return sb.append(section).append(": ").append(passed).append(" passed, ").append(failed).append(" failed").toString();
        }
    }

    /** Checks every entry of {@code entries}, the array of section {@code section}. */
    public static Report verify(String section, JsonValue entries) {
        if (!Arrays.asList(SECTIONS).contains(section)) {
            throw new SFrameException(SFrameError.UNSUPPORTED, "unknown SFrame vector section '" + section + "'; known: "
                    + String.join(", ", SECTIONS));
        }
        Report r = new Report(section);
        for (int i = 0; i < entries.length(); i++) {
            try {
                check(section, entries.at(i));
                r.passed++;
            } catch (RuntimeException e) {
                r.failed++;
                r.failures.add(section + " entry " + i + ": " + e.getMessage());
            }
        }
        return r;
    }

    private static void check(String section, JsonValue e) {
        switch (section) {
            case "header":
                checkHeader(e);
                break;
            case "aes_ctr_hmac":
            case "aes_256_ctr_hmac":
                checkCtrHmac(e);
                break;
            case "sframe":
            case "sframe_aes_256_ctr_hmac":
                checkSFrame(e);
                break;
            default:
                throw new IllegalStateException("section " + section);
        }
    }

    /** An unsigned 64-bit decimal, exactly; anything else (a sign, a fraction, an overflow) is refused. */
    public static long parseU64(String s) {
        if (s.isEmpty() || s.length() > 20) {
            throw new IllegalArgumentException("not a uint64: '" + s + "'");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, 0x1999999999999999L) > 0) {
                throw new IllegalArgumentException("not a uint64: '" + s + "'");
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new IllegalArgumentException("not a uint64: '" + s + "'");
            }
            v = next;
        }
        return v;
    }

    private static long u64(JsonValue e, String key) {
        return parseU64(field(e, key).asString());
    }

    private static JsonValue field(JsonValue e, String key) {
        JsonValue v = e.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing field " + key);
        }
        return v;
    }

    private static byte[] hex(JsonValue e, String key) {
        return Hex.decode(field(e, key).asString());
    }

    private static void expect(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(what + ": expected " + Hex.toHexString(expected) + ", got " + Hex.toHexString(actual));
        }
    }

    private static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + Long.toUnsignedString(expected) + ", got "
                    + Long.toUnsignedString(actual));
        }
    }

    private static void checkHeader(JsonValue e) {
        long kid = u64(e, "kid");
        long ctr = u64(e, "ctr");
        byte[] encoded = hex(e, "encoded");
        expect("encoded header", encoded, SFrameHeader.of(kid, ctr).encode());
        SFrameHeader h = SFrameHeader.decode(encoded);
        expect("decoded KID", kid, h.kid());
        expect("decoded CTR", ctr, h.ctr());
        expect("header length", encoded.length, h.length());
        // every proper prefix is a truncated header
        for (int n = 0; n < encoded.length; n++) {
            try {
                SFrameHeader.decode(Arrays.copyOf(encoded, n));
                throw new IllegalStateException("a " + n + "-byte prefix decoded");
            } catch (SFrameException ex) {
                if (ex.code() != SFrameError.MALFORMED) {
                    throw ex;
                }
            }
        }
    }

    private static void checkCtrHmac(JsonValue e) {
        SFrameSuite suite = SFrameSuite.of((int) field(e, "cipher_suite").asLong());
        byte[] key = hex(e, "key");
        byte[] nonce = hex(e, "nonce");
        byte[] aad = hex(e, "aad");
        byte[] pt = hex(e, "pt");
        byte[] ct = hex(e, "ct");
        if (!suite.isCtrHmac()) {
            throw new IllegalStateException(suite + " is not an AES-CTR+HMAC suite");
        }
        AesCtrHmac aead = (AesCtrHmac) FrameAead.create(suite, key);
        expect("enc_key", hex(e, "enc_key"), aead.encKey());
        expect("auth_key", hex(e, "auth_key"), aead.authKey());
        byte[] sealed = new byte[pt.length + suite.nt()];
        aead.seal(nonce, aad, aad.length, new byte[0], pt, 0, pt.length, sealed, 0);
        expect("ct", ct, sealed);
        byte[] opened = new byte[ct.length - suite.nt()];
        if (!aead.open(nonce, aad, aad.length, new byte[0], ct, 0, ct.length, opened, 0)) {
            throw new IllegalStateException("ct does not authenticate");
        }
        expect("pt", pt, opened);
        byte[] forged = ct.clone();
        forged[forged.length - 1] ^= 1;
        if (aead.open(nonce, aad, aad.length, new byte[0], forged, 0, forged.length, opened, 0)) {
            throw new IllegalStateException("a flipped tag bit authenticates");
        }
    }

    private static void checkSFrame(JsonValue e) {
        SFrameSuite suite = SFrameSuite.of((int) field(e, "cipher_suite").asLong());
        long kid = u64(e, "kid");
        long ctr = u64(e, "ctr");
        byte[] baseKey = hex(e, "base_key");
        byte[] metadata = hex(e, "metadata");
        byte[] pt = hex(e, "pt");
        byte[] ct = hex(e, "ct");
        expect("sframe_key_label", hex(e, "sframe_key_label"), SFrameKey.keyLabel(kid, suite));
        expect("sframe_salt_label", hex(e, "sframe_salt_label"), SFrameKey.saltLabel(kid, suite));
        expect("sframe_secret", hex(e, "sframe_secret"), new Kdf(suite.hash()).extract(new byte[0], baseKey));
        SFrameKey k = SFrameKey.derive(suite, kid, baseKey);
        expect("sframe_key", hex(e, "sframe_key"), k.key());
        expect("sframe_salt", hex(e, "sframe_salt"), k.salt());
        expect("nonce", hex(e, "nonce"), k.nonce(ctr).clone());
        byte[] header = SFrameHeader.of(kid, ctr).encode();
        byte[] aad = Arrays.copyOf(header, header.length + metadata.length);
        System.arraycopy(metadata, 0, aad, header.length, metadata.length);
        expect("aad", hex(e, "aad"), aad);
        expect("ct", ct, k.encrypt(ctr, metadata, pt));
        expect("pt", pt, k.decrypt(ct, metadata));
        // through the public API too: a receive key with a replay window, and the same frame twice
        SFrameReceiver r = new SFrameReceiver(SFrameKey.derive(suite, kid, baseKey), ReplayWindow.DEFAULT_SIZE);
        expect("pt via receiver", pt, r.decrypt(SFrameHeader.decode(ct), ct, metadata));
        try {
            r.decrypt(SFrameHeader.decode(ct), ct, metadata);
            throw new IllegalStateException("the same frame decrypted twice");
        } catch (SFrameException ex) {
            if (ex.code() != SFrameError.REPLAY) {
                throw ex;
            }
        }
    }
}
