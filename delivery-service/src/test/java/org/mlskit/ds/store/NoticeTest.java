package org.mlskit.ds.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NoticeTest {
    private static final String INSTANCE = "5b0c8a3e-1f7d-4c62-9a51-0d8e7f6a2b19";

    private static List<Written> entries(int n, int size, long firstId, Random rnd) {
        List<Written> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[size];
            rnd.nextBytes(bytes);
            boolean welcome = i % 7 == 3;
            byte[] group = welcome ? null : new byte[] {(byte) i, 2, 3};
            long[] to = welcome ? new long[] {i, 1L << 40, 17} : null;
            out.add(new Written(firstId + i, group, welcome ? 0 : 1 + i % 3, bytes, to));
        }
        return out;
    }

    private static void assertSame(List<Written> want, List<Written> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            Written a = want.get(i);
            Written b = got.get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.kind(), b.kind());
            assertArrayEquals(a.groupId(), b.groupId());
            assertArrayEquals(a.bytes(), b.bytes());
            assertArrayEquals(a.to(), b.to());
        }
    }

    @Test
    void entriesComeBackInOrderOverAsFewNoticesAsFit() {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 5, 30, 200}) {
            List<Written> sent = entries(n, 180, 1_000_000_000_123L, rnd);
            List<String> payloads = Notice.payloads(INSTANCE, sent);
            List<Written> got = new ArrayList<>();
            int binary = 0;
            for (String p : payloads) {
                assertTrue(p.length() <= Notice.MAX_PAYLOAD, "a payload of " + p.length() + " characters");
                Notice notice = Notice.parse(p);
                assertEquals(INSTANCE, notice.instance());
                got.addAll(notice.written());
                binary += p.length() - INSTANCE.length() - 1;
            }
            assertSame(sent, got);
            // As few as fit: every notice but the last is at least 2/3 full.
            int floor = (int) Math.ceil(binary / (double) Notice.MAX_PAYLOAD);
            assertTrue(payloads.size() <= floor + 1, n + " entries in " + payloads.size() + " notices");
        }
    }

    @Test
    void tooLargeATransactionSendsTheInstanceAlone() {
        Random rnd = new Random(8);
        List<Written> oneHuge = entries(1, 7_000, 5, rnd);
        assertEquals(List.of(INSTANCE), Notice.payloads(INSTANCE, oneHuge));
        List<Written> many = entries(Notice.MAX_NOTICES * 40, 180, 5, rnd);
        assertEquals(List.of(INSTANCE), Notice.payloads(INSTANCE, many));
        assertEquals(List.of(INSTANCE), Notice.payloads(INSTANCE, List.of()));
        Notice bare = Notice.parse(INSTANCE);
        assertEquals(INSTANCE, bare.instance());
        assertNull(bare.written());
    }

    @Test
    void aPayloadThisClassDidNotWriteIsRefused() {
        String good = Notice.payloads(INSTANCE, entries(3, 50, 9, new Random(9))).get(0);
        String body = good.substring(good.indexOf(':') + 1);
        byte[] raw = java.util.Base64.getDecoder().decode(body);
        String truncated = INSTANCE + ":" + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, raw.length - 3));
        assertThrows(IllegalArgumentException.class, () -> Notice.parse(truncated));
        assertThrows(IllegalArgumentException.class, () -> Notice.parse(INSTANCE + ":"));
        assertThrows(IllegalArgumentException.class, () -> Notice.parse(INSTANCE + ":not base64!"));
        // Out of order: the second entry's id below the first's.
        byte[] swapped = raw.clone();
        java.nio.ByteBuffer.wrap(swapped).putLong(0, Long.MAX_VALUE);
        String unordered = INSTANCE + ":" + java.util.Base64.getEncoder().encodeToString(swapped);
        assertThrows(IllegalArgumentException.class, () -> Notice.parse(unordered));
    }

    @Test
    void theSenderIsKnownBeforeParsing() {
        String withEntries = Notice.payloads(INSTANCE, entries(2, 40, 1, new Random(4))).get(0);
        assertTrue(Notice.isFrom(withEntries, INSTANCE));
        assertTrue(Notice.isFrom(INSTANCE, INSTANCE)); // the id alone
        String other = "0d8e7f6a-1f7d-4c62-9a51-5b0c8a3e2b19";
        assertFalse(Notice.isFrom(withEntries, other));
        assertFalse(Notice.isFrom(INSTANCE + "x:" + withEntries.substring(INSTANCE.length() + 1), INSTANCE));
        assertFalse(Notice.isFrom(INSTANCE.substring(0, 10), INSTANCE));
    }
}
