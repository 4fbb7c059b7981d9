package org.mlskit.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.MessageInfo;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/**
 * The messaging client of one device, sans I/O: it takes events (DS replies, mailbox entries,
 * user intents, the time) and returns an {@link Output} (calls to make, events for the app,
 * state to persist, when to wake it). No sockets, threads or clocks inside, so the same engine
 * runs on the JVM, in wasm-gc and in JS, and tests can drive any interleaving.
 *
 * <p>It registers or logs the device in, keeps its KeyPackages at the DS, creates and joins
 * groups, turns intents (invite a user, remove a user, update, leave) into commits the DS orders,
 * re-applies an intent whose commit lost a race, holds messages of a later epoch until their
 * commit, recognises duplicates and its own echoes, resyncs a broken group by external commit,
 * and asks for its state to be persisted after every change. Calls are not re-entrant: one
 * method at a time.
 */
public final class ClientEngine {
    /**
     * Persistence key of the device record, the commit record of every save (see
     * docs/client-engine.md, "Persistence"); every other record is a version {@code NAME@GEN}.
     */
    public static final String DEVICE_KEY = "device";
    /** Format of the device record and of the engine's own records (version 1 saved groups whole). */
    static final int FORMAT = 2;

    interface Handler {
        void reply(DsReply r, long now, Output out);
    }

    /** Work for later (see {@link #later}). */
    interface Timer {
        void fire(long now, Output out);
    }

    private static final class Pending {
        final DsCall call;
        final Handler handler;
        int attempts;

        Pending(DsCall call, Handler handler) {
            this.call = call;
            this.handler = handler;
        }
    }

    private final String user;
    private final String device;
    private final Identity identity;
    private final ClientConfig config;
    private final RandomSource random;
    private final KeyPool pool = new KeyPool();
    private final Map<String, GroupSession> groups = new LinkedHashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final List<Pending> waitingForToken = new ArrayList<>();
    private final List<long[]> retries = new ArrayList<>(); // {at, call id}
    private final List<Object[]> timers = new ArrayList<>(); // {Long at, Timer}
    private Pending replying;
    private boolean registered;
    /** See {@link #linkWith}. */
    private String linkTicket;
    private String token;
    private long tokenExpiresMillis;
    private boolean authenticating;
    private long reauthAt = -1;
    private long resubscribeAt = -1;
    private int subscribeFailures;
    private boolean ready;
    /** READY was told to the app: signed in and the DS holds KeyPackages of this device (others can invite it). */
    private boolean announced;
    private boolean subscribed;
    private boolean caughtUp;
    private long cursor;
    private long ackedCursor;
    private long nextId = 1;
    private final Records records;
    private boolean deviceChanged;
    private boolean keysChanged;
    private boolean identitySaved;
    private byte[] savedKeys;

    public ClientEngine(String user, String device, Identity identity, ClientConfig config, RandomSource random) {
        this(user, device, identity, config, random, new Records());
    }

    private ClientEngine(String user, String device, Identity identity, ClientConfig config, RandomSource random,
            Records records) {
        this.records = records;
        this.user = user;
        this.device = device;
        this.identity = identity;
        this.config = config;
        this.random = random;
    }

    /**
     * Marks this device as registered already (e.g. linked as a further device of its user by
     * another of its devices): {@link #start} signs in instead of registering.
     */
    public ClientEngine registeredElsewhere() {
        registered = true;
        return this;
    }

    /**
     * Registers this new device of an existing user with a link ticket one of the user's devices
     * asked the DS for (POST /v1/devices/link-tickets). Needed only until the registration is
     * done; not persisted (a restart before then needs a new ticket).
     */
    public ClientEngine linkWith(String ticket) {
        linkTicket = ticket;
        return this;
    }

    /**
     * Restores an engine from what it persisted: the records of the last save whose commit record
     * ({@link #DEVICE_KEY}) was written; leftovers of a save torn after it, or of one torn before,
     * are deleted by the next {@link Output}. Null values count as absent.
     */
    public static ClientEngine restore(Map<String, byte[]> saved, ClientConfig config, RandomSource random) {
        byte[] d = saved.get(DEVICE_KEY);
        if (d == null) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "no saved device record");
        }
        TlsReader r = new TlsReader(d);
        int format = r.u16();
        if (format != FORMAT) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "saved device of format " + format + "; this build reads " + FORMAT);
        }
        long committed = r.u64();
        boolean registered = r.u8() == 1;
        long cursor = r.u64();
        r.finish();
        Records records = new Records();
        Map<String, byte[]> live = records.restore(saved, committed);
        byte[] idRecord = live.get(ID_RECORD);
        if (idRecord == null) {
            throw new MlsException(ErrorCode.MALFORMED, "the saved device has no identity record");
        }
        TlsReader ir = new TlsReader(idRecord);
        String user = ir.utf8();
        String device = ir.utf8();
        Identity id = Identity.fromBytes(ir.opaque());
        ir.finish();
        ClientEngine e = new ClientEngine(user, device, id, config, random, records);
        e.identitySaved = true;
        e.registered = registered;
        e.cursor = cursor;
        e.ackedCursor = cursor;
        byte[] keys = live.get(KEYS_RECORD);
        if (keys != null) {
            TlsReader kr = new TlsReader(keys);
            e.pool.decode(kr, id);
            kr.finish();
            e.savedKeys = keys;
        }
        Set<String> used = new HashSet<>();
        used.add(ID_RECORD);
        used.add(KEYS_RECORD);
        Map<String, Map<String, byte[]>> byGroup = new TreeMap<>();
        for (Map.Entry<String, byte[]> g : live.entrySet()) {
            String name = g.getKey();
            if (name.startsWith("group/")) {
                int slash = name.indexOf('/', 6);
                String key = slash < 0 ? name : name.substring(0, slash);
                byGroup.computeIfAbsent(key, k -> new HashMap<>()).put(name, g.getValue());
            }
        }
        for (Map.Entry<String, Map<String, byte[]>> g : byGroup.entrySet()) {
            GroupSession s = GroupSession.restore(e, g.getKey(), g.getValue(), config.groupConfig, used);
            if (s != null) {
                e.groups.put(s.key, s);
            }
        }
        for (String name : live.keySet()) {
            if (!used.contains(name)) {
                records.discard(name);
            }
        }
        return e;
    }

    private static final String ID_RECORD = "device/id";
    private static final String KEYS_RECORD = "device/keys";

    // ------------------------------------------------------------------ inputs

    /** Starts (or restarts after a reload): authenticates, tops up KeyPackages, opens the mailbox. */
    public Output start(long now) {
        Output out = new Output();
        authenticate(now, out);
        persistKeys(out);
        return flush(out);
    }

    /** The DS's answer to a call. */
    public Output reply(long now, DsReply r) {
        Output out = new Output();
        Pending p = pending.remove(r.id);
        if (p == null) {
            return flush(out); // a late answer to something already settled
        }
        if ("UNAUTHENTICATED".equals(r.error) && p.call.authenticated) {
            token = null;
            waitingForToken.add(p);
            authenticate(now, out);
            return flush(out);
        }
        replying = p;
        try {
            p.handler.reply(r, now, out);
        } finally {
            replying = null;
        }
        return flush(out);
    }

    /**
     * Mailbox entries pushed by the open subscription, in its order; entries at or below the cursor
     * (seen before a reconnect) are skipped.
     */
    public Output entries(long now, List<Entry> entries) {
        Output out = new Output();
        subscribeFailures = 0;
        receive(now, entries, out);
        return flush(out);
    }

    /**
     * The subscription caught up (the DS's {@code live} frame): everything up to {@code seq} was
     * delivered. Only now are messages encrypted and commits staged, so they are made in the
     * room's current epoch, not in one this device has not left yet.
     */
    public Output live(long now, long seq) {
        Output out = new Output();
        caughtUp = true;
        for (GroupSession s : new ArrayList<>(groups.values())) {
            s.resume(now, out);
        }
        return flush(out);
    }

    /** The timer asked for by {@link Output#wakeAt}: retries what is due. */
    public Output tick(long now) {
        Output out = new Output();
        for (Iterator<long[]> it = retries.iterator(); it.hasNext(); ) {
            long[] r = it.next();
            if (r[0] <= now) {
                it.remove();
                Pending p = pending.get(r[1]);
                if (p != null) {
                    issue(p, out);
                }
            } else {
                out.wake(r[0]);
            }
        }
        for (Object[] t : new ArrayList<>(timers)) {
            long at = (Long) t[0];
            if (at <= now) {
                timers.remove(t);
                ((Timer) t[1]).fire(now, out);
            } else {
                out.wake(at);
            }
        }
        if (token != null && now > tokenExpiresMillis - 60_000 && !authenticating) {
            token = null;
            authenticate(now, out);
        }
        if (reauthAt >= 0) {
            if (now >= reauthAt) {
                reauthAt = -1;
                authenticate(now, out);
            } else {
                out.wake(reauthAt);
            }
        }
        if (resubscribeAt >= 0) {
            if (now >= resubscribeAt) {
                resubscribeAt = -1;
                subscribe(now, out);
            } else {
                out.wake(resubscribeAt);
            }
        }
        return flush(out);
    }

    /** Creates a group with this device as its only member; its id comes with the JOINED event. */
    public Output createGroup(long now) {
        Output out = new Output();
        byte[] gid = new byte[16];
        random.nextBytes(gid);
        Group g = Group.create(identity, gid, new ArrayList<>(), config.groupConfig, random);
        GroupSession s = new GroupSession(this, gid, g);
        List<byte[]> body = new ArrayList<>();
        body.add(g.groupInfo(true, true));
        call(DsCall.simple(nextId(), DsCall.Kind.CREATE_GROUP, null, null, gid, body, 0), now, out, (r, t, o) -> {
            // A random 16-byte id taken on a second attempt: the first attempt made it, its answer was lost.
            if (r.ok() || ("GROUP_EXISTS".equals(r.error) && replying.attempts > 1)) {
                groups.put(s.key, s);
                o.events.add(ClientEvent.of(ClientEvent.Kind.JOINED, gid));
                o.events.add(ClientEvent.members(gid, s.members(), g.epoch()));
                o.events.add(ClientEvent.epoch(gid, g.epoch(), g.epochAuthenticator()));
                s.persist(o);
                persistDevice(o);
            } else if (isTransient(r.error)) {
                retry(t, o);
            } else {
                o.events.add(ClientEvent.error(gid, r.error, "creating the group: " + r.message));
            }
        });
        return flush(out);
    }

    /** Adds every device of {@code user} (one commit). */
    public Output invite(long now, byte[] groupId, String user) {
        return intent(now, groupId, new Intent(Intent.Kind.INVITE, user));
    }

    /** Removes every device of {@code user} (one commit). */
    public Output removeUser(long now, byte[] groupId, String user) {
        return intent(now, groupId, new Intent(Intent.Kind.REMOVE, user));
    }

    /** Updates this device's leaf (post-compromise security). */
    public Output update(long now, byte[] groupId) {
        return intent(now, groupId, new Intent(Intent.Kind.UPDATE, null));
    }

    /** Leaves: a SelfRemove proposal that another member commits. */
    public Output leave(long now, byte[] groupId) {
        Output out = new Output();
        GroupSession s = session(groupId, out);
        if (s != null) {
            s.leave(now, out);
        }
        return flush(out);
    }

    /** Sends an application message (encrypted here; the DS sees ciphertext only). */
    public Output send(long now, byte[] groupId, byte[] plaintext) {
        Output out = new Output();
        GroupSession s = session(groupId, out);
        if (s != null) {
            s.send(plaintext, now, out);
        }
        return flush(out);
    }

    private Output intent(long now, byte[] groupId, Intent i) {
        Output out = new Output();
        GroupSession s = session(groupId, out);
        if (s != null) {
            s.enqueue(i, now, out);
        }
        return flush(out);
    }

    private GroupSession session(byte[] groupId, Output out) {
        GroupSession s = groups.get(keyOf(groupId));
        if (s == null) {
            out.events.add(ClientEvent.error(groupId, "NOT_FOUND", "no such group on this device"));
        }
        return s;
    }

    /**
     * For tests and benchmarks ({@link PersistBench}): signed in and caught up without a DS, with
     * {@code g} as one of its groups. The next step saves it whole.
     */
    void adopt(Group g, String bearer) {
        registered = true;
        ready = true;
        subscribed = true;
        caughtUp = true;
        token = bearer;
        tokenExpiresMillis = Long.MAX_VALUE / 2;
        GroupSession s = new GroupSession(this, g.groupId(), g);
        groups.put(s.key, s);
        deviceChanged = true;
        keysChanged = true;
    }

    // ------------------------------------------------------------------ reading the engine

    public String user() {
        return user;
    }

    public String device() {
        return device;
    }

    /** The bearer token for authenticated calls, or null while (re)authenticating. */
    public String token() {
        return token;
    }

    public boolean ready() {
        return ready && token != null;
    }

    /** Ready, and the mailbox caught up: own messages and commits go out. */
    boolean current() {
        return ready() && caughtUp;
    }

    /** The last mailbox sequence number processed. */
    public long cursor() {
        return cursor;
    }

    /** The ids of the groups this device is in. */
    public List<byte[]> groupIds() {
        List<byte[]> out = new ArrayList<>();
        for (GroupSession s : groups.values()) {
            if (!s.removed) {
                out.add(s.groupId.clone());
            }
        }
        return out;
    }

    /** The MLS group (for reading: epoch, members, authenticator), or null. */
    public Group group(byte[] groupId) {
        GroupSession s = groups.get(keyOf(groupId));
        return s == null ? null : s.group;
    }

    /** Whether this device is in the group now (not removed, not left). */
    public boolean isMember(byte[] groupId) {
        GroupSession s = groups.get(keyOf(groupId));
        return s != null && !s.removed;
    }

    /** Members of a group as "user/device", by leaf. */
    public List<String> members(byte[] groupId) {
        GroupSession s = groups.get(keyOf(groupId));
        return s == null ? Collections.<String>emptyList() : s.members();
    }

    /** Intents of a group not yet carried by an accepted commit. */
    public int pendingIntents(byte[] groupId) {
        GroupSession s = groups.get(keyOf(groupId));
        return s == null ? 0 : s.pendingIntents();
    }

    Identity identity() {
        return identity;
    }

    GroupConfig groupConfig() {
        return config.groupConfig;
    }

    RandomSource random() {
        return random;
    }

    long nextId() {
        return nextId++;
    }

    // ------------------------------------------------------------------ calls

    void call(DsCall c, long now, Output out, Handler h) {
        Pending p = new Pending(c, h);
        pending.put(c.id, p);
        if (c.authenticated && token == null) {
            waitingForToken.add(p);
            authenticate(now, out);
            return;
        }
        issue(p, out);
    }

    private void issue(Pending p, Output out) {
        p.attempts++;
        out.calls.add(p.call);
    }

    /** Runs {@code t} at {@code at} (from {@link #tick}). */
    void later(long at, Timer t, Output out) {
        timers.add(new Object[] {at, t});
        out.wake(at);
    }

    /** The backoff before the next attempt of the call being answered. */
    long backoff() {
        return Math.min(config.maxRetryMillis, config.retryMillis << Math.min(16, Math.max(0, replying.attempts - 1)));
    }

    /** Forgets a call whose outcome no longer matters (a retry waiting for it is dropped). */
    void cancel(long id) {
        pending.remove(id);
        for (Iterator<long[]> it = retries.iterator(); it.hasNext(); ) {
            if (it.next()[1] == id) {
                it.remove();
            }
        }
    }

    /** Issues the call being answered again after a backoff (it is safe to repeat). */
    void retry(long now, Output out) {
        Pending p = replying;
        pending.put(p.call.id, p);
        long delay = Math.min(config.maxRetryMillis, config.retryMillis << Math.min(16, p.attempts - 1));
        retries.add(new long[] {now + delay, p.call.id});
        out.wake(now + delay);
    }

    static boolean isTransient(String code) {
        return DsReply.UNREACHABLE.equals(code) || "UNAVAILABLE".equals(code) || "RATE_LIMITED".equals(code)
                || "INTERNAL".equals(code);
    }

    // ------------------------------------------------------------------ authentication and KeyPackages

    private void authenticate(long now, Output out) {
        if (authenticating) {
            return;
        }
        authenticating = true;
        call(DsCall.simple(nextId(), DsCall.Kind.CHALLENGE, user, device, null, null, 0), now, out, (r, t, o) -> {
            if (!r.ok()) {
                authFailed(r, t, o);
                return;
            }
            byte[] sig = Proof.sign(identity, r.data, user, device);
            DsCall c;
            if (registered) {
                c = new DsCall(nextId(), DsCall.Kind.LOGIN, false, user, device, null, null, 0, null, null, r.data, sig, 0);
            } else {
                c = new DsCall(nextId(), DsCall.Kind.REGISTER, false, user, device, null, null, identity.suite().id(),
                        identity.signaturePublicKey(), new TlsWriter().write(identity.credential()).toByteArray(), r.data,
                        sig, 0, linkTicket);
            }
            call(c, t, o, (r2, t2, o2) -> {
                if (!r2.ok()) {
                    if ("DEVICE_EXISTS".equals(r2.error) && !registered) {
                        registered = true; // registered before, the answer was lost: log in instead
                    }
                    authFailed(r2, t2, o2);
                    return;
                }
                authenticating = false;
                registered = true;
                token = r2.token;
                tokenExpiresMillis = r2.expiresAt * 1000;
                o2.wake(tokenExpiresMillis - 60_000);
                persistDevice(o2);
                List<Pending> held = new ArrayList<>(waitingForToken);
                waitingForToken.clear();
                for (Pending p : held) {
                    issue(p, o2);
                }
                if (!ready) {
                    becomeReady(t2, o2);
                }
            });
        });
    }

    private void authFailed(DsReply r, long now, Output out) {
        authenticating = false;
        if (isTransient(r.error) || "BAD_CHALLENGE".equals(r.error) || "DEVICE_EXISTS".equals(r.error)) {
            reauthAt = now + config.retryMillis; // again from a fresh challenge after a pause
            out.wake(reauthAt);
            return;
        }
        out.events.add(ClientEvent.error(null, r.error, "cannot sign in: " + r.message));
    }

    private void becomeReady(long now, Output out) {
        ready = true;
        pool.expire(now / 1000);
        if (pool.isEmpty()) {
            upload(pool.make(identity, config.keyPackages, true, now / 1000, config.keyPackageLifetimeSeconds, random), now, out);
        } else {
            checkKeyPackages(now, out);
        }
        subscribe(now, out);
    }

    /** Tells the app once that this device is usable: signed in, and invitable or known not to be. */
    private void announceReady(Output out) {
        if (!announced) {
            announced = true;
            out.events.add(ClientEvent.of(ClientEvent.Kind.READY, null));
        }
    }

    private void subscribe(long now, Output out) {
        subscribed = true;
        call(DsCall.simple(nextId(), DsCall.Kind.SUBSCRIBE, null, null, null, null, cursor), now, out, this::subscriptionEnded);
    }

    /** The transport answers SUBSCRIBE when the socket closes: reopen it from the cursor after a pause. */
    private void subscriptionEnded(DsReply r, long now, Output out) {
        subscribed = false;
        caughtUp = false;
        long delay = Math.min(config.maxRetryMillis, config.retryMillis << Math.min(6, subscribeFailures++));
        resubscribeAt = now + delay;
        out.wake(resubscribeAt);
    }

    private void checkKeyPackages(long now, Output out) {
        call(DsCall.simple(nextId(), DsCall.Kind.KEY_PACKAGE_COUNT, null, null, null, null, 0), now, out, (r, t, o) -> {
            if (r.ok()) {
                topUp(r, t, o);
            } else if (isTransient(r.error)) {
                retry(t, o);
            } else {
                o.events.add(ClientEvent.error(null, r.error, "counting KeyPackages: " + r.message));
                announceReady(o);
            }
        });
    }

    private void upload(List<byte[]> kps, long now, Output out) {
        persistKeys(out); // the private keys are saved before the public halves leave
        call(DsCall.simple(nextId(), DsCall.Kind.UPLOAD_KEY_PACKAGES, null, null, null, kps, 0), now, out, (r, t, o) -> {
            if (r.ok()) {
                topUp(r, t, o);
            } else if (isTransient(r.error)) {
                retry(t, o);
            } else {
                o.events.add(ClientEvent.error(null, r.error, "uploading KeyPackages: " + r.message));
                announceReady(o); // signed in, but not invitable: the error says why
            }
        });
    }

    private void topUp(DsReply r, long now, Output out) {
        Integer left = r.remaining.get(identity.suite().id());
        int remaining = left == null ? 0 : left;
        if (remaining > 0) {
            announceReady(out);
        }
        boolean low = remaining < config.lowWater;
        if (low || r.rotateLastResort) {
            upload(pool.make(identity, low ? config.keyPackages - remaining : 0, r.rotateLastResort, now / 1000,
                    config.keyPackageLifetimeSeconds, random), now, out);
        }
    }

    // ------------------------------------------------------------------ the mailbox

    /**
     * Makes sure the mailbox is flowing (after a lost race, the winning commit arrives there).
     * Entries come from one subscription at a time, in order, so a cursor is enough to skip
     * what was seen; a closed subscription is reopened from the cursor.
     */
    void catchUp(long now, Output out) {
        if (!subscribed && ready() && resubscribeAt < 0) {
            subscribe(now, out);
        }
    }

    private void receive(long now, List<Entry> entries, Output out) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(e -> e.seq));
        boolean moved = false;
        for (Entry e : sorted) {
            if (e.seq <= cursor) {
                continue; // seen
            }
            cursor = e.seq;
            moved = true;
            MessageInfo info;
            try {
                info = MessageInfo.inspect(e.message);
            } catch (MlsException x) {
                out.events.add(ClientEvent.error(null, x.code().name(), "mailbox entry " + e.seq + " is not an MLSMessage"));
                continue;
            }
            if (info.wireFormat == WireFormat.WELCOME) {
                welcome(e, info, now, out);
                continue;
            }
            byte[] gid = info.groupId();
            GroupSession s = gid == null ? null : groups.get(keyOf(gid));
            if (s != null) {
                s.receive(e, info, now, out);
            }
        }
        if (moved) {
            persistDevice(out);
            if (cursor > ackedCursor && ready()) {
                ackedCursor = cursor;
                call(DsCall.simple(nextId(), DsCall.Kind.ACK, null, null, null, null, savedCursor()), now, out, (r, t, o) -> {
                    // acknowledgements are advisory: the next one covers a lost one
                });
            }
        }
    }

    private void welcome(Entry e, MessageInfo info, long now, Output out) {
        KeyPackageBundle b = pool.find(info.keyPackageRefs());
        if (b == null) {
            return; // for a KeyPackage this device no longer has (or another device's)
        }
        Group g;
        try {
            g = Group.join(e.message, b, identity, null, config.groupConfig, random);
        } catch (MlsException x) {
            out.events.add(ClientEvent.error(null, x.code().name(), "a Welcome could not be joined: " + x.getMessage()));
            return;
        }
        GroupSession existing = groups.get(keyOf(g.groupId()));
        if (existing != null && !existing.removed) {
            return;
        }
        if (existing != null) {
            records.dropTree(existing.key); // removed before, invited again: the old records go
        }
        GroupSession s = new GroupSession(this, g.groupId(), g);
        groups.put(s.key, s);
        pool.used(b, identity);
        out.events.add(ClientEvent.of(ClientEvent.Kind.JOINED, g.groupId()));
        out.events.add(ClientEvent.members(g.groupId(), s.members(), g.epoch()));
        out.events.add(ClientEvent.epoch(g.groupId(), g.epoch(), g.epochAuthenticator()));
        s.persist(out);
        persistKeys(out);
        checkKeyPackages(now, out);
    }

    // ------------------------------------------------------------------ persistence

    /** The cursor a restart may resume from: below any entry still waiting for its commit. */
    private long savedCursor() {
        long c = cursor;
        for (GroupSession s : groups.values()) {
            long w = s.lowestWaiting();
            if (w >= 0 && w - 1 < c) {
                c = w - 1;
            }
        }
        return c;
    }

    /** The cursor or the registration changed (the device record is written at the end of the step). */
    private void persistDevice(Output out) {
        deviceChanged = true;
    }

    /** The KeyPackage pool changed: its private keys are saved before the public halves leave. */
    private void persistKeys(Output out) {
        keysChanged = true;
        deviceChanged = true;
    }

    /**
     * Ends a step: puts what changed into {@code out.persist} (see {@link Records}): the groups'
     * records that moved, the KeyPackage pool if it changed, then the device record that commits
     * them, then deletions of what they superseded.
     */
    private Output flush(Output out) {
        if (!identitySaved) {
            records.write(ID_RECORD, new TlsWriter(256).utf8(user).utf8(device).opaque(identity.toBytes()).toByteArray());
            identitySaved = true;
        }
        for (GroupSession s : groups.values()) {
            s.save(records);
        }
        if (keysChanged) {
            TlsWriter w = new TlsWriter(4096);
            pool.encode(w);
            byte[] k = w.toByteArray();
            if (!java.util.Arrays.equals(k, savedKeys)) {
                records.write(KEYS_RECORD, k);
                savedKeys = k;
            }
            keysChanged = false;
        }
        records.flush(out.persist, deviceChanged, gen -> new TlsWriter(32).u16(FORMAT).u64(gen).u8(registered ? 1 : 0)
                .u64(savedCursor()).toByteArray());
        deviceChanged = false;
        return out;
    }

    static String keyOf(byte[] groupId) {
        return "group/" + Hex.toHexString(groupId);
    }

    /** "user/device" of a basic credential as this DS issues them; other credentials as hex. */
    static String name(Credential c) {
        return c.type() == Credential.BASIC ? new String(c.identity(), StandardCharsets.UTF_8)
                : "x509:" + Hex.toHexString(c.certificates().get(0), 0, Math.min(8, c.certificates().get(0).length));
    }
}
