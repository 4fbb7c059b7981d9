package org.mlskit.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** {@link MultiSession#exportFrom}: the members of a send group agree on its exporter, and outsiders get none. */
class MultiSessionExportTest {
    static final List<String> ABC = List.of("alice", "bob", "carol");
    static final byte[] CONTEXT = "ctx".getBytes(StandardCharsets.UTF_8);

    private static void deliver(Peers p, String from, Step s) {
        for (LogEntry e : s.publish) {
            for (String n : p.sessions.keySet()) {
                if (!n.equals(from)) {
                    deliver(p, n, p.get(n).receive(e));
                }
            }
        }
    }

    private static Peers started() {
        Peers p = new Peers();
        p.create(ABC, ABC, MultiSessionConfig.DEFAULT);
        for (String n : ABC) {
            deliver(p, n, p.get(n).start(p.keyPackagesFor(n, ABC)));
        }
        return p;
    }

    @Test
    void membersAgreeAndEveryEpochExportsAFreshSecret() {
        Peers p = started();
        byte[] before = p.get("alice").exportFrom("alice", "app", CONTEXT, 32);
        assertEquals(32, before.length);
        for (String n : ABC) {
            assertArrayEquals(before, p.get(n).exportFrom("alice", "app", CONTEXT, 32), n);
        }
        assertFalse(Arrays.equals(before, p.get("alice").exportFrom("alice", "other", CONTEXT, 32)), "label matters");
        assertFalse(Arrays.equals(before, p.get("alice").exportFrom("bob", "app", CONTEXT, 32)), "group matters");

        deliver(p, "bob", p.get("bob").update());
        deliver(p, "alice", p.get("alice").commit());
        byte[] after = p.get("bob").exportFrom("alice", "app", CONTEXT, 32);
        assertFalse(Arrays.equals(before, after), "a new epoch exports a new secret");
        for (String n : ABC) {
            assertArrayEquals(after, p.get(n).exportFrom("alice", "app", CONTEXT, 32), n);
        }
    }

    @Test
    void outsidersAndBadArgumentsAreTyped() {
        Peers p = started();
        deliver(p, "alice", p.get("alice").remove("carol"));
        MultiSession carol = p.get("carol");
        assertEquals(ErrorCode.UNKNOWN_MEMBER,
                assertThrows(MlsException.class, () -> carol.exportFrom("alice", "app", CONTEXT, 32)).code());
        assertEquals(ErrorCode.UNKNOWN_MEMBER,
                assertThrows(MlsException.class, () -> carol.exportFrom("zed", "app", CONTEXT, 32)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(MlsException.class, () -> carol.exportFrom("bob", "app", CONTEXT, -1)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(MlsException.class, () -> carol.exportFrom("bob", null, CONTEXT, 32)).code());
        // Carol still owns her send group, and Bob is still in it.
        assertArrayEquals(carol.exportFrom("carol", "app", CONTEXT, 16), p.get("bob").exportFrom("carol", "app", CONTEXT, 16));
    }
}
