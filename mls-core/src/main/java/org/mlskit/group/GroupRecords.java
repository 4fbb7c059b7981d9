package org.mlskit.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.keys.Identity;
import org.mlskit.schedule.EpochSecrets;
import org.mlskit.schedule.RatchetPolicy;
import org.mlskit.schedule.SecretTree;
import org.mlskit.tree.PrivateTree;
import org.mlskit.tree.RatchetTree;

/**
 * A {@link Group} saved as records that change at different rates, so that sending or receiving
 * an application message rewrites a few hundred bytes instead of the whole group. Names are
 * relative (the caller puts its own prefix in front):
 *
 * <pre>
 *   e/E        epoch E's base: GroupContext, ratchet tree, transcript hashes, epoch secrets
 *              (without encryption_secret), this member's path keys. Written once per epoch.
 *   e/E/n/N    one secret-tree node secret of epoch E: written when derived, deleted when
 *              expanded into its children (RFC 9420 §9.2).
 *   e/E/l/L    leaf L's handshake and application ratchets in epoch E: rewritten as they move.
 *   e/E/i/0    epoch E's init_secret: written with the base, deleted once the next epoch is
 *              derived from it (§9.2), so the base of a past epoch never holds it.
 * </pre>
 *
 * The group-wide rest ({@link #head}: status, identity, which epochs are kept, cached proposals,
 * pending Update keys, a committed ReInit) changes only with proposals and commits; the caller
 * stores it in a record of its own. Every epoch record carries its epoch's tag (8 bytes of the
 * confirmation tag that opened it) and {@link #restore} ignores records whose tag is not the one
 * the head names, so records of an epoch that was replaced or never committed are never mixed in.
 */
public final class GroupRecords {
    /** Format of the head and of every record; a reader refuses another. */
    public static final int VERSION = 1;
    private static final int TAG_LENGTH = 8;
    /** The name of an epoch's init_secret record, after its prefix. */
    private static final String INIT = "/i/0";

    /** Where {@link #changes} writes. */
    public interface Sink {
        /** Writes a record; {@code value} null deletes it. */
        void write(String name, byte[] value);

        /** Deletes {@code e/E} and every record under {@code e/E/}. */
        void dropEpoch(long epoch);
    }

    private final Group group;
    /** Epochs whose base was written, with its tag. */
    private final Map<Long, Bytes> written = new HashMap<>();
    /** Epochs whose init_secret record exists (deleted once the epoch no longer holds it). */
    private final Set<Long> initWritten = new HashSet<>();

    /** A tracker for a group none of whose records exist yet: the first {@link #changes} writes them all. */
    public GroupRecords(Group group) {
        this.group = group;
    }

    public Group group() {
        return group;
    }

    // ------------------------------------------------------------------ writing

    /** The group-wide state; small, changes with proposals and commits only. */
    public byte[] head() {
        Group g = group;
        TlsWriter w = new TlsWriter(512);
        w.u16(VERSION).u16(g.suite().id()).u8(g.status().ordinal());
        w.opaque(g.identity().toBytes());
        w.u64(g.epoch()).opaque(tag(g.state()));
        int mark = w.beginVector();
        for (EpochState s : g.past) {
            w.u64(s.epoch()).opaque(tag(s));
        }
        w.endVector(mark);
        SavedGroup.encodePending(w, g);
        return w.toByteArray();
    }

    /**
     * Writes what changed since the last call: the base and secret tree of an epoch not written
     * yet, the node secrets and leaf ratchets that moved in the others, and drops epochs the group
     * no longer keeps. The head is not included (compare {@link #head} with what was stored).
     */
    public void changes(Sink sink) {
        List<EpochState> live = new ArrayList<>();
        live.add(group.state());
        live.addAll(group.past);
        Set<Long> kept = new HashSet<>();
        for (EpochState s : live) {
            long epoch = s.epoch();
            kept.add(epoch);
            Bytes tag = new Bytes(tag(s));
            Bytes done = written.get(epoch);
            String prefix = "e/" + epoch;
            if (tag.equals(done)) {
                s.secretTree.drainChanges(treeSink(sink, prefix, tag.value(), s.secretTree));
                if (!s.secrets.holdsInit() && initWritten.remove(epoch)) {
                    sink.write(prefix + INIT, null); // the next epoch was derived from it
                }
                continue;
            }
            if (done != null) {
                sink.dropEpoch(epoch); // another epoch of the same number (e.g. after a resync)
            }
            initWritten.remove(epoch);
            sink.write(prefix, base(s));
            if (s.secrets.holdsInit()) {
                TlsWriter w = new TlsWriter(96).u16(VERSION).opaque(tag.value());
                sink.write(prefix + INIT, w.opaque(s.secrets.initSecret()).toByteArray());
                initWritten.add(epoch);
            }
            s.secretTree.drainAll(treeSink(sink, prefix, tag.value(), s.secretTree));
            written.put(epoch, tag);
        }
        for (Long epoch : new ArrayList<>(written.keySet())) {
            if (!kept.contains(epoch)) {
                sink.dropEpoch(epoch); // out of retention: its secrets go with it
                written.remove(epoch);
                initWritten.remove(epoch);
            }
        }
    }

    /** Drops every epoch written so far (the group was replaced, e.g. by a resync). */
    public void forget(Sink sink) {
        for (Long epoch : written.keySet()) {
            sink.dropEpoch(epoch);
        }
        written.clear();
        initWritten.clear();
    }

    private static SecretTree.Changes treeSink(Sink sink, String prefix, byte[] tag, SecretTree tree) {
        return new SecretTree.Changes() {
            @Override
            public void node(int node, byte[] secret) {
                sink.write(prefix + "/n/" + node, secret == null ? null
                        : new TlsWriter(64).u16(VERSION).opaque(tag).opaque(secret).toByteArray());
            }

            @Override
            public void leaf(int leaf) {
                TlsWriter w = new TlsWriter(128).u16(VERSION).opaque(tag);
                tree.encodeLeaf(leaf, w);
                sink.write(prefix + "/l/" + leaf, w.toByteArray());
            }
        };
    }

    private static byte[] base(EpochState s) {
        TlsWriter w = new TlsWriter(4096);
        w.u16(VERSION).opaque(tag(s));
        s.context.encode(w);
        s.tree.encode(w);
        w.opaque(s.interimTranscriptHash).opaque(s.confirmationTag);
        s.secrets.encode(w, false, false);
        s.privateTree.encode(w);
        SecretTree t = s.secretTree;
        w.u32(t.leafCount()).u32(t.policy().maxForwardDistance()).u32(t.policy().outOfOrderTolerance());
        return w.toByteArray();
    }

    /** The epoch's tag: 8 bytes of the confirmation tag that opened it (public, and unique per epoch). */
    private static byte[] tag(EpochState s) {
        return Arrays.copyOf(s.confirmationTag, Math.min(TAG_LENGTH, s.confirmationTag.length));
    }

    // ------------------------------------------------------------------ reading

    /**
     * The group from its head and records (by relative name; others are ignored). Records the group
     * does not use (another tag, an epoch not kept) are left out of {@code used}: the caller may
     * delete them. The secret trees may report clean-up changes (see {@link SecretTree#assemble}).
     */
    public static GroupRecords restore(byte[] head, Map<String, byte[]> records, GroupConfig config, RandomSource random,
            Set<String> used) {
        try {
            TlsReader in = new TlsReader(head);
            version(in);
            CipherSuite suite = CipherSuite.of(in.u16());
            int status = in.u8();
            if (status >= Group.Status.values().length) {
                throw new MlsException(ErrorCode.MALFORMED, "saved group status " + status);
            }
            Identity identity = Identity.fromBytes(in.opaque());
            long epoch = in.u64();
            byte[] tag = in.opaque();
            List<Long> pastEpochs = new ArrayList<>();
            List<byte[]> pastTags = new ArrayList<>();
            TlsReader v = in.vector();
            while (v.hasRemaining()) {
                pastEpochs.add(v.u64());
                pastTags.add(v.opaque());
            }
            Map<Long, Parts> parts = collect(records);
            Set<Long> oldBases = new HashSet<>();
            EpochState current = epoch(suite, epoch, tag, parts, used, oldBases);
            Group g = new Group(suite, identity, config, random, current);
            g.status = Group.Status.values()[status];
            for (int i = 0; i < pastEpochs.size(); i++) {
                g.past.addLast(epoch(suite, pastEpochs.get(i), pastTags.get(i), parts, used, oldBases));
            }
            SavedGroup.decodePending(in, g);
            in.finish();
            GroupRecords r = new GroupRecords(g);
            for (EpochState s : g.past) {
                s.secrets.eraseInit(); // saved by a build that kept it
                s.secrets.eraseJoining();
            }
            List<EpochState> live = new ArrayList<>();
            live.add(current);
            live.addAll(g.past);
            for (EpochState s : live) {
                if (oldBases.contains(s.epoch())) {
                    continue; // saved with secrets now kept apart or erased: the next changes() rewrites it
                }
                r.written.put(s.epoch(), new Bytes(tag(s)));
                if (s.secrets.holdsInit()) {
                    r.initWritten.add(s.epoch());
                }
            }
            return r;
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            throw new MlsException(ErrorCode.MALFORMED, "not a saved group: " + e.getMessage());
        }
    }

    /** The records of one epoch, by kind. */
    private static final class Parts {
        String baseName;
        byte[] base;
        final Map<String, byte[]> nodes = new HashMap<>();
        final Map<String, byte[]> leaves = new HashMap<>();
        String initName;
        byte[] init;
    }

    private static Map<Long, Parts> collect(Map<String, byte[]> records) {
        Map<Long, Parts> out = new HashMap<>();
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            String[] p = parts(e.getKey());
            if (p == null || e.getValue() == null) {
                continue;
            }
            long epoch;
            try {
                epoch = Long.parseLong(p[1]);
            } catch (NumberFormatException x) {
                continue;
            }
            Parts parts = out.computeIfAbsent(epoch, k -> new Parts());
            if (p.length == 2) {
                parts.baseName = e.getKey();
                parts.base = e.getValue();
            } else if (p[2].equals("n")) {
                parts.nodes.put(e.getKey(), e.getValue());
            } else if (p[2].equals("l")) {
                parts.leaves.put(e.getKey(), e.getValue());
            } else if (p[2].equals("i") && p[3].equals("0")) {
                parts.initName = e.getKey();
                parts.init = e.getValue();
            }
        }
        return out;
    }

    /** "e/E" or "e/E/K/I" split at its slashes (no regular expressions in TeaVM builds), else null. */
    private static String[] parts(String name) {
        if (!name.startsWith("e/")) {
            return null;
        }
        int a = name.indexOf('/', 2);
        if (a < 0) {
            return new String[] {"e", name.substring(2)};
        }
        int b = name.indexOf('/', a + 1);
        if (b < 0 || name.indexOf('/', b + 1) >= 0) {
            return null;
        }
        return new String[] {"e", name.substring(2, a), name.substring(a + 1, b), name.substring(b + 1)};
    }

    /** Epoch {@code epoch}'s state; adds it to {@code oldBases} when its base holds secrets this build keeps apart or erased. */
    private static EpochState epoch(CipherSuite suite, long epoch, byte[] tag, Map<Long, Parts> all, Set<String> used,
            Set<Long> oldBases) {
        Parts parts = all.get(epoch);
        if (parts == null || parts.base == null) {
            throw new MlsException(ErrorCode.MALFORMED, "the saved group has no record of its epoch " + epoch);
        }
        TlsReader in = new TlsReader(parts.base);
        version(in);
        if (!Arrays.equals(in.opaque(), tag)) {
            throw new MlsException(ErrorCode.MALFORMED, "the saved base of epoch " + epoch + " is of another epoch " + epoch);
        }
        GroupContext context = GroupContext.decode(in);
        RatchetTree tree = RatchetTree.decode(suite, in);
        byte[] interim = in.opaque();
        byte[] confirmationTag = in.opaque();
        EpochSecrets secrets = EpochSecrets.decode(suite, in);
        PrivateTree priv = PrivateTree.decode(in);
        int leafCount = in.u32();
        RatchetPolicy policy = new RatchetPolicy(in.u32(), in.u32());
        in.finish();
        used.add(parts.baseName);
        if (secrets.holdsInit() || secrets.holdsJoining()) {
            oldBases.add(epoch);
        } else if (parts.init != null) {
            TlsReader r = new TlsReader(parts.init);
            version(r);
            if (Arrays.equals(r.opaque(), tag)) {
                secrets.restoreInit(r.opaque());
                r.finish();
                used.add(parts.initName);
            }
        }
        Map<Integer, byte[]> nodes = new HashMap<>();
        for (Map.Entry<String, byte[]> e : parts.nodes.entrySet()) {
            TlsReader r = new TlsReader(e.getValue());
            version(r);
            if (Arrays.equals(r.opaque(), tag)) {
                nodes.put(index(e.getKey()), r.opaque());
                used.add(e.getKey());
            }
        }
        Map<Integer, TlsReader> leaves = new HashMap<>();
        for (Map.Entry<String, byte[]> e : parts.leaves.entrySet()) {
            TlsReader r = new TlsReader(e.getValue());
            version(r);
            if (Arrays.equals(r.opaque(), tag)) {
                leaves.put(index(e.getKey()), r);
                used.add(e.getKey());
            }
        }
        SecretTree st = SecretTree.assemble(suite, leafCount, policy, nodes, leaves);
        return new EpochState(context, tree, interim, confirmationTag, secrets, st, priv);
    }

    private static int index(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf('/') + 1));
    }

    private static void version(TlsReader in) {
        int v = in.u16();
        if (v != VERSION) {
            throw new MlsException(ErrorCode.UNSUPPORTED, "saved group records of version " + v + "; this build reads "
                    + VERSION);
        }
    }
}
