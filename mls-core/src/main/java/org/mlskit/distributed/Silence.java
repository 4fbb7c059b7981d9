package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * Who has been silent for how long, counted in the owner's own epochs (the engine has no clock):
 * draft -02's excision of offline members, who otherwise keep old keys alive and never
 * acknowledge updates. A member is silent once nothing it wrote was processed during the last
 * {@code bound} epochs of the owner's send group. The owner excises silent members only while a
 * strict majority of its roster (itself included) is not silent, so the two sides of a partition
 * never excise each other: only a majority side can, and at most one side is a majority.
 */
final class Silence {
    /** Participant to the own group's epoch when it was last heard from (or added). */
    final Map<String, Long> heardAt = new TreeMap<>();

    void heard(String who, long epoch) {
        heardAt.put(who, epoch);
    }

    void forget(String who) {
        heardAt.remove(who);
    }

    /**
     * The members of {@code roster} to excise at own epoch {@code epoch}; empty when {@code bound}
     * is 0 (off) or no majority is active. A member never heard from counts from {@code epoch}.
     */
    List<String> toExcise(Set<String> roster, long epoch, int bound) {
        List<String> silent = new ArrayList<>();
        if (bound <= 0) {
            return silent;
        }
        int active = 1; // the owner
        for (String m : roster) {
            long at = heardAt.computeIfAbsent(m, k -> epoch);
            if (epoch - at >= bound) {
                silent.add(m);
            } else {
                active++;
            }
        }
        if (silent.isEmpty() || 2 * active <= roster.size() + 1) {
            silent.clear();
        }
        return silent;
    }

    void encode(TlsWriter w) {
        int m = w.beginVector();
        for (Map.Entry<String, Long> e : heardAt.entrySet()) {
            w.utf8(e.getKey()).u64(e.getValue());
        }
        w.endVector(m);
    }

    void decode(TlsReader in) {
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            heardAt.put(v.utf8(), v.u64());
        }
    }
}
