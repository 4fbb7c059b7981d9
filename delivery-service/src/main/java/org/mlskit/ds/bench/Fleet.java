package org.mlskit.ds.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.ds.auth.ChallengeProof;
import org.mlskit.ds.client.DsClient;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * The benchmark's devices and groups, made through the DS's own API before anything is timed:
 * every device registers, uploads a KeyPackage and joins its group from the Welcome; each then
 * encrypts a pool of real PrivateMessages, ready to send as prepared HTTP requests.
 */
final class Fleet {
    static final SecureRandomSource RANDOM = new SecureRandomSource();

    /** One device: its MLS state, its DS client and what it will send. */
    static final class Device {
        final int index;
        final DsClient ds;
        final String base;
        /** Where its DS listens. */
        final InetSocketAddress to;
        KeyPackageBundle bundle;
        Group group;
        /** Whole HTTP requests, pre-encoded for {@link Wire}. */
        byte[][] pool;
        int next;
        Receipts receipts;

        Device(int index, DsClient ds, String base) {
            this.index = index;
            this.ds = ds;
            this.base = base;
            URI u = URI.create(base);
            this.to = new InetSocketAddress(u.getHost(), u.getPort());
        }

        /** The next pooled message (round robin: the DS reads only the framing). */
        synchronized byte[] nextRequest() {
            byte[] r = pool[next];
            next = (next + 1) % pool.length;
            return r;
        }
    }

    /** One group: its id, its members (the first creates it and makes every commit). */
    static final class Room {
        final int index;
        final byte[] id;
        final List<Device> members;
        /** Sequence numbers accepted in this group since the last check (its members' expected mailbox). */
        final List<Long> accepted = new ArrayList<>();

        Room(int index, byte[] id, List<Device> members) {
            this.index = index;
            this.id = id;
            this.members = members;
        }

        Device committer() {
            return members.get(0);
        }

        synchronized void accepted(long seq) {
            accepted.add(seq);
        }
    }

    /** The set-up's client (DsClient); the timed runs go through {@link #wire} and {@link #sockets}. */
    final HttpClient http;
    /** Requests; the mailbox sockets on their own thread so that bursts of frames do not delay answers. */
    final Wire wire;
    final Wire sockets;
    final List<Device> devices = new ArrayList<>();
    final List<Room> rooms = new ArrayList<>();
    /** Every device's owning room (by device index). */
    Room[] roomOf;
    /** The highest sequence number the set-up made: subscriptions start after it. */
    long setupHead;

    Fleet(HttpClient http) throws java.io.IOException {
        this.http = http;
        this.wire = new Wire("bench-wire");
        this.sockets = new Wire("bench-sockets");
    }


    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Registers the devices and builds the groups: {@code groups} of {@code members}, then one of {@code big}. */
    void build(List<String> bases, int groups, int members, int big, int pool, ExecutorService ex) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            sizes.add(members);
        }
        if (big > 0) {
            sizes.add(big);
        }
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        roomOf = new Room[total];
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        for (int i = 0; i < total; i++) {
            String base = bases.get(i % bases.size());
            String user = "b" + run + "u" + i;
            Identity id = Identity.generate(CipherSuite.of(1), ChallengeProof.credentialFor(user, "d"), RANDOM);
            devices.add(new Device(i, new DsClient(base, user, "d", id, http), base));
        }
        all(ex, devices, d -> {
            d.ds.register();
            long now = System.currentTimeMillis() / 1000;
            d.bundle = KeyPackageBundle.create(d.ds.identity(), now - 3600, now + 86400, List.of(), List.of(), false, RANDOM);
            d.ds.uploadKeyPackages(List.of(new MlsMessage(WireFormat.KEY_PACKAGE, d.bundle.keyPackage()).toBytes()));
            return null;
        });
        int at = 0;
        for (int r = 0; r < sizes.size(); r++) {
            List<Device> m = new ArrayList<>(devices.subList(at, at + sizes.get(r)));
            at += sizes.get(r);
            byte[] gid = ("bench-" + run + "-" + r).getBytes(StandardCharsets.UTF_8);
            Room room = new Room(r, gid, m);
            rooms.add(room);
            for (Device d : m) {
                roomOf[d.index] = room;
            }
        }
        List<Long> heads = all(ex, rooms, this::form);
        setupHead = heads.stream().mapToLong(Long::longValue).max().orElse(0);
        all(ex, devices, d -> {
            d.pool = new byte[pool][];
            Room room = roomOf[d.index];
            InetSocketAddress to = d.to;
            String path = "/v1/groups/" + Base64.getUrlEncoder().withoutPadding().encodeToString(room.id) + "/messages";
            String auth = "Bearer " + d.ds.token();
            for (int i = 0; i < pool; i++) {
                byte[] text = ("bench message " + i + " from " + d.ds.user() + " padded to a chat-like length.....")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] msg;
                synchronized (d.group) {
                    msg = d.group.encrypt(text, new byte[0]);
                }
                d.pool[i] = Wire.post(to, path, "message/mls", auth, msg);
            }
            return null;
        });
    }

    /** Creates a room, adds its other members with one commit, joins them from the Welcome; returns the last seq. */
    private long form(Room room) {
        Device creator = room.committer();
        Group g = Group.create(creator.ds.identity(), room.id, List.of(), GroupConfig.DEFAULT, RANDOM);
        creator.ds.createGroup(room.id, g.groupInfo(true, true));
        List<KeyPackage> kps = new ArrayList<>();
        for (Device d : room.members.subList(1, room.members.size())) {
            DsClient.Claimed c = creator.ds.claim(d.ds.user(), 1).get(0);
            if (!c.ok()) {
                throw new IllegalStateException(d.ds.user() + ": " + c.status());
            }
            kps.add((KeyPackage) MlsMessage.fromBytes(c.keyPackage()).body);
        }
        StagedCommit staged = g.add(kps);
        DsClient.Accepted a = creator.ds.commit(room.id, staged.message(), staged.welcome(), g.groupInfo(staged, true, true));
        g.merge(staged);
        creator.group = g;
        for (Device d : room.members.subList(1, room.members.size())) {
            d.group = Group.join(staged.welcome(), d.bundle, d.ds.identity(), null, GroupConfig.DEFAULT, RANDOM);
        }
        return a.seq() + 1; // the Welcome follows the commit
    }

    /** Opens every device's live mailbox after the set-up and waits until each is caught up. */
    void subscribe() throws Exception {
        for (Device d : devices) {
            d.receipts = new Receipts();
            sockets.subscribe(d.to, "/v1/mailbox/ws?after=" + setupHead + "&token="
                    + java.net.URLEncoder.encode(d.ds.token(), StandardCharsets.UTF_8), d.receipts);
        }
        for (Device d : devices) {
            d.receipts.live.get(60, TimeUnit.SECONDS);
        }
    }

    void close() {
        wire.close();
        sockets.close();
    }

    interface Task<T, R> {
        R run(T t) throws Exception;
    }

    /** Runs {@code task} over {@code items} on {@code ex}; the first failure fails the set-up. */
    static <T, R> List<R> all(ExecutorService ex, List<T> items, Task<T, R> task) throws Exception {
        List<Future<R>> fs = new ArrayList<>();
        for (T t : items) {
            Callable<R> c = () -> task.run(t);
            fs.add(ex.submit(c));
        }
        List<R> out = new ArrayList<>();
        for (Future<R> f : fs) {
            out.add(f.get(10, TimeUnit.MINUTES));
        }
        return out;
    }

    static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
    }
}
