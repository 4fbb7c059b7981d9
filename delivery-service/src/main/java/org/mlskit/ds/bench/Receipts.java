package org.mlskit.ds.bench;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One device's live mailbox as the generator sees it: the sequence number and arrival time of
 * every entry. It reads the frames by hand (the sequence numbers only, no JSON tree, no base64)
 * so that 50,000 deliveries a second cost the generator little CPU.
 */
final class Receipts {
    private long[] seqs = new long[256];
    private long[] times = new long[256];
    private int count;
    private int closeCode = -1;
    final CompletableFuture<Long> live = new CompletableFuture<>();

    /** The socket closed (1006: without a close frame). */
    void closed(int code, String reason) {
        synchronized (this) {
            if (closeCode < 0) {
                closeCode = code;
            }
        }
        live.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
    }

    /** {@code {"type":"entries","entries":[{"seq":N,...},...]}} or {@code {"type":"live","seq":S}}, as UTF-8. */
    void frame(byte[] f, int n, long now) {
        boolean isLive = n > 14 && f[9] == 'l';
        for (int i = 0; i + 6 < n; i++) {
            // "seq": appears only as a key; message bodies are base64 (no quotes or colons inside).
            if (f[i] == '"' && f[i + 1] == 's' && f[i + 2] == 'e' && f[i + 3] == 'q' && f[i + 4] == '"' && f[i + 5] == ':') {
                long v = 0;
                int j = i + 6;
                while (j < n && f[j] >= '0' && f[j] <= '9') {
                    v = v * 10 + (f[j++] - '0');
                }
                if (isLive) {
                    live.complete(v);
                    return;
                }
                add(v, now);
                i = j;
            }
        }
    }

    private synchronized void add(long seq, long time) {
        if (count == seqs.length) {
            seqs = Arrays.copyOf(seqs, count * 2);
            times = Arrays.copyOf(times, count * 2);
        }
        seqs[count] = seq;
        times[count] = time;
        count++;
    }

    synchronized int count() {
        return count;
    }

    synchronized long seq(int i) {
        return seqs[i];
    }

    synchronized long time(int i) {
        return times[i];
    }

    /** Forgets the receipts (checked already), so that a long bench does not carry them in its heap. */
    synchronized void forget() {
        seqs = new long[256];
        times = new long[256];
        count = 0;
    }

    synchronized int closeCode() {
        return closeCode;
    }
}
