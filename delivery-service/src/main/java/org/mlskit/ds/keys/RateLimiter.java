package org.mlskit.ds.keys;

import java.util.concurrent.ConcurrentHashMap;

import org.mlskit.ds.api.DsError;

/**
 * A token bucket per requester (per DS instance): {@code burst} requests at once, refilled at
 * {@code perMinute}. Over it, RATE_LIMITED (429) with the seconds until the next token.
 */
public final class RateLimiter {
    private final int burst;
    private final double perNano;
    private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, int burst) {
        if (perMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.burst = burst;
        this.perNano = perMinute / 60e9;
    }

    private static final class Bucket {
        double tokens;
        long at;
    }

    /** Takes one token for {@code who} or throws RATE_LIMITED. */
    public void take(long who, String what) {
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(who, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.at = now;
            return n;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
            b.at = now;
            if (b.tokens < 1) {
                long wait = (long) Math.ceil((1 - b.tokens) / perNano / 1e9);
                throw new DsError(DsError.Code.RATE_LIMITED, "too many " + what + "; retry in " + wait + " s")
                        .retryAfter(Math.max(1, wait));
            }
            b.tokens -= 1;
        }
        if (buckets.size() > 100_000) {
            buckets.clear(); // bounded memory; forgetting buckets only ever allows more
        }
    }
}
