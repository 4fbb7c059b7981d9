package org.mlskit.ds.mailbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.postgresql.PGConnection;

/**
 * Live fan-out. After every commit of this instance (and, on PostgreSQL, on every NOTIFY from
 * another instance) one thread reads what is new in sequence order, works out who receives it
 * from the membership ranges, and hands it to the open sockets of those devices. Sequence numbers
 * become visible in order (the write lock), so reading "everything after the last seen" never
 * skips one.
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
    private boolean signalled;
    private long signalledAt;
    /** For the load benchmark: drains, entries, ns signal->drain, ns reading entries, ns reading recipients, ns handing to sockets. */
    private final java.util.concurrent.atomic.AtomicLongArray stats = new java.util.concurrent.atomic.AtomicLongArray(6);
    private volatile boolean closed;
    private long head;
    private final Thread thread;
    private Thread listener;

    public Feed(Database db) {
        this.db = db;
        this.head = db.read(s -> s.queryLong(0, "SELECT max(id) FROM messages"));
        db.onCommit(this::signal);
        thread = daemon("ds-feed").newThread(this::run);
        thread.start();
        if (db.dialect() == Dialect.POSTGRES) {
            listener = daemon("ds-listen").newThread(this::listen);
            listener.start();
        }
    }

    /** Something new may be there. */
    public void signal() {
        lock.lock();
        try {
            if (!signalled) {
                signalledAt = System.nanoTime();
            }
            signalled = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Opens a subscription from cursor {@code after}: catch up, then live. */
    void subscribe(long dev, Session session, long after, Mailbox mailbox) {
        Subscriber sub = new Subscriber(dev, session, after);
        sockets.compute(dev, (k, set) -> {
            Set<Subscriber> s = set != null ? set : ConcurrentHashMap.<Subscriber>newKeySet();
            s.add(sub);
            return s;
        });
        sessionSubscribers.put(session, sub);
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

    /** {drains, entries, ns signal to drain, ns reading entries, ns reading recipients, ns handing to sockets}. */
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
            lock.lock();
            try {
                if (!signalled) {
                    // Also look every second: a NOTIFY lost with a dropped connection must not stall delivery.
                    wake.await(1, TimeUnit.SECONDS);
                }
                if (signalled) {
                    stats.addAndGet(2, System.nanoTime() - signalledAt);
                }
                signalled = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                while (!closed && drain()) {
                    // more than one batch was waiting
                }
            } catch (RuntimeException e) {
                // the database failed; the next signal or tick tries again from the same head
            }
        }
    }

    /** Delivers one batch; true when there may be more. */
    private boolean drain() {
        long from = head;
        List<Recipients.Row> rows = new ArrayList<>();
        Map<Long, List<Entry>> byDev = new HashMap<>();
        long t0 = System.nanoTime();
        long[] t1 = new long[1];
        try {
            db.read(s -> {
                try (ResultSet rs = s.bind("SELECT id, group_id, kind, bytes FROM messages WHERE id > ? ORDER BY id LIMIT " + BATCH,
                        from).executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Recipients.Row(new Entry(rs.getLong(1), rs.getBytes(4)), rs.getBytes(2), rs.getInt(3)));
                    }
                }
                t1[0] = System.nanoTime();
                recipients.passed(rows);
                // Looked at only after the read: a socket that opens later catches up from the database with a read
                // that starts after this one, so it sees these entries there.
                if (!rows.isEmpty() && !sockets.isEmpty()) {
                    long to = rows.get(rows.size() - 1).entry().seq();
                    byDev.putAll(recipients.route(s, rows, from, to, sockets::containsKey));
                }
                return null;
            });
        } catch (RuntimeException e) {
            recipients.clear(); // rows may have been read (commits passed) without being delivered
            throw e;
        }
        long t2 = System.nanoTime();
        if (rows.isEmpty()) {
            return false;
        }
        head = rows.get(rows.size() - 1).entry().seq();
        // Members of one room get equal lists (the same Entry objects): one frame text for all of them.
        Map<List<Entry>, String> frames = new HashMap<>();
        for (Map.Entry<Long, List<Entry>> e : byDev.entrySet()) {
            Set<Subscriber> subs = sockets.get(e.getKey());
            if (subs != null) {
                String frame = frames.computeIfAbsent(e.getValue(), Subscriber::frame);
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
        stats.incrementAndGet(0);
        stats.addAndGet(1, rows.size());
        stats.addAndGet(3, t1[0] - t0);
        stats.addAndGet(4, t2 - t1[0]);
        stats.addAndGet(5, System.nanoTime() - t2);
        return rows.size() == BATCH;
    }

    /** PostgreSQL: other instances' commits arrive as NOTIFY on {@link #CHANNEL}. */
    private void listen() {
        while (!closed) {
            try (Connection c = db.connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                signal(); // whatever was missed while not listening
                while (!closed) {
                    var n = pg.getNotifications(500);
                    if (n != null) {
                        for (var one : n) {
                            if (!db.instance().equals(one.getParameter())) {
                                signal(); // another instance committed (ours woke the feed already)
                                break;
                            }
                        }
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
