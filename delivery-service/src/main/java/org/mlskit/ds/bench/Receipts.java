package org.mlskit.ds.bench;

import java.net.http.WebSocket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One device's live mailbox as the generator sees it: the sequence number and arrival time of
 * every entry. It reads the frames by hand (the sequence numbers only, no JSON tree, no base64)
 * so that 50,000 deliveries a second cost the generator little CPU.
 */
final class Receipts implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private long[] seqs = new long[256];
    private long[] times = new long[256];
    private int count;
    private int closeCode = -1;
    final CompletableFuture<Long> live = new CompletableFuture<>();

    /** Unbounded demand: asking for one frame at a time made java.net.http reschedule its reader for every frame. */
    @Override
    public void onOpen(WebSocket ws) {
        ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        long now = System.nanoTime();
        if (!last || text.length() > 0) {
            text.append(data);
            if (last) {
                frame(text, now);
                text.setLength(0);
            }
        } else {
            frame(data, now);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        synchronized (this) {
            closeCode = statusCode;
        }
        live.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        synchronized (this) {
            closeCode = 1006;
        }
        live.completeExceptionally(error);
    }

    /** {@code {"type":"entries","entries":[{"seq":N,...},...]}} or {@code {"type":"live","seq":S}}. */
    private void frame(CharSequence f, long now) {
        boolean isLive = f.length() > 14 && f.charAt(9) == 'l';
        int n = f.length();
        for (int i = 0; i + 6 < n; i++) {
            // "seq": appears only as a key; message bodies are base64 (no quotes or colons inside).
            if (f.charAt(i) == '"' && f.charAt(i + 1) == 's' && f.charAt(i + 2) == 'e' && f.charAt(i + 3) == 'q'
                    && f.charAt(i + 4) == '"' && f.charAt(i + 5) == ':') {
                long v = 0;
                int j = i + 6;
                while (j < n && f.charAt(j) >= '0' && f.charAt(j) <= '9') {
                    v = v * 10 + (f.charAt(j++) - '0');
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

    synchronized int closeCode() {
        return closeCode;
    }
}
