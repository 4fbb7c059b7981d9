package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;

/**
 * Every participant's log as far as this peer has it. Entries may be offered in any order, any
 * number of times: an entry waits until its predecessor is there, a duplicate changes nothing, and
 * each author's accepted entries form one hash chain from seq 0. Entries of an author whose key is
 * not known yet are kept (and can be relayed) until {@link #trust} names the key. A second signed
 * entry at a position already taken is equivocation; it is kept as evidence and relayed too.
 * Knows nothing of MLS, so a peer that reads none of the groups can still store and forward.
 */
public final class LogBook {
    /** Entries kept per author beyond its chain (out of order, unverified, or conflicting). */
    static final int MAX_WAITING = 1 << 14;

    private final CipherSuite suite;
    private final Map<String, byte[]> keys = new HashMap<>();
    private final Map<String, Chain> chains = new TreeMap<>();

    /** One author's chain and what waits to join it. */
    private static final class Chain {
        final List<LogEntry> entries = new ArrayList<>();
        final List<byte[]> hashes = new ArrayList<>();
        final Map<Integer, List<LogEntry>> waiting = new HashMap<>();
        int waitingCount;
        final List<LogEntry> conflicts = new ArrayList<>();
        Equivocation evidence;
    }

    /** What one offer changed. */
    public static final class Offer {
        /** Whether the entry was new to this book (worth relaying). */
        public final boolean isNew;
        /** Entries that joined their author's chain, in chain order. */
        public final List<LogEntry> appended;
        /** Equivocation found by this offer (the first for its author), or null. */
        public final Equivocation equivocation;

        Offer(boolean isNew, List<LogEntry> appended, Equivocation equivocation) {
            this.isNew = isNew;
            this.appended = appended;
            this.equivocation = equivocation;
        }

        static final Offer NOTHING = new Offer(false, Collections.<LogEntry>emptyList(), null);
    }

    /** The length and head hash of one author's chain: what a peer has, for anti-entropy. */
    public static final class Head {
        public final int count;
        private final byte[] hash;

        public Head(int count, byte[] hash) {
            this.count = count;
            this.hash = hash.clone();
        }

        public byte[] hash() {
            return hash.clone();
        }
    }

    public LogBook(CipherSuite suite) {
        this.suite = suite;
    }

    /** The signature key of {@code author}, or null. */
    public byte[] key(String author) {
        byte[] k = keys.get(author);
        return k == null ? null : k.clone();
    }

    /**
     * Names {@code author}'s signature key (from a KeyPackage or a leaf the MLS layer verified).
     * The first key named for an author stays; returns the entries this let into the chain.
     */
    public Offer trust(String author, byte[] key) {
        if (keys.containsKey(author)) {
            return Offer.NOTHING;
        }
        keys.put(author, key.clone());
        Chain c = chains.get(author);
        if (c == null) {
            return Offer.NOTHING;
        }
        // Drop what was kept unverified and does not verify.
        for (Iterator<List<LogEntry>> it = c.waiting.values().iterator(); it.hasNext();) {
            List<LogEntry> list = it.next();
            int before = list.size();
            list.removeIf(e -> !e.verify(suite, key));
            c.waitingCount -= before - list.size();
            if (list.isEmpty()) {
                it.remove();
            }
        }
        List<LogEntry> appended = new ArrayList<>();
        Equivocation found = drain(c, appended);
        return new Offer(false, appended, found);
    }

    /** Offers one entry (from the network, a relay, or this peer itself). */
    public Offer offer(LogEntry e) {
        Chain c = chains.computeIfAbsent(e.author, a -> new Chain());
        byte[] key = keys.get(e.author);
        if (e.seq < c.entries.size()) {
            if (c.entries.get(e.seq).sameAs(e) || contains(c.conflicts, e)) {
                return Offer.NOTHING;
            }
            if (!e.verify(suite, key)) {
                return Offer.NOTHING;
            }
            c.conflicts.add(e);
            Equivocation found = null;
            if (c.evidence == null) {
                c.evidence = new Equivocation(Equivocation.Kind.SAME_POSITION, c.entries.get(e.seq), e);
                found = c.evidence;
            }
            return new Offer(true, Collections.<LogEntry>emptyList(), found);
        }
        List<LogEntry> list = c.waiting.get(e.seq);
        if (list != null && contains(list, e)) {
            return Offer.NOTHING;
        }
        if ((key != null && !e.verify(suite, key)) || c.waitingCount >= MAX_WAITING) {
            return Offer.NOTHING;
        }
        c.waiting.computeIfAbsent(e.seq, s -> new ArrayList<>()).add(e);
        c.waitingCount++;
        List<LogEntry> appended = new ArrayList<>();
        Equivocation found = key == null ? null : drain(c, appended);
        return new Offer(true, appended, found);
    }

    private static boolean contains(List<LogEntry> list, LogEntry e) {
        for (LogEntry x : list) {
            if (x.sameAs(e)) {
                return true;
            }
        }
        return false;
    }

    /** Moves waiting entries into the chain while the next position has one that follows the head. */
    private Equivocation drain(Chain c, List<LogEntry> appended) {
        Equivocation found = null;
        while (true) {
            int next = c.entries.size();
            List<LogEntry> list = c.waiting.get(next);
            if (list == null) {
                return found;
            }
            byte[] head = next == 0 ? new byte[0] : c.hashes.get(next - 1);
            LogEntry chosen = null;
            for (LogEntry e : list) {
                if (e.follows(head)) {
                    chosen = e;
                    break;
                }
            }
            if (chosen == null) {
                return found;
            }
            c.waiting.remove(next);
            c.waitingCount -= list.size();
            c.entries.add(chosen);
            c.hashes.add(chosen.hash(suite));
            appended.add(chosen);
            for (LogEntry other : list) {
                if (other != chosen) {
                    c.conflicts.add(other);
                    if (c.evidence == null) {
                        c.evidence = new Equivocation(Equivocation.Kind.SAME_POSITION, chosen, other);
                        found = c.evidence;
                    }
                }
            }
        }
    }

    /** Every author this book holds entries of, sorted. */
    public List<String> authors() {
        return new ArrayList<>(chains.keySet());
    }

    /** {@code author}'s accepted entries, in chain order. */
    public List<LogEntry> chain(String author) {
        Chain c = chains.get(author);
        return c == null ? Collections.<LogEntry>emptyList() : Collections.unmodifiableList(c.entries);
    }

    /** The hash of {@code author}'s entry at {@code seq} (which must be in the chain). */
    byte[] hashAt(String author, int seq) {
        return chains.get(author).hashes.get(seq);
    }

    /** The first equivocation found in {@code author}'s log, or null. */
    public Equivocation evidence(String author) {
        Chain c = chains.get(author);
        return c == null ? null : c.evidence;
    }

    /** What this book has of every author: for a peer to answer with {@link #missingFor}. */
    public Map<String, Head> summary() {
        Map<String, Head> out = new TreeMap<>();
        for (Map.Entry<String, Chain> e : chains.entrySet()) {
            Chain c = e.getValue();
            int n = c.entries.size();
            out.put(e.getKey(), new Head(n, n == 0 ? new byte[0] : c.hashes.get(n - 1)));
        }
        return out;
    }

    /**
     * The entries a peer whose book has {@code theirs} lacks: chain entries beyond its count, our
     * entry at its head when its head differs (so that it sees the fork), our conflicting entries,
     * and entries we keep unchained (store and forward).
     */
    public List<LogEntry> missingFor(Map<String, Head> theirs) {
        List<LogEntry> out = new ArrayList<>();
        for (Map.Entry<String, Chain> e : chains.entrySet()) {
            Chain c = e.getValue();
            Head h = theirs.get(e.getKey());
            int from = h == null ? 0 : h.count;
            if (h != null && h.count > 0 && h.count <= c.entries.size()
                    && !Arrays.equals(c.hashes.get(h.count - 1), h.hash)) {
                out.add(c.entries.get(h.count - 1));
            }
            for (int i = from; i < c.entries.size(); i++) {
                out.add(c.entries.get(i));
            }
            out.addAll(c.conflicts);
            for (List<LogEntry> w : c.waiting.values()) {
                out.addAll(w);
            }
        }
        return out;
    }

    /** Keys and every entry held (chains in order, then conflicts and waiting ones). */
    void encode(TlsWriter w) {
        int m = w.beginVector();
        for (Map.Entry<String, byte[]> k : new TreeMap<>(keys).entrySet()) {
            w.utf8(k.getKey()).opaque(k.getValue());
        }
        w.endVector(m);
        m = w.beginVector();
        for (Chain c : chains.values()) {
            for (LogEntry e : c.entries) {
                w.opaque(e.toBytes());
            }
            for (LogEntry e : c.conflicts) {
                w.opaque(e.toBytes());
            }
            for (List<LogEntry> list : c.waiting.values()) {
                for (LogEntry e : list) {
                    w.opaque(e.toBytes());
                }
            }
        }
        w.endVector(m);
    }

    static LogBook decode(CipherSuite suite, TlsReader in) {
        LogBook b = new LogBook(suite);
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            b.keys.put(v.utf8(), v.opaque());
        }
        v = in.vector();
        while (v.hasRemaining()) {
            b.offer(LogEntry.fromBytes(v.opaque()));
        }
        return b;
    }
}
