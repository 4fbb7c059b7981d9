package org.mlskit.ds.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.client.ClientConfig;
import org.mlskit.client.ClientEngine;
import org.mlskit.client.ClientEvent;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.api.Engines;
import org.mlskit.ds.auth.ChallengeProof;
import org.mlskit.keys.Identity;

/**
 * The sans-I/O client engine (mls-core) driven by {@link EngineRunner} against a real DS on
 * loopback: three users, one with two devices, invite, chat, racing updates, a dropped socket, a
 * removal. Everyone ends on one epoch authenticator, every message arrives once, the removed user
 * sees nothing after the removal, the DS stores no plaintext.
 */
class EngineOverDsTest {
    static final SecureRandomSource RANDOM = new SecureRandomSource();

    final class Device {
        final String name;
        final Identity identity;
        final EngineRunner runner;
        final List<ClientEvent> events = new CopyOnWriteArrayList<>();

        Device(String base, String user, String device) {
            name = user + "/" + device;
            identity = Identity.generate(CipherSuite.of(1), ChallengeProof.credentialFor(user, device), RANDOM);
            runner = new EngineRunner(base, new ClientEngine(user, device, identity, ClientConfig.DEFAULT.withKeyPackages(5, 2),
                    RANDOM), events::add);
        }

        List<String> messages() {
            List<String> out = new ArrayList<>();
            for (ClientEvent e : events) {
                if (e.kind == ClientEvent.Kind.MESSAGE) {
                    out.add(new String(e.data, StandardCharsets.UTF_8));
                }
            }
            return out;
        }

        boolean has(ClientEvent.Kind k) {
            return events.stream().anyMatch(e -> e.kind == k);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void threeUsersFourDevicesChatRaceAndRemove(String engine) throws Exception {
        try (DeliveryService ds = Engines.start(Engines.freshDb(engine), DeliveryServiceConfig.Limits.DEFAULT)) {
            String base = ds.baseUrl();
            Device alice = new Device(base, "e-alice", "laptop");
            Device bob1 = new Device(base, "e-bob", "phone");
            Device bob2 = new Device(base, "e-bob", "tablet");
            Device carol = new Device(base, "e-carol", "laptop");
            List<Device> all = List.of(alice, bob1, bob2, carol);
            alice.runner.start();
            bob1.runner.start();
            carol.runner.start();
            await("three devices are ready", () -> alice.has(ClientEvent.Kind.READY) && bob1.has(ClientEvent.Kind.READY)
                    && carol.has(ClientEvent.Kind.READY));
            // bob's second device registers with a link ticket his first asked for.
            String ticket = new DsClient(base, "e-bob", "phone", bob1.identity).linkTicket("tablet");
            bob2.runner.submit(e -> e.linkWith(ticket).start(EngineRunner.now()));
            await("bob's tablet is ready", () -> bob2.has(ClientEvent.Kind.READY));

            alice.runner.submit(e -> e.createGroup(EngineRunner.now()));
            await("the group exists", () -> alice.has(ClientEvent.Kind.JOINED));
            byte[] gid = alice.events.stream().filter(e -> e.kind == ClientEvent.Kind.JOINED).findFirst().get().groupId;
            alice.runner.submit(e -> e.invite(EngineRunner.now(), gid, "e-bob"));
            alice.runner.submit(e -> e.invite(EngineRunner.now(), gid, "e-carol"));
            await("everyone joined", () -> all.stream().allMatch(d -> d.has(ClientEvent.Kind.JOINED)));
            await("alice sees four devices", () -> alice.runner.query(e -> e.members(gid)).size() == 4);

            Map<String, String> sent = new ConcurrentHashMap<>();
            for (int round = 0; round < 3; round++) {
                for (Device d : all) {
                    String text = engine + " round " + round + " from " + d.name;
                    sent.put(text, d.name);
                    d.runner.submit(e -> e.send(EngineRunner.now(), gid, text.getBytes(StandardCharsets.UTF_8)));
                }
                // Racing commits: two members update at once; both intents must land.
                bob1.runner.submit(e -> e.update(EngineRunner.now(), gid));
                carol.runner.submit(e -> e.update(EngineRunner.now(), gid));
                if (round == 1) {
                    bob2.runner.dropSocket();
                }
            }
            try {
                await("every message reached every other device", () -> all.stream().allMatch(d -> d.messages().size()
                        == sent.size() - sent.values().stream().filter(d.name::equals).count()));
            } catch (AssertionError e) {
                for (Device d : all) {
                    System.out.println(d.name + " epoch " + d.runner.query(x -> x.group(gid).epoch()) + " cursor "
                            + d.runner.query(ClientEngine::cursor) + " " + d.events.stream().filter(x -> x.kind != ClientEvent.Kind.SENT).toList()
                            + " " + d.messages());
                }
                DsClient probe = new DsClient(base, "e-bob", "tablet", bob2.identity);
                System.out.println("bob/tablet mailbox at the DS: " + probe.fetch(0, 100).entries().stream()
                        .map(DsClient.Entry::seq).toList());
                throw e;
            }
            await("no intent left", () -> all.stream().allMatch(d -> d.runner.query(e -> e.pendingIntents(gid)) == 0));
            for (Device d : all) {
                for (String text : sent.keySet()) {
                    if (!sent.get(text).equals(d.name)) {
                        assertEquals(1, d.messages().stream().filter(text::equals).count(), d.name + " got '" + text + "' once");
                    }
                }
            }
            long epochBefore = alice.runner.query(e -> e.group(gid).epoch());
            assertTrue(epochBefore >= 2 + 6, "two invites and six updates, none lost to a race: epoch " + epochBefore);

            alice.runner.submit(e -> e.removeUser(EngineRunner.now(), gid, "e-carol"));
            await("carol learns she was removed", () -> carol.has(ClientEvent.Kind.REMOVED));
            String after = engine + " after carol left";
            alice.runner.submit(e -> e.send(EngineRunner.now(), gid, after.getBytes(StandardCharsets.UTF_8)));
            await("bob's devices read it", () -> bob1.messages().contains(after) && bob2.messages().contains(after));
            Thread.sleep(300);
            assertFalse(carol.messages().contains(after), "carol never sees a message sent after her removal");

            byte[] auth = alice.runner.query(e -> e.group(gid).epochAuthenticator());
            for (Device d : List.of(bob1, bob2)) {
                assertArrayEquals(auth, d.runner.query(e -> e.group(gid).epochAuthenticator()), d.name + " epoch authenticator");
            }
            assertEquals(List.of("e-alice/laptop", "e-bob/phone", "e-bob/tablet"),
                    alice.runner.query(e -> e.members(gid)).stream().sorted().toList());

            // The DS holds none of the plaintexts.
            List<String> texts = new ArrayList<>(sent.keySet());
            texts.add(after);
            long hits = ds.database().read(s -> {
                long n = 0;
                try (ResultSet rs = s.connection().createStatement().executeQuery("SELECT bytes FROM messages")) {
                    while (rs.next()) {
                        String b = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
                        for (String t : texts) {
                            n += b.contains(t) ? 1 : 0;
                        }
                    }
                }
                return n;
            });
            assertEquals(0, hits);
            for (Device d : all) {
                d.runner.close();
            }
        }
    }
}
