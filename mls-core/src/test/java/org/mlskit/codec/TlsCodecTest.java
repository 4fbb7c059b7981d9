package org.mlskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.codec.DecodeException.Reason;

class TlsCodecTest {

    private static DecodeException fails(Reason reason, String hex, java.util.function.Consumer<TlsReader> read) {
        DecodeException e = assertThrows(DecodeException.class, () -> {
            TlsReader r = new TlsReader(Hex.decode(hex));
            read.accept(r);
            r.finish();
        });
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(ErrorCode.MALFORMED, e.code());
        return e;
    }

    @Test
    void roundTripsEveryFieldKind() {
        TlsWriter w = new TlsWriter(1);
        w.u8(0xfe).u16(0xbeef).u32(0xdeadbeef).u64(0x0123456789abcdefL).opaque(new byte[300]).utf8("héllo");
        int mark = w.beginVector();
        for (int i = 0; i < 100; i++) {
            w.u16(i);
        }
        w.endVector(mark);
        TlsReader r = new TlsReader(w.toByteArray());
        assertEquals(0xfe, r.u8());
        assertEquals(0xbeef, r.u16());
        assertEquals(0xdeadbeef, r.u32());
        assertEquals(0x0123456789abcdefL, r.u64());
        assertEquals(300, r.opaque().length);
        assertEquals("héllo", r.utf8());
        TlsReader v = r.vector();
        for (int i = 0; i < 100; i++) {
            assertEquals(i, v.u16());
        }
        v.finish();
        r.finish();
    }

    @Test
    void vectorHeadersAreMinimalAtEveryBoundary() {
        int[] lengths = {0, 63, 64, 16383, 16384, 1 << 20};
        int[] sizes = {1, 1, 2, 2, 4, 4};
        for (int i = 0; i < lengths.length; i++) {
            TlsWriter w = new TlsWriter();
            int mark = w.beginVector();
            w.raw(new byte[lengths[i]]);
            w.endVector(mark);
            assertEquals(sizes[i] + lengths[i], w.size());
            TlsReader r = new TlsReader(w.toByteArray());
            assertEquals(lengths[i], r.opaque().length);
            r.finish();
        }
    }

    @Test
    void truncatedInput() {
        fails(Reason.TRUNCATED, "00", r -> r.u16());
        fails(Reason.TRUNCATED, "000000", r -> r.u32());
        fails(Reason.TRUNCATED, "", r -> r.u8());
        fails(Reason.TRUNCATED, "40", r -> r.varint());
        fails(Reason.TRUNCATED, "8000", r -> r.varint());
        fails(Reason.TRUNCATED, "0102", r -> r.fixed(3));
    }

    @Test
    void declaredLengthBeyondInput() {
        fails(Reason.LENGTH_BEYOND_INPUT, "0501020304", r -> r.opaque());
        fails(Reason.LENGTH_BEYOND_INPUT, "4100", r -> r.vector());
        // A huge declared length must not allocate: 2^30 - 1 bytes announced, 0 present.
        fails(Reason.LENGTH_BEYOND_INPUT, "bfffffff", r -> r.opaque());
    }

    @Test
    void nonMinimalAndInvalidLengths() {
        fails(Reason.NON_MINIMAL_LENGTH, "4001" + "00", r -> r.opaque());
        fails(Reason.NON_MINIMAL_LENGTH, "4000", r -> r.opaque());
        fails(Reason.NON_MINIMAL_LENGTH, "80000001" + "00", r -> r.opaque());
        fails(Reason.NON_MINIMAL_LENGTH, "80003fff", r -> r.varint());
        fails(Reason.INVALID_LENGTH, "c0000000", r -> r.varint());
    }

    @Test
    void trailingDataAndBadOptional() {
        fails(Reason.TRAILING_DATA, "0100ff", r -> r.opaque());
        fails(Reason.INVALID_VALUE, "02", r -> r.present());
        TlsReader outer = new TlsReader(Hex.decode("020102"));
        TlsReader inner = outer.vector();
        inner.u8();
        assertThrows(DecodeException.class, inner::finish);
        assertTrue(new TlsReader(Hex.decode("01")).present());
        assertFalse(new TlsReader(Hex.decode("00")).present());
    }

    /** Random bytes read as a nest of vectors give a typed error or a value, never anything else. */
    @Test
    void randomBytesNeverEscapeAsUncheckedExceptions() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[rnd.nextInt(40)];
            rnd.nextBytes(data);
            try {
                TlsReader r = new TlsReader(data);
                while (r.hasRemaining()) {
                    TlsReader v = r.vector();
                    if (v.hasRemaining() && v.present()) {
                        v.opaque();
                        v.u32();
                    }
                }
            } catch (DecodeException expected) {
                assertEquals(ErrorCode.MALFORMED, expected.code());
            }
        }
    }
}
