package org.mlskit.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.framing.ContentType;
import org.mlskit.group.CommitOptions;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.GroupRecords;
import org.mlskit.group.Member;
import org.mlskit.group.MessageInfo;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.KeyPackage;

/**
 * One group as this device lives in it: the MLS group, the user's queued intents and the one
 * commit in flight, messages waiting for that commit, and messages of a later epoch waiting for
 * theirs. Commits are resolved by the DS's order: an accepted one is merged; after WRONG_EPOCH
 * the mailbox shows whose commit won, and if it was not ours the intent is staged again.
 */
final class GroupSession {
    /** Most messages of later epochs kept waiting for their commit. */
    static final int MAX_WAITING = 10_000;

    final byte[] groupId;
    final String key;
    private final ClientEngine engine;
    Group group;
    /** The epoch this device joined at: earlier messages are not for it. */
    long joinedEpoch;
    /** The group as it was before a resync (not persisted): late application messages of its epochs. */
    private Group previous;
    boolean removed;
    private final ArrayDeque<Intent> intents = new ArrayDeque<>();
    private Intent current;
    private StagedCommit staged;
    private byte[] stagedMessage;
    /** The sequence number the DS gave our staged commit, or -1 while not known. */
    private long acceptedAt = -1;
    private byte[] lastOwnCommit;
    /** Messages the user sent that the DS has not acknowledged, in order. */
    private final List<Outgoing> outbox = new ArrayList<>();
    /** Ids of messages received lately (a message sent again arrives with the same id). */
    private final HashSet<Bytes> seen = new HashSet<>();
    static final int SEEN = 4096;
    /** The same ids in arrival order, in buckets saved as records of their own; the oldest bucket goes first. */
    private final TreeMap<Long, List<Bytes>> seenBuckets = new TreeMap<>();
    static final int SEEN_BUCKET = 32;
    private long seenNext;
    private final Set<Long> seenChanged = new HashSet<>();
    /** Persistence: the group's records, the head as last written, what else changed since. */
    private GroupRecords records;
    private byte[] savedHead;
    private boolean headChanged = true;
    private boolean outboxChanged = true;
    /** Digests of our own messages whose echo has not come back (a digest, not the message: it is saved with each send). */
    private final java.util.LinkedHashSet<Bytes> ownEchoes = new java.util.LinkedHashSet<>();
    private final TreeMap<Long, List<Entry>> waiting = new TreeMap<>();
    private int waitingCount;
    private boolean selfRemovePending;

    GroupSession(ClientEngine engine, byte[] groupId, Group group) {
        this.engine = engine;
        this.groupId = groupId.clone();
        this.key = ClientEngine.keyOf(groupId);
        this.group = group;
        this.joinedEpoch = group.epoch();
        this.records = new GroupRecords(group);
    }

    // ------------------------------------------------------------------ intents

    void enqueue(Intent i, long now, Output out) {
        if (removed) {
            out.events.add(ClientEvent.error(groupId, "REMOVED", "this device is no longer in the group"));
            return;
        }
        intents.add(i);
        persist(out);
        pump(now, out);
    }

    private void pump(long now, Output out) {
        if (removed || current != null || intents.isEmpty() || !engine.current()) {
            return;
        }
        current = intents.poll();
        switch (current.kind) {
            case INVITE:
                if (current.keyPackages == null) {
                    engine.call(DsCall.claim(engine.nextId(), current.user, group.suite().id()), now, out,
                            (r, t, o) -> claimed(r, t, o));
                    return;
                }
                stageAndSend(now, out);
                return;
            case RESYNC:
                engine.call(DsCall.simple(engine.nextId(), DsCall.Kind.GROUP_INFO, null, null, groupId, null, 0), now, out,
                        (r, t, o) -> resync(r, t, o));
                return;
            default:
                stageAndSend(now, out);
        }
    }

    /** Called when the engine becomes ready: sends what a restart left unsent, then the queued intents. */
    void resume(long now, Output out) {
        for (Outgoing o : outbox) {
            o.inFlight = false; // a restart lost the calls; members drop a copy they already have by its id
            o.posted = false;
        }
        flushOutgoing(now, out);
        pump(now, out);
    }

    private void claimed(DsReply r, long now, Output out) {
        if (!r.ok() && ClientEngine.isTransient(r.error)) {
            engine.retry(now, out); // a lost answer may have used a KeyPackage: claiming again takes the next
            return;
        }
        if (!r.ok()) {
            fail(r.error, "claiming KeyPackages of " + current.user + ": " + r.message, now, out);
            return;
        }
        List<KeyPackage> kps = new ArrayList<>();
        for (DsReply.Claim c : r.claims) {
            if ("ok".equals(c.status)) {
                try {
                    kps.add((KeyPackage) org.mlskit.framing.MlsMessage.fromBytes(c.keyPackage).body);
                } catch (MlsException e) {
                    out.events.add(ClientEvent.error(groupId, e.code().name(), "a KeyPackage of " + current.user + "/" + c.device
                            + " does not decode"));
                }
            }
        }
        if (kps.isEmpty()) {
            fail("NO_KEY_PACKAGES", "no device of " + current.user + " has a KeyPackage to add", now, out);
            return;
        }
        current.keyPackages = kps;
        persist(out);
        stageAndSend(now, out);
    }

    private void stageAndSend(long now, Output out) {
        StagedCommit s;
        try {
            s = stage(current);
        } catch (MlsException e) {
            fail(e.code().name(), "cannot " + current + ": " + e.getMessage(), now, out);
            return;
        }
        if (s == null) {
            finish(now, out); // nothing left to do (e.g. already members)
            return;
        }
        staged = s;
        stagedMessage = s.message();
        List<byte[]> bundle = new ArrayList<>();
        bundle.add(stagedMessage);
        if (s.welcome() != null) {
            bundle.add(s.welcome());
        }
        bundle.add(group.groupInfo(s, true, true));
        StagedCommit mine = s;
        engine.call(DsCall.simple(engine.nextId(), DsCall.Kind.COMMIT, null, null, groupId, bundle, 0), now, out,
                (r, t, o) -> committed(mine, r, t, o));
    }

    private StagedCommit stage(Intent i) {
        switch (i.kind) {
            case INVITE: {
                Set<String> present = new HashSet<>(members());
                List<KeyPackage> fresh = new ArrayList<>();
                for (KeyPackage kp : i.keyPackages) {
                    if (!present.contains(ClientEngine.name(kp.leafNode.credential))) {
                        fresh.add(kp);
                    }
                }
                return fresh.isEmpty() ? null : group.add(fresh);
            }
            case REMOVE: {
                List<Integer> leaves = new ArrayList<>();
                for (Member m : group.members()) {
                    String n = ClientEngine.name(m.credential);
                    if (n.startsWith(i.user + "/") && m.leafIndex != group.myLeafIndex()) {
                        leaves.add(m.leafIndex);
                    }
                }
                if (leaves.isEmpty()) {
                    return null;
                }
                int[] a = new int[leaves.size()];
                for (int k = 0; k < a.length; k++) {
                    a[k] = leaves.get(k);
                }
                return group.remove(a);
            }
            case UPDATE:
                return group.update();
            case COMMIT_PENDING:
                return selfRemovePending ? group.commit(new ArrayList<Proposal>(), CommitOptions.DEFAULT) : null;
            default:
                throw new IllegalStateException(i.toString());
        }
    }

    private void committed(StagedCommit mine, DsReply r, long now, Output out) {
        if (staged != mine) {
            return; // resolved by the mailbox first, or voided by another member's commit
        }
        if (r.ok()) {
            // Merged when its echo arrives: what the log holds before it is processed in this epoch first.
            acceptedAt = r.seq;
            engine.catchUp(now, out);
        } else if ("WRONG_EPOCH".equals(r.error)) {
            // Lost a race, or our own commit got in and its answer was lost: the mailbox tells which.
            engine.catchUp(now, out);
        } else if (ClientEngine.isTransient(r.error)) {
            engine.retry(now, out);
        } else {
            group.discard(staged);
            staged = null;
            fail(r.error, current + " refused: " + r.message, now, out);
        }
    }

    private void mergeOwn(long now, Output out) {
        boolean changesMembers = staged.added().size() + staged.removed().size() > 0;
        group.merge(staged);
        lastOwnCommit = stagedMessage;
        staged = null;
        stagedMessage = null;
        acceptedAt = -1;
        selfRemovePending = false;
        current = null;
        epochChanged(changesMembers, out);
        persist(out);
        flushOutgoing(now, out);
        drainWaiting(now, out);
        pump(now, out);
    }

    private void fail(String code, String text, long now, Output out) {
        out.events.add(ClientEvent.error(groupId, code, text));
        finish(now, out);
    }

    private void finish(long now, Output out) {
        current = null;
        persist(out);
        flushOutgoing(now, out);
        pump(now, out);
    }

    // ------------------------------------------------------------------ resync

    private void resync(DsReply r, long now, Output out) {
        if (!r.ok()) {
            if (ClientEngine.isTransient(r.error)) {
                engine.retry(now, out);
                return;
            }
            fail(r.error, "cannot resync: " + r.message, now, out);
            return;
        }
        Group.ExternalJoin j;
        try {
            j = Group.joinExternally(r.data, engine.identity(), null, group.myLeafIndex(), new ArrayList<>(), new byte[0],
                    engine.groupConfig(), engine.random());
        } catch (MlsException e) {
            fail(e.code().name(), "cannot resync: " + e.getMessage(), now, out);
            return;
        }
        List<byte[]> bundle = new ArrayList<>();
        bundle.add(j.commit());
        bundle.add(j.group.groupInfo(true, true));
        engine.call(DsCall.simple(engine.nextId(), DsCall.Kind.COMMIT, null, null, groupId, bundle, 0), now, out, (r2, t, o) -> {
            if (r2.ok()) {
                previous = group; // still reads late messages of the epochs it had
                group = j.group;
                joinedEpoch = group.epoch();
                lastOwnCommit = j.commit();
                current = null;
                epochChanged(true, o);
                persist(o);
                // Entries of the new epoch may have come already (others' next commits): the cursor is past them.
                drainWaiting(t, o);
                flushOutgoing(t, o);
                pump(t, o);
            } else if (ClientEngine.isTransient(r2.error) || "WRONG_EPOCH".equals(r2.error)) {
                intents.addFirst(current); // try again from a fresh GroupInfo
                current = null;
                pump(t, o);
            } else {
                fail(r2.error, "resync refused: " + r2.message, t, o);
            }
        });
    }

    // ------------------------------------------------------------------ sending

    void send(byte[] plaintext, long now, Output out) {
        if (removed) {
            out.events.add(ClientEvent.error(groupId, "REMOVED", "this device is no longer in the group"));
            return;
        }
        byte[] id = new byte[Outgoing.ID_LENGTH];
        engine.random().nextBytes(id);
        outbox.add(new Outgoing(id, plaintext));
        outboxChanged = true;
        flushOutgoing(now, out);
    }

    /**
     * Encrypts (again, if its epoch is past) and posts every message not in flight, unless a
     * commit is in flight: those go in the epoch it leads to.
     */
    private void flushOutgoing(long now, Output out) {
        if (removed || staged != null || resyncing() || !engine.current()) {
            return;
        }
        boolean changed = false;
        for (Outgoing o : outbox) {
            if (o.inFlight) {
                continue;
            }
            if (o.ciphertext == null || o.epoch != group.epoch()) {
                o.ciphertext = group.encrypt(o.plaintext, o.id);
                o.epoch = group.epoch();
                echo(o.ciphertext);
                changed = true;
            }
            o.inFlight = true;
        }
        if (changed) {
            outboxChanged = true; // the ciphertexts (and the ratchet they used) are saved before they leave
        }
        for (Outgoing o : new ArrayList<>(outbox)) {
            if (o.inFlight && !o.posted) {
                post(o, now, out);
            }
        }
    }

    private Bytes digest(byte[] message) {
        return new Bytes(group.suite().hash(message));
    }

    /**
     * A resync is under way or queued (e.g. restored with one first in line): messages wait for the
     * new membership, since members that moved on would drop them as too old.
     */
    private boolean resyncing() {
        if (current != null && current.kind == Intent.Kind.RESYNC) {
            return true;
        }
        for (Intent i : intents) {
            if (i.kind == Intent.Kind.RESYNC) {
                return true;
            }
        }
        return false;
    }

    private void echo(byte[] ciphertext) {
        ownEchoes.add(digest(ciphertext));
        if (ownEchoes.size() > SEEN) {
            ownEchoes.remove(ownEchoes.iterator().next());
        }
    }

    private void post(Outgoing o, long now, Output out) {
        o.posted = true;
        List<byte[]> body = new ArrayList<>();
        body.add(o.ciphertext);
        byte[] sent = o.ciphertext;
        o.callId = engine.nextId();
        engine.call(DsCall.simple(o.callId, DsCall.Kind.SEND, null, null, groupId, body, 0), now, out, (r, t, x) -> {
            if (!outbox.contains(o) || o.ciphertext != sent) {
                return; // settled meanwhile (its echo arrived) or encrypted again
            }
            if (r.ok()) {
                outbox.remove(o);
                x.events.add(ClientEvent.sent(groupId, r.seq, o.plaintext));
                outboxChanged = true;
            } else if (ClientEngine.isTransient(r.error)) {
                // Posted again after a pause, encrypted again first if the group moved on meanwhile.
                engine.later(t + engine.backoff(), (t2, x2) -> {
                    if (outbox.contains(o) && o.ciphertext == sent) {
                        o.inFlight = false;
                        o.posted = false;
                        flushOutgoing(t2, x2);
                    }
                }, x);
            } else if ("WRONG_EPOCH".equals(r.error)) {
                o.inFlight = false; // encrypted again in the current epoch once caught up
                o.posted = false;
                engine.catchUp(t, x);
                flushOutgoing(t, x);
            } else {
                outbox.remove(o);
                x.events.add(ClientEvent.error(groupId, r.error, "message refused: " + r.message));
                outboxChanged = true;
            }
        });
    }

    // ------------------------------------------------------------------ receiving

    /** An entry of this group from the mailbox, in sequence order. */
    void receive(Entry e, MessageInfo info, long now, Output out) {
        if (removed) {
            return;
        }
        if (info.epoch > group.epoch()) {
            if (waitingCount < MAX_WAITING) {
                waiting.computeIfAbsent(info.epoch, k -> new ArrayList<>()).add(e);
                waitingCount++;
            }
            return;
        }
        if (staged != null && info.contentType == ContentType.COMMIT && Arrays.equals(e.message, stagedMessage)) {
            mergeOwn(now, out);
            return;
        }
        if (lastOwnCommit != null && Arrays.equals(e.message, lastOwnCommit)) {
            return;
        }
        if (!ownEchoes.isEmpty() && ownEchoes.remove(digest(e.message))) {
            for (Outgoing o : outbox) {
                if (Arrays.equals(o.ciphertext, e.message)) {
                    outbox.remove(o); // the DS has it: its echo is the acknowledgement we may have missed
                    engine.cancel(o.callId);
                    out.events.add(ClientEvent.sent(groupId, e.seq, o.plaintext));
                    break;
                }
            }
            outboxChanged = true;
            return;
        }
        if (staged != null && info.contentType == ContentType.COMMIT && info.epoch == group.epoch()) {
            // Another member's commit won this epoch: ours is void; its intent goes again.
            group.discard(staged);
            staged = null;
            stagedMessage = null;
            acceptedAt = -1;
            if (current != null) {
                intents.addFirst(current);
                current = null;
            }
        }
        ProcessedMessage pm;
        try {
            Group reader = previous != null && info.epoch < joinedEpoch && info.contentType == ContentType.APPLICATION
                    ? previous : group;
            pm = reader.process(e.message);
        } catch (MlsException x) {
            boolean currentCommit = info.contentType == ContentType.COMMIT && info.epoch == group.epoch();
            if (x.code() == ErrorCode.DUPLICATE_MESSAGE && !currentCommit) {
                return; // seen before
            }
            if (x.code() == ErrorCode.WRONG_EPOCH && info.epoch < joinedEpoch) {
                return; // sent before this device joined: not for it
            }
            if (x.code() == ErrorCode.WRONG_EPOCH && info.epoch < group.epoch()) {
                out.events.add(ClientEvent.error(groupId, "EPOCH_TOO_OLD", "message " + e.seq + " of epoch " + info.epoch
                        + " dropped: this device is at epoch " + group.epoch() + " and keeps " + engine.groupConfig().retainedEpochs
                        + " past epochs"));
                return;
            }
            if (currentCommit) {
                // The commit that ends this epoch cannot be applied (e.g. our own, sent before a restart lost
                // its private state): the group can only go on by joining again.
                out.events.add(ClientEvent.error(groupId, x.code().name(), "a commit could not be processed; resyncing"));
                intents.addFirst(new Intent(Intent.Kind.RESYNC, null));
                persist(out);
                pump(now, out);
                return;
            }
            out.events.add(ClientEvent.error(groupId, x.code().name(), "message " + e.seq + " dropped: " + x.getMessage()));
            return;
        }
        switch (pm.kind) {
            case APPLICATION: {
                // Only the sender's ratchet and the ids seen change: the head is not rewritten.
                if (markSeen(new Bytes(pm.authenticatedData()))) {
                    out.events.add(ClientEvent.message(groupId, ClientEngine.name(pm.senderCredential), pm.applicationData(),
                            pm.epoch, e.seq));
                } // else the same message again (sent again after a lost answer or a restart)
                return;
            }
            case PROPOSAL:
                if (pm.proposal instanceof Proposal.SelfRemove) {
                    selfRemovePending = true;
                    if (chosenCommitter(pm.senderLeaf())) {
                        intents.add(new Intent(Intent.Kind.COMMIT_PENDING, null));
                        pump(now, out);
                    }
                }
                break;
            default: {
                StagedCommit sc = pm.commit;
                boolean changesMembers = sc.added().size() + sc.removed().size() > 0;
                group.merge(sc);
                selfRemovePending = false;
                if (sc.removesMe()) {
                    removed = true;
                    intents.clear();
                    outbox.clear();
                    out.events.add(ClientEvent.of(ClientEvent.Kind.REMOVED, groupId));
                    persist(out);
                    return;
                }
                epochChanged(changesMembers, out);
                drainWaiting(now, out);
                pump(now, out);
                flushOutgoing(now, out);
            }
        }
        persist(out);
    }

    /** The member who commits a SelfRemove: the lowest leaf other than the leaver's. */
    private boolean chosenCommitter(int leaver) {
        for (Member m : group.members()) {
            if (m.leafIndex != leaver) {
                return m.leafIndex == group.myLeafIndex();
            }
        }
        return false;
    }

    private void drainWaiting(long now, Output out) {
        List<Entry> ready = waiting.remove(group.epoch());
        if (ready != null) {
            waitingCount -= ready.size();
            for (Entry e : ready) {
                receive(e, MessageInfo.inspect(e.message), now, out);
            }
        }
        // Polled one by one, not cleared through a headMap view: TeaVM 0.15's TreeMap iterator does not
        // check a view's bound again after remove(), so clearing the view also removed later epochs'
        // entries in the compiled builds.
        while (!waiting.isEmpty() && waiting.firstKey() < group.epoch()) {
            waitingCount -= waiting.pollFirstEntry().getValue().size();
        }
    }

    /** The lowest sequence number still waiting, or -1 (the engine's saved cursor stays below it). */
    long lowestWaiting() {
        long low = -1;
        for (List<Entry> l : waiting.values()) {
            for (Entry e : l) {
                if (low < 0 || e.seq < low) {
                    low = e.seq;
                }
            }
        }
        return low;
    }

    void leave(long now, Output out) {
        byte[] p = group.proposeSelfRemove(new byte[0]);
        List<byte[]> body = new ArrayList<>();
        body.add(p);
        engine.call(DsCall.simple(engine.nextId(), DsCall.Kind.SEND, null, null, groupId, body, 0), now, out, (r, t, o) -> {
            if (r.ok()) {
                o.events.add(ClientEvent.sent(groupId, r.seq, null));
            } else if (ClientEngine.isTransient(r.error)) {
                engine.retry(t, o);
            } else {
                o.events.add(ClientEvent.error(groupId, r.error, "leaving refused: " + r.message));
            }
        });
        persist(out);
    }

    private void epochChanged(boolean membersChanged, Output out) {
        out.events.add(ClientEvent.epoch(groupId, group.epoch(), group.epochAuthenticator()));
        if (membersChanged) {
            out.events.add(ClientEvent.members(groupId, members(), group.epoch()));
        }
    }

    List<String> members() {
        List<String> out = new ArrayList<>();
        for (Member m : group.members()) {
            out.add(ClientEngine.name(m.credential));
        }
        return out;
    }

    // ------------------------------------------------------------------ persistence

    /** Something beyond the secret trees, the outbox and the ids seen changed: the head is compared and written. */
    void persist(Output out) {
        headChanged = true;
        outboxChanged = true;
    }

    /** Adds a received message's id; false if it was seen already. */
    private boolean markSeen(Bytes id) {
        if (!seen.add(id)) {
            return false;
        }
        long b = seenNext++ / SEEN_BUCKET;
        seenBuckets.computeIfAbsent(b, k -> new ArrayList<>()).add(id);
        seenChanged.add(b);
        while (seen.size() - seenBuckets.firstEntry().getValue().size() >= SEEN) {
            Map.Entry<Long, List<Bytes>> old = seenBuckets.pollFirstEntry();
            seen.removeAll(old.getValue());
            seenChanged.add(old.getKey());
        }
        return true;
    }

    /**
     * Writes what changed since the last save into {@code store}: the group's records (a new
     * epoch's base, the node secrets and ratchets that moved, dropped epochs), the head if it
     * changed, the outbox, the buckets of ids seen.
     */
    void save(Records store) {
        String prefix = key + "/";
        GroupRecords.Sink sink = new GroupRecords.Sink() {
            @Override
            public void write(String name, byte[] value) {
                store.write(prefix + name, value);
            }

            @Override
            public void dropEpoch(long epoch) {
                store.dropTree(prefix + "e/" + epoch);
            }
        };
        if (records.group() != group) {
            records.forget(sink); // a resync replaced the group: none of its epochs is kept
            records = new GroupRecords(group);
        }
        records.changes(sink);
        if (headChanged) {
            byte[] h = head();
            if (!Arrays.equals(h, savedHead)) {
                store.write(key, h);
                savedHead = h;
            }
            headChanged = false;
        }
        if (outboxChanged) {
            store.write(prefix + "out", outboxRecord());
            outboxChanged = false;
        }
        for (long b : seenChanged) {
            List<Bytes> ids = seenBuckets.get(b);
            store.write(prefix + "seen/" + b, ids == null ? null : seenRecord(ids));
        }
        seenChanged.clear();
    }

    /** Format of a group's records in the engine (the group's own are {@link GroupRecords#VERSION}). */
    static final int FORMAT = 2;

    private byte[] head() {
        TlsWriter w = new TlsWriter(1024);
        w.u16(FORMAT).opaque(groupId).opaque(records.head()).u64(joinedEpoch).u8(removed ? 1 : 0)
                .u8(selfRemovePending ? 1 : 0);
        w.opaque(lastOwnCommit == null ? new byte[0] : lastOwnCommit);
        int mark = w.beginVector();
        if (current != null) {
            current.encode(w); // an intent in flight is staged again after a restart
        }
        for (Intent i : intents) {
            i.encode(w);
        }
        w.endVector(mark);
        return w.toByteArray();
    }

    private byte[] outboxRecord() {
        TlsWriter w = new TlsWriter(512).u16(FORMAT);
        int mark = w.beginVector();
        for (Outgoing o : outbox) {
            o.encode(w);
        }
        w.endVector(mark);
        mark = w.beginVector();
        for (Bytes b : ownEchoes) {
            w.opaque(b.value());
        }
        w.endVector(mark);
        return w.toByteArray();
    }

    private static byte[] seenRecord(List<Bytes> ids) {
        TlsWriter w = new TlsWriter(16 + ids.size() * 17).u16(FORMAT);
        int mark = w.beginVector();
        for (Bytes b : ids) {
            w.opaque(b.value());
        }
        w.endVector(mark);
        return w.toByteArray();
    }

    /**
     * A session from its records ({@code records}: name to value, names under this group's key);
     * adds the names it used to {@code used}. Null when there is no head (the group never committed).
     */
    static GroupSession restore(ClientEngine engine, String key, Map<String, byte[]> records, GroupConfig config,
            Set<String> used) {
        byte[] head = records.get(key);
        if (head == null) {
            return null;
        }
        String prefix = key + "/";
        TlsReader r = new TlsReader(head);
        format(r);
        byte[] gid = r.opaque();
        byte[] groupHead = r.opaque();
        Map<String, byte[]> parts = new HashMap<>();
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            if (e.getKey().startsWith(prefix + "e/")) {
                parts.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        Set<String> usedParts = new HashSet<>();
        GroupRecords gr = GroupRecords.restore(groupHead, parts, config, engine.random(), usedParts);
        GroupSession s = new GroupSession(engine, gid, gr.group());
        if (!s.key.equals(key)) {
            throw new MlsException(ErrorCode.MALFORMED, "the saved group " + key + " holds another group");
        }
        s.records = gr;
        s.joinedEpoch = r.u64();
        s.removed = r.u8() == 1;
        s.selfRemovePending = r.u8() == 1;
        byte[] last = r.opaque();
        s.lastOwnCommit = last.length == 0 ? null : last;
        TlsReader v = r.vector();
        while (v.hasRemaining()) {
            s.intents.add(Intent.decode(v));
        }
        r.finish();
        s.savedHead = head;
        s.headChanged = false;
        used.add(key);
        for (String p : usedParts) {
            used.add(prefix + p);
        }
        byte[] ob = records.get(prefix + "out");
        if (ob != null) {
            TlsReader o = new TlsReader(ob);
            format(o);
            v = o.vector();
            while (v.hasRemaining()) {
                s.outbox.add(Outgoing.decode(v));
            }
            v = o.vector();
            while (v.hasRemaining()) {
                s.ownEchoes.add(new Bytes(v.opaque()));
            }
            o.finish();
            used.add(prefix + "out");
            s.outboxChanged = false;
        }
        String seenPrefix = prefix + "seen/";
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            if (!e.getKey().startsWith(seenPrefix)) {
                continue;
            }
            long b = Long.parseLong(e.getKey().substring(seenPrefix.length()));
            TlsReader sr = new TlsReader(e.getValue());
            format(sr);
            List<Bytes> ids = new ArrayList<>();
            v = sr.vector();
            while (v.hasRemaining()) {
                Bytes id = new Bytes(v.opaque());
                ids.add(id);
                s.seen.add(id);
            }
            s.seenBuckets.put(b, ids);
            s.seenNext = Math.max(s.seenNext, b * SEEN_BUCKET + ids.size());
            used.add(e.getKey());
        }
        while (s.seenBuckets.size() > 1 && s.seen.size() - s.seenBuckets.firstEntry().getValue().size() >= SEEN) {
            Map.Entry<Long, List<Bytes>> old = s.seenBuckets.pollFirstEntry(); // a torn save left it
            s.seen.removeAll(old.getValue());
            s.seenChanged.add(old.getKey());
        }
        return s;
    }

    private static void format(TlsReader r) {
        int f = r.u16();
        if (f != FORMAT) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "saved group session of format " + f + "; this build reads " + FORMAT);
        }
    }

    /** For tests: intents not yet carried by an accepted commit. */
    int pendingIntents() {
        return intents.size() + (current == null ? 0 : 1);
    }
}
