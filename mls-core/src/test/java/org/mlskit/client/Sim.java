package org.mlskit.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;

/**
 * A seeded discrete-event simulation: engines, the {@link SimDs} and a network between them with
 * random latency, lost answers (the DS acted, the engine hears UNREACHABLE), dropped mailbox
 * sockets and device restarts from persisted state. The same seed replays the same run.
 */
final class Sim {
    static final SecureRandomSource CRYPTO = new SecureRandomSource();

    static final boolean TRACE = Boolean.getBoolean("sim.trace");
    final Random rnd;
    final SimDs ds = new SimDs();
    long now = System.currentTimeMillis(); // mls-core checks lifetimes against the real clock
    double lossRate;
    double dropRate;
    /** Chance that a device crashes while writing an Output: a random prefix of its writes lands, then it restarts. */
    double crashRate;
    int crashes;
    int crashesAfterCommit;
    private long order;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
            : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new HashMap<>();
    final Map<String, Dev> devices = new HashMap<>();
    final ClientConfig config;

    /** A device: its engine, its persisted store, what it told the app. */
    final class Dev {
        final String name;
        final Identity identity;
        ClientEngine engine;
        final Map<String, byte[]> store = new HashMap<>();
        final List<ClientEvent> events = new ArrayList<>();
        /** Crash while writing the next Output that saves anything. */
        boolean crashNext;
        /** Messages of Outputs whose save was torn after the commit record: durable, never shown (the host died first). */
        final List<String> lostAfterCommit = new ArrayList<>();
        /** All events of those Outputs (e.g. the one saying a resync began). */
        final List<ClientEvent> lostEvents = new ArrayList<>();
        long subscription = -1;
        long pushedUpTo;
        long lastPushAt;

        Dev(String name, Identity identity) {
            this.name = name;
            this.identity = identity;
        }

        /**
         * Acts on an Output as a host does: saves it, then shows its events and makes its calls. With
         * {@link #crashRate} the save stops after a random prefix of its writes and the device restarts
         * from what landed; returns false when that was before the commit record (the step never happened).
         */
        boolean apply(Output o) {
            if (!o.persist.isEmpty() && (crashNext || (crashRate > 0 && rnd.nextDouble() < crashRate))) {
                crashNext = false;
                return crash(o);
            }
            write(o, o.persist.size());
            events.addAll(o.events);
            for (ClientEvent e : o.events) {
                if (e.kind == ClientEvent.Kind.READY && !ds.lastResort.containsKey(name)
                        && ds.oneTime.getOrDefault(name, List.of()).isEmpty()) {
                    throw new AssertionError(name + ": READY before the DS held any KeyPackage of it (others could not invite it)");
                }
            }
            if (TRACE) {
                for (ClientEvent e : o.events) {
                    System.out.println(now % 100000 + " " + name + " event " + e);
                }
                for (DsCall c : o.calls) {
                    System.out.println(now % 100000 + " " + name + " call " + c);
                }
            }
            for (DsCall c : o.calls) {
                String token = engine.token();
                ClientEngine at = engine;
                after(latency(), () -> deliver(this, at, c, token));
            }
            if (o.wakeAt >= 0) {
                ClientEngine at = engine;
                at(Math.max(now, o.wakeAt), () -> {
                    if (engine == at) {
                        apply(engine.tick(now));
                    }
                });
            }
            return true;
        }

        private void write(Output o, int count) {
            int n = 0;
            for (Map.Entry<String, byte[]> e : o.persist.entrySet()) {
                if (n++ == count) {
                    return;
                }
                if (e.getValue() == null) {
                    store.remove(e.getKey());
                } else {
                    store.put(e.getKey(), e.getValue());
                }
            }
        }

        private boolean crash(Output o) {
            int count = rnd.nextInt(o.persist.size()); // never the whole save
            List<String> keys = new ArrayList<>(o.persist.keySet());
            boolean committed = keys.indexOf(ClientEngine.DEVICE_KEY) >= 0 && keys.indexOf(ClientEngine.DEVICE_KEY) < count;
            write(o, count);
            crashes++;
            if (committed) {
                crashesAfterCommit++;
                lostEvents.addAll(o.events);
                for (ClientEvent e : o.events) {
                    if (e.kind == ClientEvent.Kind.MESSAGE) {
                        lostAfterCommit.add(new String(e.data, java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            if (TRACE) {
                System.out.println(now % 100000 + " " + name + " CRASH after " + count + " of " + keys.size()
                        + " writes" + (committed ? " (committed)" : ""));
            }
            restart();
            return committed;
        }

        /** Restarts from the persisted store, as after a page reload. */
        void restart() {
            if (TRACE) {
                System.out.println(now % 100000 + " " + name + " RESTART");
            }
            engine = ClientEngine.restore(new HashMap<>(store), config, CRYPTO);
            subscription = -1;
            double rate = crashRate;
            crashRate = 0; // no crash while starting again
            apply(engine.start(now));
            crashRate = rate;
        }
    }

    Sim(long seed, ClientConfig config) {
        this.rnd = new Random(seed);
        this.config = config;
    }

    Dev device(String user, String device) {
        Identity id = Identity.generate(CipherSuite.of(1),
                Credential.basic((user + "/" + device).getBytes(java.nio.charset.StandardCharsets.UTF_8)), CRYPTO);
        Dev d = new Dev(user + "/" + device, id);
        d.engine = new ClientEngine(user, device, id, config, CRYPTO);
        devices.put(d.name, d);
        d.apply(d.engine.start(now));
        return d;
    }

    long latency() {
        return 1 + rnd.nextInt(40);
    }

    void after(long delay, Runnable r) {
        at(now + delay, r);
    }

    void at(long time, Runnable r) {
        long id = order++;
        actions.put(id, r);
        queue.add(new long[] {time, id});
    }

    /** Runs until nothing is scheduled before {@code until} (simulated milliseconds from now). */
    void run(long forMillis) {
        long end = now + forMillis;
        while (!queue.isEmpty() && queue.peek()[0] <= end) {
            long[] next = queue.poll();
            now = Math.max(now, next[0]);
            actions.remove(next[1]).run();
        }
        now = Math.max(now, end);
    }

    private void deliver(Dev d, ClientEngine from, DsCall c, String token) {
        if (d.engine != from) {
            return; // the device restarted; its old calls are gone with it
        }
        if (c.kind == DsCall.Kind.SUBSCRIBE) {
            d.subscription = c.id;
            d.pushedUpTo = c.after;
            d.lastPushAt = now;
            push();
            long sub = c.id;
            long upTo = d.pushedUpTo;
            at(d.lastPushAt, () -> { // after the catch-up entries, in socket order
                if (d.engine == from && d.subscription == sub) {
                    d.apply(from.live(now, upTo));
                }
            });
            return;
        }
        String dev = c.authenticated ? ds.tokenOwner.get(token) : null;
        DsReply r = c.authenticated && dev == null ? DsReply.failed(c.id, "UNAUTHENTICATED", "no token")
                : ds.handle(c, dev);
        push();
        if (rnd.nextDouble() < lossRate) {
            r = DsReply.failed(c.id, DsReply.UNREACHABLE, "answer lost"); // the DS did it; the device never heard
        }
        DsReply answer = r;
        if (TRACE) {
            System.out.println(now % 100000 + " DS " + dev + " " + c + " -> " + r
                    + (c.kind == DsCall.Kind.SEND || c.kind == DsCall.Kind.COMMIT ? " seq " + r.seq + " msg epoch "
                    + org.mlskit.group.MessageInfo.inspect(c.messages.get(0)).epoch + " room epoch "
                    + ds.rooms.values().iterator().next().epoch : ""));
        }
        after(latency(), () -> {
            if (d.engine == from) {
                d.apply(d.engine.reply(now, answer));
            }
        });
    }

    /** Pushes new entries to every subscribed device, in order per socket; sometimes drops a socket. */
    void push() {
        for (Dev d : devices.values()) {
            if (d.subscription < 0) {
                continue;
            }
            List<Entry> fresh = ds.mailbox(d.name, d.pushedUpTo, 1000);
            if (fresh.isEmpty()) {
                continue;
            }
            if (rnd.nextDouble() < dropRate) {
                long sub = d.subscription;
                d.subscription = -1;
                ClientEngine e = d.engine;
                after(latency(), () -> {
                    if (d.engine == e) {
                        d.apply(e.reply(now, DsReply.failed(sub, DsReply.UNREACHABLE, "socket closed")));
                    }
                });
                continue;
            }
            d.pushedUpTo = fresh.get(fresh.size() - 1).seq;
            long sub = d.subscription;
            ClientEngine e = d.engine;
            d.lastPushAt = Math.max(d.lastPushAt, now + latency()); // one socket: in order
            at(d.lastPushAt, () -> {
                if (d.engine == e && d.subscription == sub) {
                    d.apply(e.entries(now, fresh));
                }
            });
        }
    }
}
