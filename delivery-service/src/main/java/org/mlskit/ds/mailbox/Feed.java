package org.mlskit.ds.mailbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jetty.websocket.api.Session;
import org.mlskit.ds.store.Database;
import org.mlskit.ds.store.Dialect;
import org.mlskit.ds.store.Notice;
import org.mlskit.ds.store.Notifications;
import org.mlskit.ds.store.Written;

/**
 * Live fan-out. After every commit of this instance (and, on PostgreSQL, on every NOTIFY from
 * another instance) one thread takes what is new in sequence order, works out who receives it
 * from the membership ranges, and hands it to the open sockets of those devices. Sequence numbers
 * become visible in order (the write lock), so reading "everything after the last seen" never
 * skips one. What this instance's writer stored, and what other instances' NOTIFYs carry
 * ({@link Notice}), is delivered from memory once it follows the last delivered entry; a gap
 * that the next notice does not fill soon is read from the database.
 */
public final class Feed implements AutoCloseable {
    /** The PostgreSQL channel instances notify each other on. */
    public static final String CHANNEL = "mlskit_feed";
    private static final int BATCH = 2000;

    private final Database db;
    /** Used by the feed thread only. */
    private final Recipients recipients = new Recipients();
    private final Map<Long, Set<Subscriber>> sockets = new ConcurrentHashMap<>();
    private final Map<Session, Subscriber> sessionSubscribers = new ConcurrentHashMap<>();
    private final ExecutorService catchUps = Executors.newFixedThreadPool(2, daemon("ds-catch-up"));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by {@link #lock}: something was handed over or signalled; the database must be looked at. */
    private boolean woken;
    private boolean look;
    private long wokenAt;
    /** What this instance's writer stored, batch by batch, in id order, and what other instances' notices carried. */
    private final java.util.Queue<List<Written>> handed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger handedEntries = new java.util.concurrent.atomic.AtomicInteger();
    /** Entries waiting in {@link #handed} and {@link #early} at most; past that the feed reads them back instead. */
    private static final int MAX_HANDED = 20_000;
    /**
     * How long a batch that does not follow the last delivered entry waits for the batch before it
     * (committed by another instance, its notice on the way) before the database is read instead.
     */
    private static final long GAP_WAIT_NANOS = 10_000_000;
    /** Feed thread only: handed batches that do not follow yet, by first id. */
    private final java.util.TreeMap<Long, List<Written>> early = new java.util.TreeMap<>();
    /** Feed thread only: when the oldest of {@link #early} started waiting (System.nanoTime()), and at which head. */
    private long earlySince;
    private long earlyHead = -1;
    /**
     * For the load benchmark: batches delivered, entries, ns from wake-up to delivery, ns reading
     * entries, ns reading recipients, ns handing to sockets, handed batches (this writer's and
     * notices) delivered without reading them, handed batches a database read delivered first.
     */
    private final java.util.concurrent.atomic.AtomicLongArray stats = new java.util.concurrent.atomic.AtomicLongArray(8);
    private volatile boolean closed;
    private long head;
    private final Thread thread;
    private Thread listener;

    public Feed(Database db) {
        this.db = db;
        this.head = db.read(s -> s.queryLong(0, "SELECT max(id) FROM messages"));
        db.onCommit(this::handOver);
        thread = daemon("ds-feed").newThread(this::run);
        thread.start();
        if (db.dialect() == Dialect.POSTGRES) {
            listener = daemon("ds-listen").newThread(this::listen);
            listener.start();
        }
    }

    /** Something new may be in the database (another instance committed; a listener reconnected). */
    public void signal() {
        wake(true);
    }

    /** This instance's writer committed {@code written}: delivered from memory when nothing came in between. */
    private void handOver(List<Written> written) {
        if (written.isEmpty()) {
            return;
        }
        if (handedEntries.get() > MAX_HANDED) {
            wake(true); // the feed is far behind: it reads these from the database, holding no more in memory
            return;
        }
        handedEntries.addAndGet(written.size());
        handed.add(written);
        wake(false);
    }

    private void wake(boolean database) {
        lock.lock();
        try {
            if (!woken) {
                wokenAt = System.nanoTime();
            }
            woken = true;
            look |= database;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Opens a subscription from cursor {@code after}: catch up, then live. */
    void subscribe(long dev, Session session, long after, boolean hold) {
        Subscriber sub = new Subscriber(dev, session, after, hold);
        sockets.compute(dev, (k, set) -> {
            Set<Subscriber> s = set != null ? set : ConcurrentHashMap.<Subscriber>newKeySet();
            s.add(sub);
            return s;
        });
        sessionSubscribers.put(session, sub);
        if (!hold) {
            catchUp(sub);
        }
    }

    /** The client of a socket opened with {@code hold=1} asked to start: catch up, then live. */
    void start(Session session) {
        Subscriber sub = sessionSubscribers.get(session);
        if (sub != null && sub.start()) {
            catchUp(sub);
        }
    }

    private void catchUp(Subscriber sub) {
        long dev = sub.dev;
        catchUps.execute(() -> {
            try {
                while (!sub.isClosed()) {
                    List<Entry> page = db.read(s -> Mailbox.fetch(s, dev, sub.lastSent(), Mailbox.MAX_FETCH));
                    sub.catchUp(page);
                    if (page.size() < Mailbox.MAX_FETCH) {
                        sub.goLive();
                        return;
                    }
                }
            } catch (RuntimeException e) {
                sub.close(1011, "catching up failed: " + e.getMessage());
            }
        });
    }

    void unsubscribe(Session session) {
        Subscriber sub = sessionSubscribers.remove(session);
        if (sub != null) {
            // Atomic per device: a socket of the same device opening meanwhile is never dropped with the set.
            sockets.computeIfPresent(sub.dev, (k, set) -> {
                set.remove(sub);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** The benchmark figures (see {@link #stats}'s fields). */
    public long[] stats() {
        long[] a = new long[stats.length()];
        for (int i = 0; i < a.length; i++) {
            a[i] = stats.get(i);
        }
        return a;
    }

    /** Open mailbox sockets on this instance. */
    public int connections() {
        return sessionSubscribers.size();
    }

    private void run() {
        while (!closed) {
            boolean database;
            lock.lock();
            try {
                if (!woken) {
                    // Also look every second: a NOTIFY lost with a dropped connection must not stall delivery.
                    long wait = early.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : earlySince + GAP_WAIT_NANOS - System.nanoTime();
                    if (wait > 0) {
                        wake.awaitNanos(wait);
                    }
                }
                database = look || !woken; // a tick, or a gap waited for long enough
                if (woken) {
                    stats.addAndGet(2, System.nanoTime() - wokenAt);
                }
                woken = false;
                look = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                deliverHanded();
                database |= !early.isEmpty() && System.nanoTime() - earlySince >= GAP_WAIT_NANOS;
                if (database) {
                    while (!closed && drain()) {
                        // more than one batch was waiting
                    }
                    deliverHanded(); // drops what the read delivered; delivers what follows it
                }
            } catch (RuntimeException e) {
                // the database failed; the next signal or tick tries again from the same head
                recipients.clear(); // rows may have been passed (commits among them) without being delivered
                signal();
                sleepQuietly();
            }
        }
    }

    /**
     * Delivers handed batches (this instance's writer's and other instances' notices) that follow
     * the last delivered entry, as few batches as possible. A batch that does not follow yet waits
     * in {@link #early}: the write lock orders every writer's ids, so the batch before it was
     * committed already, and its notice is on the way (or it was too large for one, or its
     * transaction was rolled back and left a gap: then the database read after
     * {@link #GAP_WAIT_NANOS} moves past it).
     */
    private void deliverHanded() {
        for (List<Written> w; (w = handed.poll()) != null; ) {
            early.put(w.get(0).id(), w);
        }
        List<Written> run = new ArrayList<>();
        long runLast = head;
        while (!closed && !early.isEmpty()) {
            List<Written> w = early.firstEntry().getValue();
            long first = w.get(0).id();
            long last = w.get(w.size() - 1).id();
            if (first - 1 > runLast) {
                break;
            }
            early.pollFirstEntry();
            handedEntries.addAndGet(-w.size());
            if (last <= runLast) {
                stats.incrementAndGet(7); // a read of the database delivered it already
                continue;
            }
            if (first <= runLast) {
                // Part of it was read already (a commit is atomic, so only if a notice split it): the rest.
                long from = runLast;
                w = w.stream().filter(x -> x.id() > from).toList();
            }
            if (run.size() + w.size() > BATCH && !run.isEmpty()) {
                deliver(run);
                run = new ArrayList<>();
            }
            run.addAll(w);
            runLast = last;
            stats.incrementAndGet(6);
        }
        if (!run.isEmpty()) {
            deliver(run);
        }
        if (early.isEmpty()) {
            earlyHead = -1;
        } else if (earlyHead != head) {
            // The head moved (here or by a database read) or nothing waited: the first early batch waits from now.
            earlySince = System.nanoTime();
            earlyHead = head;
        }
    }

    /** Delivers entries that follow the last delivered one, from memory. */
    private void deliver(List<Written> written) {
        long last = written.get(written.size() - 1).id();
        List<Recipients.Row> rows = new ArrayList<>(written.size());
        for (Written w : written) {
            rows.add(new Recipients.Row(new Entry(w.id(), w.kind(), w.bytes()), w.groupId(), w.kind(), w.to()));
        }
        long t0 = System.nanoTime();
        recipients.passed(rows);
        Map<Long, List<Entry>> byDev = new HashMap<>();
        // Committed before it was handed over: a socket opening later catches up from the database.
        if (!sockets.isEmpty()) {
            if (recipients.canRoute(rows)) {
                try {
                    byDev = recipients.route(null, rows, sockets::containsKey);
                } catch (SQLException e) {
                    throw new IllegalStateException("routing without the database read it", e);
                }
            } else {
                byDev = db.read(s -> recipients.route(s, rows, sockets::containsKey));
            }
        }
        long t1 = System.nanoTime();
        head = last;
        handToSockets(byDev);
        count(rows.size(), t0, t0, t1);
    }

    /** Reads and delivers one batch from the database; true when there may be more. */
    private boolean drain() {
        long from = head;
        List<Recipients.Row> rows = new ArrayList<>();
        Map<Long, List<Entry>> byDev = new HashMap<>();
        long t0 = System.nanoTime();
        long[] t1 = new long[1];
        db.read(s -> {
            try (ResultSet rs = s.bind("SELECT id, group_id, kind, bytes FROM messages WHERE id > ? ORDER BY id LIMIT " + BATCH,
                    from).executeQuery()) {
                while (rs.next()) {
                    rows.add(new Recipients.Row(new Entry(rs.getLong(1), rs.getInt(3), rs.getBytes(4)), rs.getBytes(2), rs.getInt(3), null));
                }
            }
            t1[0] = System.nanoTime();
            recipients.passed(rows);
            // Looked at only after the read: a socket that opens later catches up from the database with a read
            // that starts after this one, so it sees these entries there.
            if (!rows.isEmpty() && !sockets.isEmpty()) {
                byDev.putAll(recipients.route(s, rows, sockets::containsKey));
            }
            return null;
        });
        long t2 = System.nanoTime();
        if (rows.isEmpty()) {
            return false;
        }
        head = rows.get(rows.size() - 1).entry().seq();
        handToSockets(byDev);
        count(rows.size(), t0, t1[0], t2);
        return rows.size() == BATCH;
    }

    private void handToSockets(Map<Long, List<Entry>> byDev) {
        // Members of one room get equal lists (the same Entry objects): one frame for all of them.
        Map<List<Entry>, byte[]> frames = new HashMap<>();
        for (Map.Entry<Long, List<Entry>> e : byDev.entrySet()) {
            Set<Subscriber> subs = sockets.get(e.getKey());
            if (subs != null) {
                byte[] frame = frames.computeIfAbsent(e.getValue(), Subscriber::frame);
                for (Subscriber sub : subs) {
                    try {
                        sub.offer(e.getValue(), frame);
                    } catch (RuntimeException x) {
                        // Never skip a socket silently: close it, its client resumes from its cursor.
                        sub.close(1011, "delivery failed: " + x);
                    }
                }
            }
        }
    }

    /** Benchmark figures of one delivered batch: started, read, routed, then handed to sockets until now. */
    private void count(int entries, long started, long read, long routed) {
        stats.incrementAndGet(0);
        stats.addAndGet(1, entries);
        stats.addAndGet(3, read - started);
        stats.addAndGet(4, routed - read);
        stats.addAndGet(5, System.nanoTime() - routed);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** PostgreSQL: other instances' commits arrive as NOTIFY on {@link #CHANNEL}. */
    private void listen() {
        while (!closed) {
            try (Notifications notices = new Notifications(db.connect(), CHANNEL)) {
                signal(); // whatever was missed while not listening
                while (!closed) {
                    for (String payload : notices.await(500)) {
                        heard(payload);
                    }
                }
            } catch (SQLException e) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Another instance committed (this instance's own notices are skipped: its feed woke already). */
    private void heard(String payload) {
        if (Notice.isFrom(payload, db.instance())) {
            return;
        }
        Notice notice;
        try {
            notice = Notice.parse(payload);
        } catch (IllegalArgumentException e) {
            signal(); // not a notice this version wrote: read the database
            return;
        }
        if (notice.written() == null) {
            signal();
        } else {
            handOver(notice.written());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        signal();
        catchUps.shutdownNow();
        for (Subscriber sub : sessionSubscribers.values()) {
            sub.close(1001, "the server is stopping");
        }
        try {
            thread.join(5000);
            if (listener != null) {
                listener.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
