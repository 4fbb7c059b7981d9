package org.mlskit.ds.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlskit.ds.api.DsError;

class TokensTest {
    private final byte[] key = new byte[32];
    private final Tokens tokens = new Tokens(key, 3600);

    @Test
    void aTicketHoldsForItsDeviceUntilItExpires() {
        long now = 1_800_000_000L;
        String t = tokens.linkTicket("alice", "laptop", now);
        assertTrue(tokens.checkTicket(t, "alice", "laptop", now));
        assertTrue(tokens.checkTicket(t, "alice", "laptop", now + Tokens.TICKET_SECONDS - 1));
        assertFalse(tokens.checkTicket(t, "alice", "laptop", now + Tokens.TICKET_SECONDS), "expired");
        assertFalse(tokens.checkTicket(t, "alice", "phone", now));
        assertFalse(tokens.checkTicket(t, "alicf", "laptop", now));
        assertFalse(tokens.checkTicket(t.substring(1), "alice", "laptop", now), "too short");
        assertFalse(tokens.checkTicket(t.replace(t.charAt(3), t.charAt(3) == 'Z' ? 'Y' : 'Z'), "alice", "laptop", now));
        assertFalse(tokens.checkTicket(t.replace(t.charAt(3), '0'), "alice", "laptop", now), "not in the alphabet");
        byte[] other = key.clone();
        other[0] = 1;
        assertFalse(new Tokens(other, 3600).checkTicket(t, "alice", "laptop", now), "another server's key");
    }

    @Test
    void aRememberedTokenStillExpires() {
        Principal p = new Principal(7, "alice", "phone");
        String t = tokens.issue(p, 1000);
        assertEquals(p, tokens.check(t, 1000));
        assertEquals(p, tokens.check(t, 1000 + 3599)); // from memory now
        DsError e = assertThrows(DsError.class, () -> tokens.check(t, 1000 + 3600));
        assertEquals(DsError.Code.UNAUTHENTICATED, e.code());
        char[] c = t.toCharArray();
        c[c.length - 2] = c[c.length - 2] == 'A' ? 'B' : 'A';
        assertEquals(DsError.Code.UNAUTHENTICATED, assertThrows(DsError.class, () -> tokens.check(new String(c), 1000)).code());
    }
}
