package org.mlskit.distributed;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import org.mlskit.codec.Bytes;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.group.Group;

/**
 * The exporter PSKs (draft -02) of the send-group epochs this participant entered, by psk_id, so
 * that its groups can resolve the imports of any commit. An epoch's secret is erased when no owner
 * can name it again (see {@link MultiSession}).
 */
final class ExporterPsks {
    static final String LABEL = "exporter-psk";

    private final Map<Bytes, byte[]> secrets = new HashMap<>();
    /** Exporter PSKs of the other branch of an equivocated epoch, by psk_id || commit hash. */
    private final Map<Bytes, byte[]> alternates = new HashMap<>();
    /** While one commit is processed: the branch its imports name, by psk_id. */
    private final Map<Bytes, byte[]> selected = new HashMap<>();
    /** Per send-group owner: epoch to psk_id, for erasure. */
    private final Map<String, TreeMap<Long, byte[]>> byOwner = new HashMap<>();

    /** psk_id = epoch as 8 bytes big-endian || group id. */
    static byte[] pskId(byte[] groupId, long epoch) {
        return new TlsWriter(8 + groupId.length).u64(epoch).raw(groupId).toByteArray();
    }

    /** Derives and keeps the exporter PSK of {@code group}'s current epoch. */
    void enter(String owner, Group group) {
        byte[] id = pskId(group.groupId(), group.epoch());
        secrets.put(new Bytes(id), group.export(LABEL, id, group.suite().kdf().length()));
        byOwner.computeIfAbsent(owner, o -> new TreeMap<>()).put(group.epoch(), id);
    }

    byte[] get(byte[] pskId) {
        byte[] s = selected.get(new Bytes(pskId));
        return s != null ? s : secrets.get(new Bytes(pskId));
    }

    void putAlternate(byte[] pskId, byte[] commitHash, byte[] secret) {
        alternates.put(new Bytes(concat(pskId, commitHash)), secret);
    }

    /** Selects the other branch's secret for {@code pskId} for the commit being processed; false if unknown. */
    boolean selectAlternate(byte[] pskId, byte[] commitHash) {
        byte[] s = alternates.get(new Bytes(concat(pskId, commitHash)));
        if (s != null) {
            selected.put(new Bytes(pskId), s);
        }
        return s != null;
    }

    void clearSelection() {
        selected.clear();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    boolean has(byte[] groupId, long epoch) {
        return secrets.containsKey(new Bytes(pskId(groupId, epoch)));
    }

    /** Erases {@code owner}'s epochs up to {@code epoch} inclusive. */
    void eraseUpTo(String owner, long epoch) {
        TreeMap<Long, byte[]> m = byOwner.get(owner);
        if (m == null) {
            return;
        }
        // A plain walk of the whole map, not a removal through a headMap view: TeaVM's TreeMap
        // erased epochs above the bound that way (js-bindings' mmls partition test).
        for (Iterator<Map.Entry<Long, byte[]>> it = m.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, byte[]> e = it.next();
            if (e.getKey() > epoch) {
                break;
            }
            byte[] s = secrets.remove(new Bytes(e.getValue()));
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
            it.remove();
        }
    }

    Iterable<String> owners() {
        return byOwner.keySet();
    }

    int size() {
        return secrets.size();
    }

    void encode(TlsWriter w) {
        int m = w.beginVector();
        for (Map.Entry<String, TreeMap<Long, byte[]>> o : byOwner.entrySet()) {
            for (Map.Entry<Long, byte[]> e : o.getValue().entrySet()) {
                byte[] secret = secrets.get(new Bytes(e.getValue()));
                if (secret != null) {
                    w.utf8(o.getKey()).u64(e.getKey()).opaque(e.getValue()).opaque(secret);
                }
            }
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<Bytes, byte[]> e : alternates.entrySet()) {
            w.opaque(e.getKey().value()).opaque(e.getValue());
        }
        w.endVector(m);
    }

    void decode(TlsReader in) {
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            String owner = v.utf8();
            long epoch = v.u64();
            byte[] id = v.opaque();
            secrets.put(new Bytes(id), v.opaque());
            byOwner.computeIfAbsent(owner, o -> new TreeMap<>()).put(epoch, id);
        }
        v = in.vector();
        while (v.hasRemaining()) {
            alternates.put(new Bytes(v.opaque()), v.opaque());
        }
    }
}
