package org.mlskit.ds.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

import org.mlskit.ds.api.DsError;

/**
 * The one thread that writes. It takes every write waiting in its queue, runs them in one
 * transaction and commits once ("group commit": one fsync for the batch), and only then
 * completes their futures, so an acknowledgement always means durable.
 *
 * <p>An operation that fails before it wrote anything just fails. One that fails after writing
 * makes the writer roll the batch back and run it again without it; operations are functions of
 * the database state, so running one again is safe.
 */
final class Writer implements Runnable {
    static final int MAX_BATCH = 256;

    private final Supplier<Statements> connect;
    private final Dialect dialect;
    private final java.util.function.Consumer<List<Written>> afterCommit;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /**
     * Completes the futures of a durable batch. Completing one runs its request's continuation
     * (the HTTP response is encoded and written there), which must not hold up the next batch.
     */
    private final java.util.concurrent.ExecutorService acks = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "ds-acks");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private Statements tx;
    /** The write generation after this writer's last commit; -1: unknown, forget the facts. */
    private long generation = -1;
    /** Counters for the load benchmark: batches, operations, nanoseconds running them, nanoseconds committing, statements. */
    private final java.util.concurrent.atomic.AtomicLongArray stats = new java.util.concurrent.atomic.AtomicLongArray(5);

    /** This DS instance's id, at the start of its NOTIFYs' payloads ({@link Notice}). */
    private final String instance;

    Writer(Supplier<Statements> connect, Dialect dialect, java.util.function.Consumer<List<Written>> afterCommit, String instance) {
        this.instance = instance;
        this.connect = connect;
        this.dialect = dialect;
        this.afterCommit = afterCommit;
    }

    <T> CompletableFuture<T> submit(WriteOp<T> op) {
        Pending<T> p = new Pending<>(op);
        if (closed) {
            p.future.completeExceptionally(new DsError(DsError.Code.UNAVAILABLE, "the server is stopping"));
            return p.future;
        }
        queue.add(p);
        return p.future;
    }

    /** Operations waiting for the writer (a load figure). */
    int backlog() {
        return queue.size();
    }

    /** {batches, operations, nanos running operations, nanos in commit, statements}. */
    long[] stats() {
        return new long[] {stats.get(0), stats.get(1), stats.get(2), stats.get(3), stats.get(4)};
    }

    void close() {
        closed = true;
        queue.add(Pending.STOP);
    }

    @Override
    public void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(Pending.STOP);
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            if (stop) {
                break;
            }
        }
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            if (p != Pending.STOP) {
                p.future.completeExceptionally(new DsError(DsError.Code.UNAVAILABLE, "the server is stopping"));
            }
        }
        if (tx != null) {
            tx.close();
        }
        acks.shutdown();
    }

    private void runBatch(List<Pending<?>> batch) {
        List<Pending<?>> live = new ArrayList<>(batch);
        while (true) {
            try {
                if (tx == null) {
                    tx = connect.get();
                    tx.connection().setAutoCommit(false);
                }
                long statements = tx.statements;
                String lock = dialect.writeLock();
                // Under the lock: if no one changed anything since our last commit, what we read then still holds.
                long now;
                if (lock != null) {
                    now = tx.queryLong(-1, lock);
                    // Writes that came in while another instance held the lock join this batch
                    // instead of waiting for the lock once more.
                    for (Pending<?> p; live.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
                        if (p == Pending.STOP) {
                            queue.add(p);
                            break;
                        }
                        live.add(p);
                    }
                } else {
                    now = tx.queryLong(-1, "SELECT n FROM write_generation WHERE id = 1");
                }
                if (now != generation) {
                    forgetChangedSince(now);
                }
                tx.resetChanges();
                tx.written.clear(); // of a rolled-back attempt
                Pending<?> poisoned = null;
                long t0 = System.nanoTime();
                for (Pending<?> p : live) {
                    tx.writes = 0;
                    try {
                        p.run(tx);
                    } catch (SQLException | RuntimeException e) {
                        p.failure = e;
                        if (tx.writes > 0) {
                            poisoned = p;
                            break;
                        }
                    }
                }
                if (tx.deferredFailed) {
                    // An operation's statement flushed earlier operations' message inserts and that failed:
                    // those operations were told their message is stored, so all of the batch fails.
                    throw new SQLException("storing the batch's messages failed");
                }
                if (poisoned == null) {
                    try {
                        tx.flushDeferred();
                    } catch (SQLException e) {
                        tx.connection().rollback();
                        throw e; // the batch as a whole failed to store: nothing of it is acknowledged
                    }
                }
                if (poisoned != null) {
                    tx.discardDeferred();
                    tx.connection().rollback();
                    tx.forget(); // read after writes that are now undone
                    generation = -1;
                    poisoned.finish();
                    live.remove(poisoned);
                    for (Pending<?> p : live) {
                        p.failure = null;
                    }
                    continue;
                }
                if (tx.changedFacts()) {
                    tx.bind("UPDATE write_generation SET n = n + 1 WHERE id = 1").executeUpdate();
                    now++;
                    recordChanges(now);
                }
                long t1 = System.nanoTime();
                // Only new mailbox entries concern the other instances' feeds (not acks, uploads, ...).
                boolean notified = !tx.written.isEmpty() && dialect.notifyAndCommit() != null;
                if (notified) {
                    List<String> notices = Notice.payloads(instance, tx.written);
                    tx.bind(dialect.notifyAndCommit(), tx.connection().createArrayOf("text", notices.toArray())).execute();
                }
                tx.connection().commit(); // no round trip when the notices' statement committed
                generation = now;
                stats.incrementAndGet(0);
                stats.addAndGet(1, live.size());
                stats.addAndGet(2, t1 - t0);
                stats.addAndGet(3, System.nanoTime() - t1);
                stats.addAndGet(4, tx.statements - statements + (notified ? 0 : 1)); // and the commit
            } catch (SQLException | RuntimeException e) {
                // The database itself failed (disk full, connection lost): nothing of the batch is acknowledged.
                generation = -1;
                if (tx != null) {
                    tx.close();
                    tx = null;
                }
                for (Pending<?> p : live) {
                    p.failure = new DsError(DsError.Code.UNAVAILABLE, "storage failed: " + e.getMessage());
                    p.finish();
                }
                return;
            }
            acks.execute(() -> {
                for (Pending<?> p : live) {
                    p.finish();
                }
            });
            List<Written> written = List.copyOf(tx.written);
            tx.written.clear();
            afterCommit.accept(written);
            return;
        }
    }

    /** Generations of {@code fact_changes} kept; a writer further behind forgets every fact. */
    static final int KEPT_GENERATIONS = 10_000;

    /**
     * Other writers moved the generation from ours to {@code now}: forget the facts of the rooms
     * they changed, or all of them when a change named no room or is not on record.
     */
    private void forgetChangedSince(long now) throws SQLException {
        if (generation < 0 || now < generation || now - generation > KEPT_GENERATIONS) {
            tx.forget();
            return;
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        java.util.Set<java.nio.ByteBuffer> rooms = new java.util.HashSet<>();
        try (java.sql.ResultSet rs = tx.bind("SELECT generation, group_id FROM fact_changes WHERE generation > ? AND generation <= ?",
                generation, now).executeQuery()) {
            while (rs.next()) {
                seen.add(rs.getLong(1));
                byte[] room = rs.getBytes(2);
                if (room == null) {
                    tx.forget();
                    return;
                }
                rooms.add(java.nio.ByteBuffer.wrap(room));
            }
        }
        if (seen.size() != now - generation) {
            tx.forget();
            return;
        }
        tx.forget(rooms);
    }

    /** Records which rooms generation {@code now} changed (and prunes old records now and then). */
    private void recordChanges(long now) throws SQLException {
        if (tx.changedAll) {
            tx.bind("INSERT INTO fact_changes (generation, group_id) VALUES (?, NULL)", now).executeUpdate();
        } else {
            for (java.nio.ByteBuffer room : tx.changedRooms) {
                tx.bind("INSERT INTO fact_changes (generation, group_id) VALUES (?, ?)", now, room.array()).executeUpdate();
            }
        }
        if (now % 1000 == 0) {
            tx.bind("DELETE FROM fact_changes WHERE generation <= ?", now - KEPT_GENERATIONS).executeUpdate();
        }
    }

    private static final class Pending<T> {
        static final Pending<Object> STOP = new Pending<>(tx -> null);

        final WriteOp<T> op;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;
        Throwable failure;

        Pending(WriteOp<T> op) {
            this.op = op;
        }

        void run(Statements tx) throws SQLException {
            result = op.apply(tx);
        }

        void finish() {
            if (failure == null) {
                future.complete(result);
            } else if (failure instanceof DsError) {
                future.completeExceptionally(failure);
            } else {
                future.completeExceptionally(new DsError(DsError.Code.INTERNAL, failure.toString()));
            }
        }
    }
}
