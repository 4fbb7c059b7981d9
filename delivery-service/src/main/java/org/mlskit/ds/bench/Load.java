package org.mlskit.ds.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.mlskit.ds.client.DsClient;
import org.mlskit.ds.client.DsException;
import org.mlskit.group.Group;
import org.mlskit.group.StagedCommit;

/**
 * One timed run: application messages from random devices, either as fast as a window of
 * requests in flight allows (saturation) or at a fixed rate scheduled in advance (open loop:
 * the send time is the scheduled one, so a stalled server cannot hide its own delay), plus
 * update commits from the groups' committers at a low rate on their own thread.
 */
final class Load {
    /** What one run did, for {@link Figures}. */
    static final class Run {
        final String name;
        long start;
        /** The wall-clock time of {@link #start} (to line the run up with server logs). */
        java.time.Instant startedAt;
        long end;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
        /** Accepted sequence number to send time (nanos). */
        final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
        /** Accepted sequence number to nanos from send to the acknowledgement (durable). */
        final ConcurrentHashMap<Long, Long> ackedAfter = new ConcurrentHashMap<>();
        /** Accepted sequence number to nanos the generator started it behind its schedule (open loop). */
        final ConcurrentHashMap<Long, Long> startedLate = new ConcurrentHashMap<>();
        long[] commitLatencies = new long[0];
        int commits;
        int commitsRefused;
        /** Sends the generator could not start on time (open loop only): the window was full. */
        long late;
        double targetRate;

        Run(String name) {
            this.name = name;
        }

        void error(String code) {
            refused.incrementAndGet();
            errors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }

        double seconds() {
            return (end - start) / 1e9;
        }
    }

    private final Fleet fleet;
    Load(Fleet fleet) {
        this.fleet = fleet;
    }

    /** {@code rate <= 0}: saturation with {@code window} requests in flight; else open loop at {@code rate}/s. */
    Run run(String name, double seconds, double rate, int window, double commitsPerSecond) throws InterruptedException {
        Run run = new Run(name);
        run.targetRate = rate;
        int cap = rate > 0 ? Math.max(window, 4096) : window;
        Semaphore inFlight = new Semaphore(cap);
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        List<Fleet.Device> devices = fleet.devices;
        CommitLoop commits = new CommitLoop(run, commitsPerSecond, seconds);
        run.start = System.nanoTime();
        run.startedAt = java.time.Instant.now();
        long deadline = run.start + (long) (seconds * 1e9);
        commits.thread.start();
        long i = 0;
        while (true) {
            long due = rate > 0 ? run.start + (long) (i / rate * 1e9) : System.nanoTime();
            if (due >= deadline) {
                break;
            }
            if (rate > 0) {
                long wait = due - System.nanoTime();
                if (wait > 20_000) {
                    LockSupport.parkNanos(wait);
                }
                if (!inFlight.tryAcquire()) {
                    run.late++;
                    inFlight.acquire();
                }
            } else {
                inFlight.acquire();
                if (System.nanoTime() >= deadline) {
                    inFlight.release();
                    break;
                }
            }
            i++;
            Fleet.Device d = devices.get(rnd.nextInt(devices.size()));
            Fleet.Room room = fleet.roomOf[d.index];
            long started = System.nanoTime();
            long sent = rate > 0 ? due : started;
            fleet.wire.send(d.to, d.nextRequest(), (status, body, err) -> {
                try {
                    if (err != null) {
                        run.error("IO " + err.getClass().getSimpleName());
                    } else if (status != 200) {
                        run.error("HTTP " + status);
                    } else {
                        long seq = seqOf(body);
                        run.sentAt.put(seq, sent);
                        run.ackedAfter.put(seq, System.nanoTime() - sent);
                        if (started != sent) {
                            run.startedLate.put(seq, started - sent); // open loop only
                        }
                        room.accepted(seq);
                        run.accepted.incrementAndGet();
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        run.end = System.nanoTime();
        commits.thread.join();
        if (!inFlight.tryAcquire(cap, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still unanswered 120 s after the run");
        }
        return run;
    }

    /** The {@code "seq":N} of an acceptance. */
    static long seqOf(byte[] body) {
        for (int i = 0; i + 6 < body.length; i++) {
            if (body[i] == '"' && body[i + 1] == 's' && body[i + 2] == 'e' && body[i + 3] == 'q' && body[i + 4] == '"'
                    && body[i + 5] == ':') {
                long v = 0;
                for (int j = i + 6; j < body.length && body[j] >= '0' && body[j] <= '9'; j++) {
                    v = v * 10 + (body[j] - '0');
                }
                return v;
            }
        }
        throw new IllegalStateException("no seq in " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Update commits, each by its group's first member (the only one that merges commits). */
    private final class CommitLoop {
        final Thread thread;

        CommitLoop(Run run, double perSecond, double seconds) {
            thread = new Thread(() -> loop(run, perSecond, seconds), "bench-commits");
            thread.setDaemon(true);
        }

        private void loop(Run run, double perSecond, double seconds) {
            if (perSecond <= 0) {
                return;
            }
            long[] lat = new long[16];
            int n = 0;
            int refused = 0;
            SplittableRandom rnd = new SplittableRandom(7);
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            for (long k = 0; ; k++) {
                long due = start + (long) (k / perSecond * 1e9);
                if (due >= deadline) {
                    break;
                }
                LockSupport.parkNanos(due - System.nanoTime());
                Fleet.Room room = fleet.rooms.get(rnd.nextInt(fleet.rooms.size()));
                Fleet.Device c = room.committer();
                Group g = c.group;
                StagedCommit staged = g.update();
                byte[] info = g.groupInfo(staged, true, true);
                long t0 = System.nanoTime();
                try {
                    DsClient.Accepted a = c.ds.commit(room.id, staged.message(), null, info);
                    long t1 = System.nanoTime();
                    g.merge(staged);
                    run.sentAt.put(a.seq(), t0);
                    room.accepted(a.seq());
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t1 - t0;
                } catch (DsException e) {
                    g.discard(staged);
                    refused++;
                    run.error("commit " + e.code());
                }
            }
            run.commitLatencies = Arrays.copyOf(lat, n);
            run.commits = n;
            run.commitsRefused = refused;
        }
    }
}
