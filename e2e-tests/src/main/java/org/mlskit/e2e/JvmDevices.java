package org.mlskit.e2e;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

import org.mlskit.client.ClientConfig;
import org.mlskit.client.ClientEngine;
import org.mlskit.client.ClientEvent;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.ds.auth.ChallengeProof;
import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.EngineRunner;
import org.mlskit.keys.Identity;

/**
 * The JVM devices of ClientBench: the real client engine ({@link ClientEngine} over
 * {@link EngineRunner}) against the real DS. A "crowd" user is many devices of one user (a
 * further device registers with a link ticket, as a second device of a person does), so that
 * one {@code invite} of that user adds all of them in one commit; once its KeyPackages are at the
 * DS a crowd device is stopped (it stays a member, offline). The peer stays online to exchange
 * messages with the page.
 */
final class JvmDevices implements AutoCloseable {
    static final SecureRandomSource RANDOM = new SecureRandomSource();
    /** Devices per crowd user: one invite (one commit) adds this many members. */
    static final int PER_USER = 100;
    private static final ClientConfig CROWD = ClientConfig.DEFAULT.withKeyPackages(2, 1);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(6);
    private final Map<String, List<String>> crowds = new LinkedHashMap<>();
    private final List<Peer> peers = new ArrayList<>();
    private final AtomicInteger registered = new AtomicInteger();

    JvmDevices(String base) {
        this.base = base;
    }

    int registered() {
        return registered.get();
    }

    /**
     * The crowd users named {@code name-uI} that together have {@code devices} devices (at most
     * {@link #PER_USER} each), registered on first use; returns their user names.
     */
    synchronized List<String> crowd(String name, int devices) throws Exception {
        List<String> users = crowds.get(name);
        if (users != null) {
            return users;
        }
        users = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0, left = devices; left > 0; i++, left -= PER_USER) {
            String user = name + "-u" + i;
            registerUser(user, Math.min(PER_USER, left));
            users.add(user);
        }
        crowds.put(name, users);
        ClientBench.progress(String.format("crowd %s: %d JVM devices of %d users registered with KeyPackages in %.1f s",
                name, devices, users.size(), (System.nanoTime() - t0) / 1e9));
        return users;
    }

    private void registerUser(String user, int devices) throws Exception {
        Identity first = identity(user, "d0");
        join(user, "d0", first, null);
        DsClient linker = new DsClient(base, user, "d0", first, http);
        List<Future<?>> started = new ArrayList<>();
        for (int d = 1; d < devices; d++) {
            String device = "d" + d;
            String ticket = linker.linkTicket(device);
            started.add(pool.submit(() -> {
                join(user, device, identity(user, device), ticket);
                return null;
            }));
        }
        for (Future<?> f : started) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    private static Identity identity(String user, String device) {
        return Identity.generate(CipherSuite.of(1), ChallengeProof.credentialFor(user, device), RANDOM);
    }

    /** Starts one crowd device, waits until the DS holds its KeyPackages, stops it. */
    private void join(String user, String device, Identity identity, String ticket) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        List<String> errors = new CopyOnWriteArrayList<>();
        try (EngineRunner r = new EngineRunner(base, new ClientEngine(user, device, identity, CROWD, RANDOM), e -> {
            if (e.kind == ClientEvent.Kind.READY) {
                ready.countDown();
            } else if (e.kind == ClientEvent.Kind.ERROR) {
                errors.add(e.code + ": " + e.text);
            }
        })) {
            if (ticket == null) {
                r.start();
            } else {
                r.submit(e -> e.linkWith(ticket).start(EngineRunner.now()));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(user + "/" + device + " did not sign in: " + errors);
            }
            // READY comes when signed in; an invite needs the KeyPackages stored as well.
            DsClient probe = new DsClient(base, user, device, identity, http);
            long until = System.currentTimeMillis() + 30_000;
            while (remaining(probe.keyPackageCount()) == 0) {
                if (System.currentTimeMillis() > until) {
                    throw new IllegalStateException(user + "/" + device + " has no KeyPackages at the DS: " + errors);
                }
                Thread.sleep(10);
            }
        }
        registered.incrementAndGet();
    }

    private static int remaining(JsonObject count) {
        JsonObject r = count.getAsJsonObject("remaining");
        return r.has("1") ? r.get("1").getAsInt() : 0;
    }

    /** An online device that reads and sends messages. */
    Peer peer(String user, String device) throws Exception {
        Peer p = new Peer(user, device);
        peers.add(p);
        p.runner.start();
        p.await(e -> e.kind == ClientEvent.Kind.READY, 60_000, "the peer signs in");
        // As for the crowd: invitable only once its KeyPackages are stored.
        DsClient probe = new DsClient(base, user, device, p.identity, http);
        long until = System.currentTimeMillis() + 30_000;
        while (remaining(probe.keyPackageCount()) == 0) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException(user + "/" + device + " has no KeyPackages at the DS");
            }
            Thread.sleep(10);
        }
        return p;
    }

    final class Peer {
        final String name;
        final Identity identity;
        final EngineRunner runner;
        final List<ClientEvent> events = new CopyOnWriteArrayList<>();

        Peer(String user, String device) {
            name = user + "/" + device;
            identity = identity(user, device);
            runner = new EngineRunner(base, new ClientEngine(user, device, identity, ClientConfig.DEFAULT, RANDOM), events::add);
        }

        ClientEvent await(Predicate<ClientEvent> p, long ms, String what) throws InterruptedException {
            long until = System.currentTimeMillis() + ms;
            for (;;) {
                for (ClientEvent e : events) {
                    if (p.test(e)) {
                        return e;
                    }
                }
                if (runner.failure != null) {
                    throw new IllegalStateException(name + " failed", runner.failure);
                }
                if (System.currentTimeMillis() > until) {
                    throw new IllegalStateException("timed out after " + ms + " ms waiting until " + what + " (" + name + ")");
                }
                Thread.sleep(5);
            }
        }

        /** Waits for the Welcome of the group with id {@code hex}; returns its id. */
        byte[] awaitJoined(String hex, long ms) throws InterruptedException {
            return await(e -> e.kind == ClientEvent.Kind.JOINED && HexFormat.of().formatHex(e.groupId).equals(hex), ms,
                    "it joins " + hex).groupId;
        }

        void send(byte[] group, String text) {
            runner.submit(e -> e.send(EngineRunner.now(), group, text.getBytes(StandardCharsets.UTF_8)));
        }

        /** Waits until it has read {@code text} from {@code sender} ("user/device"). */
        void awaitMessage(String sender, String text, long ms) throws InterruptedException {
            await(e -> e.kind == ClientEvent.Kind.MESSAGE && sender.equals(e.sender)
                    && text.equals(new String(e.data, StandardCharsets.UTF_8)), ms, "it reads '" + text + "'");
        }

        List<String> errors() {
            List<String> out = new ArrayList<>();
            for (ClientEvent e : events) {
                if (e.kind == ClientEvent.Kind.ERROR) {
                    out.add(e.code + ": " + e.text);
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        for (Peer p : peers) {
            p.runner.close();
        }
        pool.shutdownNow();
    }
}
