package org.mlskit.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Bad input to the frame cipher: truncation, tampering, unknown KIDs, replays, counter exhaustion. */
class FrameCipherTest {
    private static final byte[] BASE = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MD = "rtp-ext".getBytes(StandardCharsets.US_ASCII);

    static void assertCode(SFrameError code, Executable e) {
        assertEquals(code, assertThrows(SFrameException.class, e).code());
    }

    private static SFrameContext pair(SFrameSuite suite, long kid, SFrameContext[] receiver) {
        SFrameContext tx = new SFrameContext(suite);
        tx.addSendKey(kid, BASE);
        receiver[0] = new SFrameContext(suite, 64);
        receiver[0].addReceiveKey(kid, BASE);
        return tx;
    }

    @ParameterizedTest
    @EnumSource(SFrameSuite.class)
    void tamperingAnyByteFailsAuthenticationAndChangesNothing(SFrameSuite suite) {
        SFrameContext[] rx = new SFrameContext[1];
        SFrameContext tx = pair(suite, 300, rx);
        byte[] pt = new byte[100];
        Arrays.fill(pt, (byte) 7);
        byte[] frame = tx.encrypt(300, MD, pt);
        assertEquals(3 + 100 + suite.nt(), frame.length); // KID 300 takes 2 bytes, CTR 0 none
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= 0x10;
            // a flipped header bit may name another KID (no key) or break the header, else the tag fails
            SFrameException ex = assertThrows(SFrameException.class, () -> rx[0].decrypt(MD, bad));
            if (i >= 3) {
                assertEquals(SFrameError.AUTHENTICATION_FAILED, ex.code(), "byte " + i);
            }
        }
        byte[] otherMd = MD.clone();
        otherMd[0] ^= 1;
        assertCode(SFrameError.AUTHENTICATION_FAILED, () -> rx[0].decrypt(otherMd, frame));
        assertCode(SFrameError.MALFORMED, () -> rx[0].decrypt(MD, Arrays.copyOf(frame, 3 + suite.nt() - 1)));
        assertCode(SFrameError.MALFORMED, () -> rx[0].decrypt(MD, Arrays.copyOf(frame, 2)));
        assertCode(SFrameError.MALFORMED, () -> rx[0].decrypt(MD, new byte[0]));
        // none of that moved the replay window: the genuine frame decrypts once, then is a replay
        assertArrayEquals(pt, rx[0].decrypt(MD, frame));
        assertCode(SFrameError.REPLAY, () -> rx[0].decrypt(MD, frame));
    }

    @Test
    void aTamperedCounterInTheHeaderFailsAuthentication() {
        SFrameContext[] rx = new SFrameContext[1];
        SFrameContext tx = pair(SFrameSuite.AES_128_GCM_SHA256_128, 1, rx);
        byte[] frame = tx.encrypt(1, MD, new byte[10]);
        byte[] bad = frame.clone();
        bad[0] = 0x11; // KID 1, CTR 1 instead of 0
        assertCode(SFrameError.AUTHENTICATION_FAILED, () -> rx[0].decrypt(MD, bad));
        bad[0] = 0x20; // KID 2
        assertCode(SFrameError.UNKNOWN_KEY, () -> rx[0].decrypt(MD, bad));
    }

    @Test
    void keysEncryptOrDecryptNeverBoth() {
        SFrameContext c = new SFrameContext(SFrameSuite.AES_128_CTR_HMAC_SHA256_80);
        c.addSendKey(5, BASE);
        byte[] frame = c.encrypt(5, MD, new byte[1]);
        assertCode(SFrameError.UNKNOWN_KEY, () -> c.decrypt(MD, frame));
        assertCode(SFrameError.INVALID_STATE, () -> c.addReceiveKey(5, BASE));
        assertCode(SFrameError.UNKNOWN_KEY, () -> c.encrypt(6, MD, new byte[1]));
        assertEquals(true, c.removeKey(5));
        assertCode(SFrameError.UNKNOWN_KEY, () -> c.encrypt(5, MD, new byte[1]));
        assertCode(SFrameError.INVALID_ARGUMENT, () -> c.addSendKey(9, new byte[0]));
    }

    @Test
    void theCounterNeverWraps() {
        SFrameKey key = SFrameKey.derive(SFrameSuite.AES_128_GCM_SHA256_128, 0, BASE);
        SFrameSender s = new SFrameSender(key, -2L); // 2^64-2
        SFrameReceiver r = new SFrameReceiver(SFrameKey.derive(SFrameSuite.AES_128_GCM_SHA256_128, 0, BASE), 1024);
        byte[] f1 = s.encrypt(MD, new byte[] {1});
        byte[] f2 = s.encrypt(MD, new byte[] {2});
        assertEquals(17 - 8, f1.length - 1 - 16); // config byte, no KID bytes, 8 CTR bytes, 1 byte, tag
        assertEquals(-1L, SFrameHeader.decode(f2).ctr());
        assertEquals(true, s.isExhausted());
        assertCode(SFrameError.COUNTER_EXHAUSTED, () -> s.encrypt(MD, new byte[] {3}));
        assertCode(SFrameError.COUNTER_EXHAUSTED, () -> s.encrypt(MD, new byte[] {3}));
        assertArrayEquals(new byte[] {2}, r.decrypt(SFrameHeader.decode(f2), f2, MD));
        assertArrayEquals(new byte[] {1}, r.decrypt(SFrameHeader.decode(f1), f1, MD));
    }

    @Test
    void erasedKeysRefuse() {
        SFrameKey key = SFrameKey.derive(SFrameSuite.AES_256_CTR_HMAC_SHA512_32, 0, BASE);
        byte[] frame = key.encrypt(0, MD, new byte[4]);
        key.erase();
        assertEquals(true, key.isErased());
        assertCode(SFrameError.UNKNOWN_KEY, () -> key.encrypt(1, MD, new byte[4]));
        assertCode(SFrameError.UNKNOWN_KEY, () -> key.decrypt(frame, MD));
        assertArrayEquals(new byte[key.salt().length], key.salt());
        assertArrayEquals(new byte[key.key().length], key.key());
    }

    @Test
    void headerEdgeCases() {
        for (long v : new long[] {0, 7, 8, 255, 256, 65535, 65536, Long.MAX_VALUE, Long.MIN_VALUE, -1L}) {
            for (long w : new long[] {0, 7, 8, -1L}) {
                byte[] enc = SFrameHeader.of(v, w).encode();
                SFrameHeader h = SFrameHeader.decode(enc);
                assertEquals(v, h.kid());
                assertEquals(w, h.ctr());
                assertEquals(enc.length, h.length());
            }
        }
        assertEquals(SFrameHeader.MAX_LENGTH, SFrameHeader.of(-1L, -1L).length());
        assertEquals("SFrameHeader(kid=18446744073709551615, ctr=8)", SFrameHeader.of(-1L, 8).toString());
        // non-minimal forms: a value below 8 in an extra byte, a leading zero byte
        assertCode(SFrameError.MALFORMED, () -> SFrameHeader.decode(new byte[] {(byte) 0x80, 0x05}));
        assertCode(SFrameError.MALFORMED, () -> SFrameHeader.decode(new byte[] {0x09, 0x00, 0x10}));
        assertCode(SFrameError.MALFORMED, () -> SFrameHeader.decode(new byte[] {(byte) 0xf0, 1, 2, 3, 4, 5, 6, 7}));
    }

    @Test
    void replayWindow() {
        ReplayWindow w = new ReplayWindow(32);
        w.check(100);
        w.accept(100);
        assertCode(SFrameError.REPLAY, () -> w.check(100));
        w.check(99);
        w.accept(99);
        assertCode(SFrameError.REPLAY, () -> w.check(99));
        w.check(69); // 31 behind
        assertCode(SFrameError.REPLAY, () -> w.check(68)); // 32 behind: too old
        w.accept(131); // jump 31 ahead: 100 and 99 stay seen, 101..130 are not
        assertCode(SFrameError.REPLAY, () -> w.check(100));
        w.check(101);
        w.accept(1000); // far ahead clears everything
        assertCode(SFrameError.REPLAY, () -> w.check(131));
        w.check(999);
        w.accept(-1L); // up to 2^64-1, unsigned
        assertCode(SFrameError.REPLAY, () -> w.check(1000));
        assertCode(SFrameError.REPLAY, () -> w.check(-1L));
        w.check(-2L);
        assertCode(SFrameError.INVALID_ARGUMENT, () -> new ReplayWindow(48).size());
        assertCode(SFrameError.INVALID_ARGUMENT, () -> new ReplayWindow(16).size());
    }

    @Test
    void unsupportedSuite() {
        assertCode(SFrameError.UNSUPPORTED, () -> SFrameSuite.of(9));
        assertCode(SFrameError.UNSUPPORTED, () -> SFrameSuite.of(0));
    }
}
