package org.mlskit.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The engine's saved records, written so that a save torn anywhere restores a whole step.
 *
 * <p>Each record (a name such as {@code group/HEX/e/5/l/3}) is stored as versions
 * {@code NAME@GEN}; a step writes its new versions under a fresh generation, then the commit
 * record {@link #COMMIT} naming that generation, then deletes the versions it superseded and the
 * records it removed. {@link #restore} keeps, per name, the newest version not newer than the
 * committed generation: a save torn before the commit record restores the step before, one torn
 * after it the step itself (its leftover deletions are done again). Versions a committed state
 * does not use are deleted first thing in the next step, before anything they could be mistaken
 * for is committed.
 */
final class Records {
    /** The commit record (the device record): the last write of every step that changed anything. */
    static final String COMMIT = ClientEngine.DEVICE_KEY;

    /** Name to the generation of its stored version. */
    private final TreeMap<String, Long> live = new TreeMap<>();
    /** This step's writes, by name (null deletes). */
    private final LinkedHashMap<String, byte[]> pending = new LinkedHashMap<>();
    /** Stored keys no committed state uses: deleted at the start of the next write. */
    private final List<String> garbage = new ArrayList<>();
    /** The highest generation used or seen: the next step writes above it, never over a torn step's leftovers. */
    private long high;

    /** Writes (or, with null, deletes) a record in this step. */
    void write(String name, byte[] value) {
        pending.put(name, value);
    }

    /** Deletes {@code exact} and every record under {@code exact + "/"} (stored or written in this step). */
    void dropTree(String exact) {
        String under = exact + "/";
        List<String> names = new ArrayList<>();
        if (live.containsKey(exact) || pending.containsKey(exact)) {
            names.add(exact);
        }
        names.addAll(under(live, under));
        for (String p : new ArrayList<>(pending.keySet())) {
            if (p.startsWith(under)) {
                names.add(p);
            }
        }
        for (String n : names) {
            pending.put(n, null);
        }
    }

    private static List<String> under(TreeMap<String, Long> map, String prefix) {
        SortedMap<String, Long> sub = map.subMap(prefix, prefix + '\uffff');
        return new ArrayList<>(sub.keySet());
    }

    interface Commit {
        byte[] record(long generation);
    }

    /**
     * Puts this step into {@code persist}, in the order a host must apply it: leftovers of torn
     * steps deleted, new versions, the commit record (when anything changed or {@code force}),
     * superseded versions deleted.
     */
    void flush(Map<String, byte[]> persist, boolean force, Commit commit) {
        for (String g : garbage) {
            persist.put(g, null);
        }
        garbage.clear();
        if (pending.isEmpty() && !force) {
            return;
        }
        long gen = ++high;
        List<String> superseded = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : pending.entrySet()) {
            String name = e.getKey();
            Long old = e.getValue() == null ? live.remove(name) : live.put(name, gen);
            if (e.getValue() != null) {
                persist.put(key(name, gen), e.getValue());
            }
            if (old != null) {
                superseded.add(key(name, old));
            }
        }
        pending.clear();
        persist.put(COMMIT, commit.record(gen));
        for (String k : superseded) {
            persist.put(k, null);
        }
    }

    static String key(String name, long gen) {
        return name + "@" + gen;
    }

    /**
     * Reads the stored versions against the committed generation: returns the live records by
     * name; everything else of ours becomes garbage. Keys that are not versions are not ours and
     * are left alone.
     */
    Map<String, byte[]> restore(Map<String, byte[]> saved, long committed) {
        Map<String, byte[]> values = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : saved.entrySet()) {
            String k = e.getKey();
            int at = k.lastIndexOf('@');
            if (e.getValue() == null || at <= 0 || at == k.length() - 1) {
                continue;
            }
            long gen;
            try {
                gen = Long.parseLong(k.substring(at + 1));
            } catch (NumberFormatException x) {
                continue;
            }
            String name = k.substring(0, at);
            high = Math.max(high, gen);
            if (gen > committed) {
                garbage.add(k); // written by a step whose commit record never was
                continue;
            }
            Long other = live.get(name);
            if (other != null && other > gen) {
                garbage.add(k);
                continue;
            }
            if (other != null) {
                garbage.add(key(name, other));
            }
            live.put(name, gen);
            values.put(name, e.getValue());
        }
        high = Math.max(high, committed);
        return values;
    }

    /** A restored record no one used (another epoch's, a group's that never committed): deleted with the garbage. */
    void discard(String name) {
        Long gen = live.remove(name);
        if (gen != null) {
            garbage.add(key(name, gen));
        }
    }

    /** For tests: the stored name of a record, or null. */
    String storedKey(String name) {
        Long gen = live.get(name);
        return gen == null ? null : key(name, gen);
    }
}
