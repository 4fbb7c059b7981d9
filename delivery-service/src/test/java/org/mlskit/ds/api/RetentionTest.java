package org.mlskit.ds.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.TestDevice;
import org.mlskit.ds.client.DsClient;
import org.mlskit.group.Group;

/** Entries go once every recipient acknowledged them and the retention passed; not before. */
class RetentionTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void acknowledgedEntriesAreDeletedAfterTheRetentionOnly(String engine) throws Exception {
        DeliveryServiceConfig.Limits limits = DeliveryServiceConfig.Limits.DEFAULT.withRetention(1, 3600);
        try (DeliveryService ds = Engines.start(Engines.freshDb(engine), limits)) {
            TestDevice alice = TestDevice.registered(ds.baseUrl(), "ret-alice", "laptop");
            TestDevice bob = TestDevice.registered(ds.baseUrl(), "ret-bob", "phone");
            bob.upload(1);
            byte[] id = ("ret-" + System.nanoTime()).getBytes();
            Group ga = alice.createGroup(id);
            alice.invite(ga, "ret-bob");
            for (int i = 0; i < 5; i++) {
                alice.ds.send(id, ga.encrypt(("ret: " + i).getBytes(), new byte[0]));
            }
            List<DsClient.Entry> bobs = bob.ds.fetch(0, 100).entries();
            assertEquals(6, bobs.size(), "Welcome and five messages");
            long last = bobs.get(5).seq();
            Thread.sleep(2100);
            assertEquals(0, ds.clean(), "alice has acknowledged nothing: nothing goes");
            alice.ds.ack(last);
            assertEquals(0, ds.clean(), "bob has acknowledged nothing yet");
            assertEquals(6, bob.ds.fetch(0, 100).entries().size());
            bob.ds.ack(bobs.get(2).seq());
            long deleted = ds.clean();
            assertEquals(4, deleted, "the Welcome, the commit (bob never receives it) and two messages");
            List<DsClient.Entry> rest = bob.ds.fetch(0, 100).entries();
            assertEquals(3, rest.size());
            assertEquals(bobs.get(3).seq(), rest.get(0).seq());
            bob.ds.ack(last);
            assertEquals(3, ds.clean());
            assertTrue(bob.ds.fetch(0, 100).entries().isEmpty());
            assertEquals(last, bob.ds.ack(1), "acknowledgements never go back");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aBacklogOfSeveralChunksGoesInOnePassAndYoungerMessagesStay(String engine) throws Exception {
        DeliveryServiceConfig.Limits limits = DeliveryServiceConfig.Limits.DEFAULT.withRetention(1, 3600);
        try (DeliveryService ds = Engines.start(Engines.freshDb(engine), limits)) {
            TestDevice alice = TestDevice.registered(ds.baseUrl(), "chunk-alice", "laptop");
            byte[] id = ("chunk-" + System.nanoTime()).getBytes();
            Group ga = alice.createGroup(id);
            int old = 2 * org.mlskit.ds.mailbox.Retention.CHUNK + 7;
            for (int i = 0; i < old; i++) {
                alice.ds.send(id, ga.encrypt(new byte[] {(byte) i}, new byte[0]));
            }
            Thread.sleep(2100);
            long last = 0;
            for (int i = 0; i < 3; i++) {
                last = alice.ds.send(id, ga.encrypt(new byte[] {(byte) i}, new byte[0])).seq();
            }
            alice.ds.ack(last);
            assertEquals(old, ds.clean(), "every message older than the retention, over three chunks");
            assertEquals(0, ds.clean(), "the three younger messages stay");
        }
    }
}
