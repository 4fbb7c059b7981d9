package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.Bytes;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Group;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/**
 * The versioned binary form of a {@link MultiSession}: identity, unused KeyPackages, every send
 * group (private keys included), the logs it holds, its cursors, imports, exporter PSKs and the
 * equivocation bookkeeping. The session's local policy is given again on restore.
 */
final class SessionState {
    /** 2 added the silence bookkeeping (excision); 1 still loads (everyone counts as heard at the next check). */
    static final int VERSION = 2;

    private SessionState() {
    }

    static byte[] toBytes(MultiSession s) {
        TlsWriter w = new TlsWriter(1 << 14);
        w.u16(VERSION).opaque(s.identity.toBytes()).opaque(s.sessionId);
        int m = w.beginVector();
        for (KeyPackageBundle b : s.bundles) {
            w.opaque(b.toBytes());
        }
        w.endVector(m);
        w.opaque(s.own.toBytes()).u32(s.nextSeq).opaque(s.head);
        m = w.beginVector();
        for (Map.Entry<String, Group> e : s.groups.entrySet()) {
            w.utf8(e.getKey()).opaque(e.getValue().toBytes());
        }
        w.endVector(m);
        s.book.encode(w);
        m = w.beginVector();
        for (Map.Entry<String, int[]> e : s.cursors.entrySet()) {
            w.utf8(e.getKey()).u32(e.getValue()[0]).u32(e.getValue()[1]);
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<String, Map<String, Long>> e : s.imports.entrySet()) {
            for (Map.Entry<String, Long> i : e.getValue().entrySet()) {
                w.utf8(e.getKey()).utf8(i.getKey()).u64(i.getValue());
            }
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<String, Long> e : s.proposedAt.entrySet()) {
            w.utf8(e.getKey()).u64(e.getValue());
        }
        w.endVector(m);
        strings(w, s.wantUpdate);
        m = w.beginVector();
        for (LogItem.Bundled b : s.bundle) {
            w.utf8(b.sender).opaque(b.message());
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<Bytes, LogEntry> e : s.commitEntries.entrySet()) {
            w.opaque(e.getKey().value()).opaque(e.getValue().toBytes());
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<Bytes, byte[]> e : s.commitHashes.entrySet()) {
            w.opaque(e.getKey().value()).opaque(e.getValue());
        }
        w.endVector(m);
        strings(w, s.flagged);
        m = w.beginVector();
        for (Map.Entry<String, byte[]> e : s.before.entrySet()) {
            w.utf8(e.getKey()).opaque(e.getValue()).u64(s.beforeEpoch.get(e.getKey()));
        }
        w.endVector(m);
        m = w.beginVector();
        for (Map.Entry<Bytes, LogItem> e : s.unfollowed.entrySet()) {
            w.opaque(e.getKey().value());
            e.getValue().encode(w);
        }
        w.endVector(m);
        strings(w, s.reported);
        s.psks.encode(w);
        s.silence.encode(w);
        return w.toByteArray();
    }

    private static void strings(TlsWriter w, Iterable<String> set) {
        int m = w.beginVector();
        for (String x : set) {
            w.utf8(x);
        }
        w.endVector(m);
    }

    private static List<String> strings(TlsReader in) {
        List<String> out = new ArrayList<>();
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            out.add(v.utf8());
        }
        return out;
    }

    static MultiSession fromBytes(byte[] data, MultiSessionConfig policy, RandomSource random) {
        try {
            return decode(new TlsReader(data), policy, random);
        } catch (MlsException e) {
            throw e.code() == ErrorCode.MALFORMED ? e : new MlsException(ErrorCode.MALFORMED, "not a saved session: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MlsException(ErrorCode.MALFORMED, "not a saved session", e);
        }
    }

    private static MultiSession decode(TlsReader in, MultiSessionConfig policy, RandomSource random) {
        int version = in.u16();
        if (version != VERSION && version != 1) {
            throw new MlsException(ErrorCode.MALFORMED, "unknown saved-session version " + version);
        }
        Identity identity = Identity.fromBytes(in.opaque());
        byte[] sessionId = in.opaque();
        List<KeyPackageBundle> bundles = new ArrayList<>();
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            bundles.add(KeyPackageBundle.fromBytes(v.opaque()));
        }
        MultiSession s = new MultiSession(identity, sessionId, bundles, policy, random, in.opaque());
        s.nextSeq = in.u32();
        s.head = in.opaque();
        v = in.vector();
        while (v.hasRemaining()) {
            s.groups.put(v.utf8(), Group.fromBytes(v.opaque(), s.groupConfig, random));
        }
        s.book = LogBook.decode(identity.suite(), in);
        v = in.vector();
        while (v.hasRemaining()) {
            s.cursors.put(v.utf8(), new int[] {v.u32(), v.u32()});
        }
        v = in.vector();
        while (v.hasRemaining()) {
            String owner = v.utf8();
            s.imports.computeIfAbsent(owner, o -> new java.util.HashMap<>()).put(v.utf8(), v.u64());
        }
        v = in.vector();
        while (v.hasRemaining()) {
            s.proposedAt.put(v.utf8(), v.u64());
        }
        s.wantUpdate.addAll(strings(in));
        v = in.vector();
        while (v.hasRemaining()) {
            s.bundle.add(new LogItem.Bundled(v.utf8(), v.opaque()));
        }
        v = in.vector();
        while (v.hasRemaining()) {
            s.commitEntries.put(new Bytes(v.opaque()), LogEntry.fromBytes(v.opaque()));
        }
        v = in.vector();
        while (v.hasRemaining()) {
            s.commitHashes.put(new Bytes(v.opaque()), v.opaque());
        }
        s.flagged.addAll(strings(in));
        v = in.vector();
        while (v.hasRemaining()) {
            String owner = v.utf8();
            s.before.put(owner, v.opaque());
            s.beforeEpoch.put(owner, v.u64());
        }
        v = in.vector();
        while (v.hasRemaining()) {
            s.unfollowed.put(new Bytes(v.opaque()), LogItem.decode(v));
        }
        s.reported.addAll(strings(in));
        s.psks.decode(in);
        if (version >= 2) {
            s.silence.decode(in);
        }
        in.finish();
        return s;
    }
}
