package org.mlskit.distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.CommitOptions;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.Member;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.PreSharedKeyId;

/**
 * One participant of a Multi-MLS session (docs/multi-mls.md): it owns one send group (leaf 0, the
 * only committer) containing everyone it sends to, and receives in the send groups of the others.
 * Sans-I/O: inputs are API calls and log entries in any order; each returns a {@link Step} with
 * this participant's new log entries to publish and events for the application. No threads, clocks
 * or sockets. Not thread-safe. A rejected call throws a typed {@link MlsException} and changes
 * nothing; a bad received item is skipped with a REJECTED event.
 */
public final class MultiSession {
    final Identity identity;
    final String me;
    final CipherSuite suite;
    final byte[] sessionId;
    final RandomSource random;
    private final MultiSessionConfig policy;
    final GroupConfig groupConfig;
    LogBook book;
    final List<KeyPackageBundle> bundles = new ArrayList<>();
    final ExporterPsks psks = new ExporterPsks();

    final Group own;
    int nextSeq;
    byte[] head = new byte[0];

    /** Send groups of the others that this participant joined, by owner (kept after removal, status REMOVED). */
    final Map<String, Group> groups = new TreeMap<>();
    /** Per author: next entry index and item index to process. */
    final Map<String, int[]> cursors = new HashMap<>();
    /** Per owner (this participant included): the newest epoch of each other group it imported, as seen here. */
    final Map<String, Map<String, Long>> imports = new HashMap<>();
    /** Others' groups where this participant wants its Update committed, and the epoch it last proposed in. */
    final Map<String, Long> proposedAt = new HashMap<>();
    final Set<String> wantUpdate = new TreeSet<>();
    /** Update proposals received in the own group's current epoch, to bundle with the next commit. */
    final List<LogItem.Bundled> bundle = new ArrayList<>();
    /** (group id, epoch) to the entry with the commit that left that epoch: equivocation evidence. */
    final Map<Bytes, LogEntry> commitEntries = new HashMap<>();
    /** (group id, epoch) to the hash of the commit that started that epoch: named by imports. */
    final Map<Bytes, byte[]> commitHashes = new HashMap<>();
    final Set<String> flagged = new TreeSet<>();
    /** Per owner: its group saved before the last commit we processed, and that commit's epoch. */
    final Map<String, byte[]> before = new HashMap<>();
    final Map<String, Long> beforeEpoch = new HashMap<>();
    /** The commits of equivocations we did not follow, by (group id, epoch): to derive their exporter PSKs. */
    final Map<Bytes, LogItem> unfollowed = new HashMap<>();
    /** (author, seq, reason) already reported as waiting, so a stall is reported once. */
    final Set<String> reported = new HashSet<>();
    /** When each member of the own group was last heard from, for excision. */
    final Silence silence = new Silence();

    // Output of the call in progress.
    private final List<LogItem> outItems = new ArrayList<>();
    private final List<SessionEvent> outEvents = new ArrayList<>();

    private MultiSession(Identity identity, byte[] sessionId, List<KeyPackageBundle> myBundles, MultiSessionConfig policy,
            RandomSource random) {
        this(identity, sessionId, myBundles, policy, random, null);
    }

    /** With {@code savedOwn}: a session being restored (see {@link SessionState}). */
    MultiSession(Identity identity, byte[] sessionId, List<KeyPackageBundle> myBundles, MultiSessionConfig policy,
            RandomSource random, byte[] savedOwn) {
        this.identity = identity;
        this.me = idOf(identity.credential());
        this.suite = identity.suite();
        this.sessionId = sessionId.clone();
        this.random = random;
        this.policy = policy;
        this.groupConfig = policy.group.withPskStore(psks::get);
        this.book = new LogBook(suite);
        this.bundles.addAll(myBundles);
        book.trust(me, identity.signaturePublicKey());
        this.own = savedOwn != null ? Group.fromBytes(savedOwn, groupConfig, random)
                : Group.create(identity, SendGroupId.of(sessionId, me), new ArrayList<>(), groupConfig, random);
    }

    /**
     * A participant with its own (empty) send group; {@code myBundles} are the KeyPackages others
     * use to add it to their send groups (one each). Call {@link #start} next.
     */
    public static MultiSession create(Identity identity, byte[] sessionId, List<KeyPackageBundle> myBundles,
            MultiSessionConfig policy, RandomSource random) {
        if (identity.credential().type() != Credential.BASIC) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "Multi-MLS participants are named by basic credentials");
        }
        if (sessionId == null || sessionId.length == 0) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a session id must not be empty");
        }
        return new MultiSession(identity, sessionId, myBundles, policy, random);
    }

    /**
     * More KeyPackages others can use to add this participant to their send groups (one each), for
     * participants who join the session later. Each must be this participant's own.
     */
    public void addKeyPackageBundles(List<KeyPackageBundle> more) {
        for (KeyPackageBundle b : more) {
            if (!Arrays.equals(b.keyPackage().leafNode.signatureKey, identity.signaturePublicKey())
                    || b.keyPackage().cipherSuite != suite.id()) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a KeyPackage of another participant or cipher suite");
            }
        }
        bundles.addAll(more);
    }

    static String idOf(Credential c) {
        return new String(c.identity(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- accessors

    public String id() {
        return me;
    }

    public CipherSuite suite() {
        return suite;
    }

    public byte[] groupId() {
        return own.groupId();
    }

    /** Who this participant sends to: the other members of its own send group. */
    public Set<String> roster() {
        return membersOf(own, me);
    }

    /** Owners of the send groups this participant is an active member of. */
    public Set<String> senders() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            if (e.getValue().status() == Group.Status.ACTIVE) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The members (other than the owner) of {@code owner}'s send group as this participant sees it, or null. */
    public Set<String> members(String owner) {
        Group g = owner.equals(me) ? own : groups.get(owner);
        return g == null ? null : membersOf(g, owner);
    }

    /** The current epoch of {@code owner}'s send group here, or -1 when not a member. */
    public long epoch(String owner) {
        Group g = owner.equals(me) ? own : groups.get(owner);
        return g == null || g.status() != Group.Status.ACTIVE ? -1 : g.epoch();
    }

    /** The epoch authenticator of {@code owner}'s send group here (members compare it to agree), or null. */
    public byte[] epochAuthenticator(String owner) {
        Group g = owner.equals(me) ? own : groups.get(owner);
        return g == null || g.status() != Group.Status.ACTIVE ? null : g.epochAuthenticator();
    }

    /**
     * MLS-Exporter(label, context, length) (RFC 9420 §8.5) of the current epoch of {@code owner}'s
     * send group as this participant holds it: a secret every member of that group at that epoch
     * shares (the exporter PSKs of draft -02 are one use). Not a member: {@link ErrorCode#UNKNOWN_MEMBER}.
     */
    public byte[] exportFrom(String owner, String label, byte[] context, int length) {
        if (owner == null || label == null || context == null || length < 0 || length > 255 * suite.kdf().length()) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "an export needs an owner, a label, a context and 0..255*Nh bytes");
        }
        Group g = owner.equals(me) ? own : groups.get(owner);
        if (g == null || g.status() != Group.Status.ACTIVE) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "not a member of " + owner + "'s send group");
        }
        return g.export(label, context, length);
    }

    /**
     * The whole session, private keys included, in a versioned binary form; restore it with
     * {@link #fromBytes}. Save after every {@link Step} before publishing its entries.
     */
    public byte[] toBytes() {
        return SessionState.toBytes(this);
    }

    /** Restores a session saved with {@link #toBytes}; bytes that are not one are {@link ErrorCode#MALFORMED}. */
    public static MultiSession fromBytes(byte[] data, MultiSessionConfig policy, RandomSource random) {
        return SessionState.fromBytes(data, policy, random);
    }

    /** Authors flagged for equivocation. */
    public Set<String> equivocators() {
        return new TreeSet<>(flagged);
    }

    public LogBook book() {
        return book;
    }

    /** {@code owner}'s send group as this participant holds it (tests), or null. */
    Group sendGroup(String owner) {
        return owner.equals(me) ? own : groups.get(owner);
    }

    /** Exporter PSKs currently kept (for tests of retention). */
    int retainedPsks() {
        return psks.size();
    }

    private static Set<String> membersOf(Group g, String owner) {
        Set<String> out = new TreeSet<>();
        for (Member m : g.members()) {
            String id = idOf(m.credential);
            if (!id.equals(owner)) {
                out.add(id);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- own actions

    /** INIT: adds every other participant to this participant's send group (their KeyPackages for it). */
    public Step start(List<KeyPackage> others) {
        if (own.epoch() != 0 || nextSeq != 0) {
            throw new MlsException(ErrorCode.INVALID_STATE, "the session has already started");
        }
        if (!others.isEmpty()) {
            addAll(others);
        }
        return finish();
    }

    /** Adds one participant to this participant's send group (its KeyPackage for it). */
    public Step add(KeyPackage keyPackage) {
        addAll(List.of(keyPackage));
        return finish();
    }

    private void addAll(List<KeyPackage> kps) {
        List<Proposal> ps = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        Set<String> present = roster();
        for (KeyPackage kp : kps) {
            String id = idOf(kp.leafNode.credential);
            if (kp.leafNode.credential.type() != Credential.BASIC || id.equals(me) || present.contains(id) || !ids.add(id)) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "cannot add " + id + ": not a new participant");
            }
            ps.add(new Proposal.Add(kp));
        }
        ownCommit(ps, false, false);
        for (KeyPackage kp : kps) {
            trust(idOf(kp.leafNode.credential), kp.leafNode.signatureKey);
            silence.heard(idOf(kp.leafNode.credential), own.epoch());
        }
    }

    /** Removes {@code participant} from this participant's send group. */
    public Step remove(String participant) {
        int leaf = leafOf(own, participant);
        if (leaf <= 0) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, participant + " is not in this participant's send group");
        }
        ownCommit(List.<Proposal>of(new Proposal.Remove(leaf)), true, false);
        return finish();
    }

    /**
     * UPDATE: a commit with fresh path keys in the own send group (importing what is pending), and an
     * Update proposal in every other send group for its owner to commit.
     */
    public Step update() {
        ownCommit(new ArrayList<>(), true, true);
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            if (e.getValue().status() == Group.Status.ACTIVE) {
                wantUpdate.add(e.getKey());
                try {
                    proposeUpdate(e.getKey(), e.getValue());
                } catch (MlsException ex) {
                    // The own commit is merged: it must still be published, whatever one group says.
                    outEvents.add(new SessionEvent(SessionEvent.Kind.REJECTED, e.getKey(), null, null, ex.code(),
                            "no Update proposal in this send group: " + ex.getMessage()));
                }
            }
        }
        return finish();
    }

    /** COMMIT: imports other groups' new epochs and commits members' Update proposals, if any are pending. */
    public Step commit() {
        if (hasPending()) {
            ownCommit(new ArrayList<>(), true, false);
        }
        return finish();
    }

    /** PROTECT: encrypts {@code data} in the own send group (committing what is pending first, by policy). */
    public Step protect(byte[] data) {
        if (own.status() != Group.Status.ACTIVE) {
            throw new MlsException(ErrorCode.INVALID_STATE, "the send group is not active");
        }
        if (policy.commitBeforeSend && hasPending()) {
            ownCommit(new ArrayList<>(), true, false);
        }
        outItems.add(LogItem.application(own.groupId(), own.epoch(), own.encrypt(data, null)));
        return finish();
    }

    /** Whether a commit would import something new or include a member's Update. */
    public boolean hasPending() {
        return !bundle.isEmpty() || !importable().isEmpty();
    }

    private void proposeUpdate(String owner, Group g) {
        Long at = proposedAt.get(owner);
        if (at != null && at == g.epoch()) {
            return;
        }
        byte[] msg = g.proposeUpdate(null);
        proposedAt.put(owner, g.epoch());
        outItems.add(LogItem.updateProposal(g.groupId(), g.epoch(), msg));
    }

    /** Groups whose newest epoch the own group may import now: owner to that group. */
    private Map<String, Group> importable() {
        Map<String, Group> out = new TreeMap<>();
        Set<String> roster = roster();
        Map<String, Long> mine = imports.computeIfAbsent(me, k -> new HashMap<>());
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            Long last = mine.get(e.getKey());
            if (g.status() != Group.Status.ACTIVE || !roster.contains(e.getKey()) || flagged.contains(e.getKey())
                    || (last != null && last >= g.epoch())
                    || !psks.has(g.groupId(), g.epoch())) {
                continue;
            }
            // Every receiver of the own group must be able to derive the PSK: a member there at that epoch.
            Set<String> there = membersOf(g, e.getKey());
            there.add(e.getKey());
            if (there.containsAll(roster)) {
                out.put(e.getKey(), g);
            }
        }
        return out;
    }

    /**
     * Commits {@code proposals} plus imports (not with Adds) and cached Updates in the own group, and
     * merges. A path comes with UPDATE ({@code forcePath}) and wherever RFC 9420 requires one.
     */
    private void ownCommit(List<Proposal> proposals, boolean withImports, boolean forcePath) {
        if (own.status() != Group.Status.ACTIVE) {
            throw new MlsException(ErrorCode.INVALID_STATE, "the send group is not active");
        }
        List<Proposal> all = new ArrayList<>(proposals);
        List<String> excised = withImports ? excisions(proposals) : List.of();
        for (String x : excised) {
            all.add(new Proposal.Remove(leafOf(own, x)));
        }
        List<LogItem.Import> named = new ArrayList<>();
        Map<String, Group> from = withImports ? importable() : new TreeMap<>();
        for (Group g : from.values()) {
            byte[] id = ExporterPsks.pskId(g.groupId(), g.epoch());
            all.add(new Proposal.PreSharedKey(PreSharedKeyId.external(id, random.bytes(suite.kdf().length()))));
            byte[] h = commitHashes.get(key(g.groupId(), g.epoch()));
            named.add(new LogItem.Import(g.groupId(), g.epoch(), h == null ? new byte[0] : h));
        }
        long before = own.epoch();
        Set<String> rosterBefore = roster();
        StagedCommit sc = own.commit(all, CommitOptions.DEFAULT.withForcePath(forcePath));
        byte[] msg = sc.message();
        byte[] welcome = sc.welcome();
        List<String> joiners = new ArrayList<>();
        for (Member m : sc.added()) {
            joiners.add(idOf(m.credential));
        }
        List<String> removedIds = new ArrayList<>();
        for (Member m : sc.removed()) {
            removedIds.add(idOf(m.credential));
        }
        own.merge(sc);
        Map<String, Long> mine = imports.computeIfAbsent(me, k -> new HashMap<>());
        for (Map.Entry<String, Group> e : from.entrySet()) {
            mine.put(e.getKey(), e.getValue().epoch());
        }
        outItems.add(LogItem.commit(own.groupId(), before, msg, named, bundle, removedIds));
        bundle.clear();
        commitHashes.put(key(own.groupId(), own.epoch()), suite.hash(msg));
        if (welcome != null) {
            outItems.add(LogItem.welcome(own.groupId(), own.epoch(), welcome, joiners));
        }
        psks.enter(me, own);
        for (String x : excised) {
            silence.forget(x);
            outEvents.add(SessionEvent.of(SessionEvent.Kind.EXCISED, x, null));
        }
        if (!rosterBefore.equals(roster())) {
            outEvents.add(SessionEvent.of(SessionEvent.Kind.ROSTER_CHANGED, me, null));
        }
        erase();
    }

    /** Members silent beyond the bound (and not removed by {@code proposals} already), by policy. */
    private List<String> excisions(List<Proposal> proposals) {
        List<String> out = new ArrayList<>();
        for (String x : silence.toExcise(roster(), own.epoch(), policy.exciseSilentAfter)) {
            int leaf = leafOf(own, x);
            boolean already = false;
            for (Proposal p : proposals) {
                already |= p instanceof Proposal.Remove && ((Proposal.Remove) p).removed == leaf;
            }
            if (leaf > 0 && !already) {
                out.add(x);
            }
        }
        return out;
    }

    /** Publishes what the call produced as one signed entry and returns it with the events. */
    private Step finish() {
        return finish(false);
    }

    private Step finish(boolean received) {
        pump(); // keys trusted by this call may have let waiting entries in
        List<LogEntry> published = new ArrayList<>();
        if (!outItems.isEmpty()) {
            LogEntry entry = LogEntry.sign(identity, me, nextSeq, head, outItems);
            nextSeq++;
            head = entry.hash(suite);
            book.offer(entry);
            for (LogItem i : entry.items) {
                if (i.kind == LogItem.COMMIT) {
                    commitEntries.put(key(i.groupIdRef(), i.epoch), entry);
                }
            }
            published.add(entry);
        }
        Step s = new Step(published, outEvents, received);
        outItems.clear();
        outEvents.clear();
        return s;
    }

    // ---------------------------------------------------------------- receiving

    /** Takes one entry of anyone's log (any order, duplicates welcome) and processes what it unblocks. */
    public Step receive(LogEntry entry) {
        LogBook.Offer o = book.offer(entry);
        if (o.equivocation != null) {
            equivocation(o.equivocation);
        }
        return finish(o.isNew);
    }

    private void trust(String id, byte[] key) {
        LogBook.Offer o = book.trust(id, key);
        if (o.equivocation != null) {
            equivocation(o.equivocation);
        }
    }

    private void equivocation(Equivocation ev) {
        String who = ev.author();
        for (LogItem i : ev.second.items) {
            if (i.kind == LogItem.COMMIT && who.equals(SendGroupId.owner(i.groupIdRef()))) {
                unfollowed.put(key(i.groupIdRef(), i.epoch), i);
                otherBranch(who, i);
            }
        }
        if (!flagged.add(who)) {
            return;
        }
        outEvents.add(new SessionEvent(SessionEvent.Kind.EQUIVOCATION, who, null, ev, null, ev.toString()));
        if (policy.removeEquivocators && !who.equals(me) && own.status() == Group.Status.ACTIVE && leafOf(own, who) > 0) {
            ownCommit(List.<Proposal>of(new Proposal.Remove(leafOf(own, who))), true, false);
        }
        // Whoever either branch removes is removed: every honest peer ends up holding both branches,
        // so the union is the one outcome they all reach, whichever branch each followed.
        for (LogEntry e : List.of(ev.first, ev.second)) {
            for (LogItem i : e.items) {
                if (i.kind == LogItem.COMMIT && who.equals(SendGroupId.owner(i.groupIdRef()))) {
                    followRemovals(i.recipients);
                }
            }
        }
    }

    /** Processes every author's log as far as dependencies allow, until nothing moves. */
    private void pump() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String author : book.authors()) {
                if (author.equals(me)) {
                    continue;
                }
                List<LogEntry> chain = book.chain(author);
                int[] cur = cursors.computeIfAbsent(author, a -> new int[2]);
                while (cur[0] < chain.size()) {
                    LogEntry e = chain.get(cur[0]);
                    while (cur[1] < e.items.size()) {
                        if (!process(e, e.items.get(cur[1]))) {
                            break;
                        }
                        cur[1]++;
                        progress = true;
                    }
                    if (cur[1] < e.items.size()) {
                        break;
                    }
                    cur[0]++;
                    cur[1] = 0;
                    progress = true;
                }
            }
        }
    }

    /** Processes one item; false when it must wait for a dependency. */
    private boolean process(LogEntry entry, LogItem item) {
        String author = entry.author;
        silence.heard(author, own.epoch());
        byte[] gid = item.groupIdRef();
        String owner = SendGroupId.owner(gid);
        if (owner == null || !Arrays.equals(SendGroupId.session(gid), sessionId)) {
            return reject(author, ErrorCode.WRONG_GROUP, "an item for a group outside this session");
        }
        if (item.kind == LogItem.UPDATE_PROPOSAL) {
            if (owner.equals(me) && !author.equals(me)) {
                ownGroupProposal(author, item);
            }
            return true;
        }
        if (!owner.equals(author)) {
            return reject(author, ErrorCode.UNKNOWN_MEMBER, "only a send group's owner sends its commits, Welcomes and messages");
        }
        try {
            switch (item.kind) {
                case LogItem.WELCOME:
                    welcome(entry, item);
                    return true;
                case LogItem.COMMIT:
                    return commitItem(entry, item);
                default:
                    application(author, item);
                    return true;
            }
        } catch (MlsException ex) {
            return reject(author, ex.code(), ex.getMessage());
        }
    }

    private boolean reject(String author, ErrorCode code, String detail) {
        outEvents.add(new SessionEvent(SessionEvent.Kind.REJECTED, author, null, null, code, detail));
        return true;
    }

    private void ownGroupProposal(String author, LogItem item) {
        if (own.status() != Group.Status.ACTIVE || item.epoch != own.epoch()) {
            return; // stale: the member proposes again when it sees our newer commit
        }
        ProcessedMessage pm;
        try {
            pm = own.process(item.messageRef());
        } catch (MlsException ex) {
            reject(author, ex.code(), ex.getMessage());
            return;
        }
        boolean ok = pm.kind == ProcessedMessage.Kind.PROPOSAL && pm.proposal instanceof Proposal.Update
                && pm.senderLeaf() > 0 && author.equals(idOf(pm.senderCredential));
        if (!ok) {
            if (pm.proposalRef() != null) {
                own.forgetProposal(pm.proposalRef());
            }
            reject(author, ErrorCode.INVALID_PROPOSAL, "a member may propose only an Update of its own leaf");
            return;
        }
        bundle.add(new LogItem.Bundled(author, item.messageRef()));
    }

    private void welcome(LogEntry entry, LogItem item) {
        String owner = entry.author;
        if (!item.recipients.contains(me)) {
            return;
        }
        Group existing = groups.get(owner);
        if (existing != null && existing.status() == Group.Status.ACTIVE) {
            return;
        }
        Group g = null;
        KeyPackageBundle used = null;
        for (KeyPackageBundle b : bundles) {
            try {
                g = Group.join(item.messageRef(), b, identity, null, groupConfig, random);
                used = b;
                break;
            } catch (MlsException ex) {
                if (ex.code() != ErrorCode.NOT_FOR_US) {
                    throw ex;
                }
            }
        }
        if (g == null) {
            throw new MlsException(ErrorCode.NOT_FOR_US, "no KeyPackage of ours opens this Welcome");
        }
        if (!Arrays.equals(g.groupId(), item.groupIdRef()) || !owner.equals(idOf(g.member(0).credential))) {
            throw new MlsException(ErrorCode.WRONG_GROUP, "a Welcome into a group that is not " + owner + "'s send group");
        }
        bundles.remove(used);
        groups.put(owner, g);
        for (Member m : g.members()) {
            trust(idOf(m.credential), m.signatureKey());
        }
        // The add commit travels in the same entry: its hash names the epoch we joined.
        for (LogItem i : entry.items) {
            if (i.kind == LogItem.COMMIT && Arrays.equals(i.groupIdRef(), item.groupIdRef()) && i.epoch + 1 == g.epoch()) {
                commitHashes.put(key(item.groupIdRef(), g.epoch()), suite.hash(i.messageRef()));
            }
        }
        psks.enter(owner, g);
        proposedAt.remove(owner);
        outEvents.add(SessionEvent.of(SessionEvent.Kind.JOINED, owner, null));
    }

    private boolean commitItem(LogEntry entry, LogItem item) {
        String owner = entry.author;
        Group g = groups.get(owner);
        if (g == null) {
            // Not a member (yet): its removals are still followed, from the commit's signed metadata.
            followRemovals(item.recipients);
            return true;
        }
        if (g.status() != Group.Status.ACTIVE) {
            return true; // no longer a member
        }
        Bytes k = key(item.groupIdRef(), item.epoch);
        if (item.epoch < g.epoch()) {
            LogEntry seen = commitEntries.get(k);
            if (seen != null && !seen.sameAs(entry)) {
                equivocation(new Equivocation(Equivocation.Kind.SAME_EPOCH, seen, entry));
            }
            return true;
        }
        if (item.epoch > g.epoch()) {
            return reject(owner, ErrorCode.WRONG_EPOCH, "a commit from epoch " + item.epoch + ", the group is at " + g.epoch());
        }
        psks.clearSelection();
        for (LogItem.Import imp : item.imports) {
            if (!importReady(entry, imp)) {
                psks.clearSelection();
                return false;
            }
        }
        try {
            return applyCommit(entry, item, g, k);
        } finally {
            psks.clearSelection();
        }
    }

    private boolean applyCommit(LogEntry entry, LogItem item, Group g, Bytes k) {
        String owner = entry.author;
        // Kept so that the other branch of an equivocated epoch can be derived (see otherBranch).
        before.put(owner, g.toBytes());
        beforeEpoch.put(owner, g.epoch());
        for (LogItem.Bundled b : item.proposals) {
            if (b.sender.equals(me)) {
                continue; // our own proposal is cached already
            }
            ProcessedMessage pm = g.process(b.message());
            if (pm.kind != ProcessedMessage.Kind.PROPOSAL || !(pm.proposal instanceof Proposal.Update)
                    || !b.sender.equals(idOf(pm.senderCredential))) {
                throw new MlsException(ErrorCode.INVALID_PROPOSAL, "an owner may bundle only members' own Updates");
            }
        }
        ProcessedMessage pm = g.process(item.messageRef());
        StagedCommit sc = pm.commit;
        if (pm.kind != ProcessedMessage.Kind.COMMIT || pm.senderLeaf() != 0) {
            if (sc != null) {
                g.discard(sc);
            }
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "only the owner commits in a send group");
        }
        List<String> removed = new ArrayList<>();
        for (Member m : sc.removed()) {
            removed.add(idOf(m.credential));
        }
        boolean changed = !removed.isEmpty() || !sc.added().isEmpty();
        boolean mine = false;
        for (Member m : sc.updated()) {
            mine |= m.leafIndex == g.myLeafIndex();
        }
        g.merge(sc);
        commitEntries.put(k, entry);
        commitHashes.put(key(item.groupIdRef(), item.epoch + 1), suite.hash(item.messageRef()));
        Map<String, Long> theirs = imports.computeIfAbsent(owner, o -> new HashMap<>());
        for (LogItem.Import imp : item.imports) {
            String from = SendGroupId.owner(imp.groupId);
            if (from != null) {
                theirs.put(from, imp.epoch);
            }
        }
        if (g.status() != Group.Status.ACTIVE) {
            wantUpdate.remove(owner);
            outEvents.add(SessionEvent.of(SessionEvent.Kind.REMOVED, owner, null));
            erase();
            return true;
        }
        psks.enter(owner, g);
        LogItem other = unfollowed.get(k);
        if (other != null) {
            otherBranch(owner, other);
        }
        for (Member m : g.members()) {
            trust(idOf(m.credential), m.signatureKey());
        }
        if (changed) {
            outEvents.add(SessionEvent.of(SessionEvent.Kind.ROSTER_CHANGED, owner, null));
        }
        if (mine) {
            wantUpdate.remove(owner);
        } else if (wantUpdate.contains(owner)) {
            proposeUpdate(owner, g);
        }
        followRemovals(removed);
        erase();
        return true;
    }

    /** Removes from the own send group whom another owner removed from its own (policy). */
    private void followRemovals(List<String> removed) {
        if (!policy.followRemovals) {
            return;
        }
        for (String r : removed) {
            if (!r.equals(me) && own.status() == Group.Status.ACTIVE && leafOf(own, r) > 0) {
                ownCommit(List.<Proposal>of(new Proposal.Remove(leafOf(own, r))), true, false);
            }
        }
    }

    /**
     * Derives the exporter PSK of the epoch that {@code other} (a commit we did not follow) starts,
     * from the group as it was before the commit we followed, so that honest owners' imports of
     * either branch can be processed. Only the first forked epoch is covered (see docs/multi-mls.md).
     */
    private boolean otherBranch(String owner, LogItem other) {
        byte[] saved = before.get(owner);
        Long at = beforeEpoch.get(owner);
        if (saved == null || at == null || at != other.epoch) {
            return false;
        }
        for (LogItem.Import imp : other.imports) {
            if (!psks.has(imp.groupId, imp.epoch)) {
                return false; // not derivable yet: retried when an import names this branch
            }
        }
        try {
            Group alt = Group.fromBytes(saved, groupConfig, random);
            for (LogItem.Bundled b : other.proposals) {
                if (!b.sender.equals(me)) {
                    alt.process(b.message());
                }
            }
            ProcessedMessage pm = alt.process(other.messageRef());
            if (pm.kind != ProcessedMessage.Kind.COMMIT || pm.senderLeaf() != 0) {
                return false;
            }
            alt.merge(pm.commit);
            if (alt.status() == Group.Status.ACTIVE) {
                byte[] id = ExporterPsks.pskId(alt.groupId(), alt.epoch());
                psks.putAlternate(id, suite.hash(other.messageRef()),
                        alt.export(ExporterPsks.LABEL, id, suite.kdf().length()));
            }
            unfollowed.remove(key(other.groupIdRef(), other.epoch));
            return true;
        } catch (MlsException ex) {
            unfollowed.remove(key(other.groupIdRef(), other.epoch));
            outEvents.add(new SessionEvent(SessionEvent.Kind.REJECTED, owner, null, null, ex.code(),
                    "the other branch of an equivocation: " + ex.getMessage()));
            return false;
        }
    }

    /** Whether an import's exporter PSK is here; reports (once) why not. */
    private boolean importReady(LogEntry entry, LogItem.Import imp) {
        String from = SendGroupId.owner(imp.groupId);
        boolean held = psks.has(imp.groupId, imp.epoch);
        if (held) {
            byte[] h = commitHashes.get(key(imp.groupId, imp.epoch));
            if (h == null || imp.commitHash.length == 0 || Arrays.equals(h, imp.commitHash)) {
                return true;
            }
        }
        // The import names the other branch of an equivocation: its secret, derived now if the other
        // branch's commit has become processable since the evidence came in. (Where the followed
        // branch removed us before that epoch, only this secret exists here.)
        if (imp.commitHash.length > 0) {
            byte[] id = ExporterPsks.pskId(imp.groupId, imp.epoch);
            LogItem other = unfollowed.get(key(imp.groupId, imp.epoch - 1));
            if (psks.selectAlternate(id, imp.commitHash)
                    || (other != null && from != null && otherBranch(from, other) && psks.selectAlternate(id, imp.commitHash))) {
                return true;
            }
        }
        if (held) {
            report(entry, SessionEvent.Kind.FORKED_DEPENDENCY, from + " epoch " + imp.epoch + " on a branch not followed here");
        } else {
            report(entry, SessionEvent.Kind.WAITING, "on " + from + " epoch " + imp.epoch);
        }
        return false;
    }

    private void report(LogEntry entry, SessionEvent.Kind kind, String detail) {
        if (reported.add(entry.author + "#" + entry.seq + " " + kind + " " + detail)) {
            outEvents.add(SessionEvent.of(kind, entry.author, detail));
        }
    }

    private void application(String owner, LogItem item) {
        Group g = groups.get(owner);
        if (g == null || g.status() != Group.Status.ACTIVE) {
            return;
        }
        if (item.epoch != g.epoch()) {
            throw new MlsException(ErrorCode.WRONG_EPOCH, "an application message of epoch " + item.epoch + ", the group is at "
                    + g.epoch());
        }
        ProcessedMessage pm = g.process(item.messageRef());
        if (pm.kind != ProcessedMessage.Kind.APPLICATION || pm.senderLeaf() != 0) {
            throw new MlsException(ErrorCode.UNKNOWN_MEMBER, "only the owner sends application messages in its send group");
        }
        outEvents.add(new SessionEvent(SessionEvent.Kind.MESSAGE, owner, pm.applicationData(), null, null, null));
    }

    // ---------------------------------------------------------------- retention

    /**
     * Erases exporter PSKs no owner can name again: epoch k of G is erased once every participant
     * this one knows of (itself, its roster, the owners and members of the send groups it is in)
     * has imported an epoch >= k of G into a send group this one is in (imports only move forward).
     * A silent owner, or one that never adds us, keeps old secrets alive until excised.
     */
    private void erase() {
        // Owners whose future commits we may process: our roster, every send group we are still in
        // (a removed participant's included), and every member of those (a participant we have not
        // added yet may add us and import any epoch it saw).
        Set<String> owners = roster();
        for (String o : senders()) {
            owners.add(o);
            owners.addAll(membersOf(groups.get(o), o));
        }
        owners.add(me);
        for (String g : new ArrayList<>(toList(psks.owners()))) {
            long min = Long.MAX_VALUE;
            for (String h : owners) {
                if (h.equals(g)) {
                    continue;
                }
                if (!h.equals(me)) {
                    Group hg = groups.get(h);
                    if (hg == null) {
                        min = -1; // not joined yet: its commits may still name anything we hold
                        break;
                    }
                    if (hg.status() != Group.Status.ACTIVE) {
                        continue;
                    }
                }
                Long last = imports.getOrDefault(h, Map.of()).get(g);
                min = Math.min(min, last == null ? -1 : last);
            }
            if (min >= 0 && min != Long.MAX_VALUE) {
                psks.eraseUpTo(g, min);
            }
        }
    }

    private static List<String> toList(Iterable<String> it) {
        List<String> out = new ArrayList<>();
        for (String s : it) {
            out.add(s);
        }
        return out;
    }

    private static int leafOf(Group g, String id) {
        for (Member m : g.members()) {
            if (idOf(m.credential).equals(id)) {
                return m.leafIndex;
            }
        }
        return -1;
    }

    private static Bytes key(byte[] groupId, long epoch) {
        return new Bytes(new TlsWriter(groupId.length + 8).u64(epoch).raw(groupId).toByteArray());
    }
}
