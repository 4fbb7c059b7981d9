package org.mlskit.ds.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.TestDevice;
import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.DsException;
import org.mlskit.ds.client.Subscription;

/** POST /v1/relay on every engine, against the contract's server (DeliveryApiContract's subclasses). */
interface RelayContract {
    /** The running DS's base URL. */
    String relayBase();

    /** "sqlite" or "postgres". */
    String relayEngine();

    private static String code(Runnable r) {
        return assertThrows(DsException.class, r::run).code();
    }

    private static byte[] payload(int n, int tag) {
        byte[] b = new byte[n];
        TestDevice.RANDOM_SOURCE.nextBytes(b);
        b[0] = (byte) tag;
        return b;
    }

    @Test
    default void relayedPayloadsReachTheNamedDevicesInMailboxOrderLiveAndFromTheCursor() throws Exception {
        String base = relayBase();
        TestDevice a = TestDevice.registered(base, "relay-a", "phone");
        TestDevice b1 = TestDevice.registered(base, "relay-b", "phone");
        TestDevice b2 = TestDevice.of(base, "relay-b", "laptop", 1);
        b2.ds.register(b1.ds);
        List<DsClient.Entry> live = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (Subscription s = b2.ds.subscribe(0, new Subscription.Listener() {
            @Override
            public void entries(List<DsClient.Entry> entries) {
                live.addAll(entries);
                entries.forEach(e -> two.countDown());
            }
        })) {
            byte[] p1 = payload(300, 1);
            byte[] p2 = payload(5_000, 2);
            DsClient.Relayed r1 = a.ds.relay(List.of("relay-b"), p1);
            assertEquals(2, r1.devices(), "a user is every one of its devices");
            DsClient.Relayed r2 = a.ds.relay(List.of("relay-b/laptop", "relay-a"), p2);
            assertEquals(1, r2.devices(), "one device, and the sender's user without the sender itself");
            assertTrue(r2.seq() > r1.seq());

            List<DsClient.Entry> phone = b1.ds.fetch(0, 100).entries();
            assertEquals(1, phone.size());
            assertEquals(r1.seq(), phone.get(0).seq());
            assertArrayEquals(p1, phone.get(0).message());
            assertEquals("relay-a/phone", phone.get(0).from(), "the DS names the authenticated sender");

            List<DsClient.Entry> laptop = b2.ds.fetch(0, 100).entries();
            assertEquals(List.of(r1.seq(), r2.seq()), laptop.stream().map(DsClient.Entry::seq).toList());
            assertArrayEquals(p2, laptop.get(1).message());
            assertTrue(two.await(20, TimeUnit.SECONDS), "pushed live: " + live);
            assertEquals(List.of(r1.seq(), r2.seq()), live.stream().map(DsClient.Entry::seq).toList());
            assertArrayEquals(p1, live.get(0).message());
            assertEquals("relay-a/phone", live.get(1).from());
            assertEquals(List.of(r2.seq()), b2.ds.fetch(r1.seq(), 100).entries().stream().map(DsClient.Entry::seq).toList(),
                    "resumes from a cursor");
            assertEquals(0, a.ds.fetch(0, 100).entries().size(), "never to the sender");
            assertEquals(-1, a.ds.relay(List.of("relay-a/phone"), p1).seq(), "naming only itself stores nothing");
        }
    }

    @Test
    default void badRelaysAreRefusedWithTheirCodesAndStoreNothing() {
        String base = relayBase();
        TestDevice a = TestDevice.registered(base, "relay-bad-a", "phone");
        TestDevice b = TestDevice.registered(base, "relay-bad-b", "phone");
        byte[] p = payload(100, 3);
        assertEquals("NOT_FOUND", code(() -> a.ds.relay(List.of("relay-bad-b", "relay-nobody"), p)), "one unknown name refuses all");
        assertEquals("NOT_FOUND", code(() -> a.ds.relay(List.of("relay-bad-b/tablet"), p)));
        assertEquals("BAD_REQUEST", code(() -> a.ds.relay(List.of("relay-bad-b/phone/x"), p)));
        assertEquals("BAD_REQUEST", code(() -> a.ds.relay(List.of("relay bad"), p)));
        assertEquals("BAD_REQUEST", code(() -> a.ds.relay(List.of(), p)));
        assertEquals("BAD_REQUEST", code(() -> a.ds.relay(List.of("relay-bad-b"), new byte[0])));
        assertEquals("PAYLOAD_TOO_LARGE", code(() -> a.ds.relay(List.of("relay-bad-b"), new byte[200_000])));
        byte[] body = "{\"to\":[\"relay-bad-b\"],\"payload\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("UNAUTHENTICATED", code(() -> a.ds.send("POST", "/v1/relay", body, "application/json", null)));
        assertEquals("UNAUTHENTICATED", code(() -> a.ds.send("POST", "/v1/relay", body, "application/json", "not-a-token")));
        byte[] notBase64 = "{\"to\":[\"relay-bad-b\"],\"payload\":\"%%%\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("BAD_REQUEST", code(() -> a.ds.send("POST", "/v1/relay", notBase64, "application/json", a.ds.token())));
        byte[] toNotList = "{\"to\":\"relay-bad-b\",\"payload\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("BAD_REQUEST", code(() -> a.ds.send("POST", "/v1/relay", toNotList, "application/json", a.ds.token())));
        assertTrue(b.ds.fetch(0, 100).entries().isEmpty(), "nothing stored by a refused relay");
        assertFalse(a.ds.relay(List.of("relay-bad-b"), p).seq() < 0, "then a good one goes through");
        assertEquals(1, b.ds.fetch(0, 100).entries().size());
    }

    @Test
    default void relaySendsAreRateLimitedPerDevice() {
        try (DeliveryService small = Engines.start(Engines.freshDb(relayEngine()),
                DeliveryServiceConfig.Limits.DEFAULT.withRelays(6, 3))) {
            TestDevice a = TestDevice.registered(small.baseUrl(), "relay-rl-a", "phone");
            TestDevice b = TestDevice.registered(small.baseUrl(), "relay-rl-b", "phone");
            for (int i = 0; i < 3; i++) {
                a.ds.relay(List.of("relay-rl-b"), payload(10, i));
            }
            DsException e = assertThrows(DsException.class, () -> a.ds.relay(List.of("relay-rl-b"), payload(10, 9)));
            assertEquals("RATE_LIMITED", e.code());
            assertTrue(e.body().get("retryAfter").getAsLong() > 0);
            assertEquals(3, b.ds.fetch(0, 100).entries().size(), "the refused one is not stored");
            b.ds.relay(List.of("relay-rl-a"), payload(10, 1)); // per device: b still may
        }
    }
}
