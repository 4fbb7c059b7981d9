package org.mlskit.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsWriter;

/** The summary codec: a round trip drives anti-entropy as the in-memory summary does; bad bytes are MALFORMED. */
class LogSummaryTest {
    @Test
    void roundTripAnswersLikeTheMap() {
        Peers p = new Peers();
        List<String> names = List.of("alice", "bob");
        p.create(names, names, MultiSessionConfig.DEFAULT);
        Step a = p.get("alice").start(p.keyPackagesFor("alice", names));
        Step b = p.get("bob").start(p.keyPackagesFor("bob", names));
        Step msg = p.get("alice").protect("hi".getBytes(StandardCharsets.UTF_8));
        // bob has alice's first entry only
        p.get("bob").receive(a.publish.get(0));
        Map<String, LogBook.Head> bobs = p.get("bob").book().summary();
        byte[] wire = LogSummary.toBytes(bobs);
        Map<String, LogBook.Head> back = LogSummary.fromBytes(wire);
        assertEquals(bobs.keySet(), back.keySet());
        for (String k : bobs.keySet()) {
            assertEquals(bobs.get(k).count, back.get(k).count);
            assertArrayEquals(bobs.get(k).hash(), back.get(k).hash());
        }
        assertArrayEquals(wire, LogSummary.toBytes(back));
        List<LogEntry> missing = p.get("alice").book().missingFor(back);
        assertEquals(p.get("alice").book().missingFor(bobs).size(), missing.size());
        assertTrue(missing.size() >= msg.publish.size(), "alice's later entries are missing at bob");
        assertTrue(b.publish.size() > 0);
        assertEquals(0, LogSummary.fromBytes(LogSummary.toBytes(new TreeMap<>())).size());
    }

    private static byte[] heads(Object... authorCountHash) {
        TlsWriter w = new TlsWriter();
        int m = w.beginVector();
        for (int i = 0; i < authorCountHash.length; i += 3) {
            w.utf8((String) authorCountHash[i]).u32((Integer) authorCountHash[i + 1]).opaque((byte[]) authorCountHash[i + 2]);
        }
        w.endVector(m);
        return w.toByteArray();
    }

    private static void malformed(byte[] data) {
        MlsException e = assertThrows(MlsException.class, () -> LogSummary.fromBytes(data));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    @Test
    void badBytesAreMalformed() {
        byte[] h = new byte[32];
        assertEquals(2, LogSummary.fromBytes(heads("a", 1, h, "b", 0, new byte[0])).size());
        malformed(heads("b", 1, h, "a", 1, h)); // unsorted
        malformed(heads("a", 1, h, "a", 2, h)); // repeated
        malformed(heads("a", -1, h)); // count beyond 2^31-1
        malformed(heads("a", 0, h)); // a hash without entries
        malformed(heads("a", 3, new byte[0])); // entries without a hash
        byte[] ok = heads("a", 1, h);
        byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
        malformed(trailing);
        malformed(java.util.Arrays.copyOf(ok, ok.length - 1));
        malformed(new byte[0]);
    }
}
