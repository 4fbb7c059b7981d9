package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.object;
import static org.mlskit.js.api.JsObjects.put;
import static org.mlskit.js.api.JsObjects.putBool;
import static org.mlskit.js.api.JsObjects.putBytes;
import static org.mlskit.js.api.JsObjects.putInt;
import static org.mlskit.js.api.JsObjects.putNull;
import static org.mlskit.js.api.JsObjects.putString;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.distributed.Equivocation;
import org.mlskit.distributed.LogEntry;
import org.mlskit.distributed.LogSummary;
import org.mlskit.distributed.MultiSession;
import org.mlskit.distributed.MultiSessionConfig;
import org.mlskit.distributed.SessionEvent;
import org.mlskit.distributed.Step;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;
import org.teavm.jso.JSObject;

/**
 * Multi-MLS ({@link MultiSession}, docs/multi-mls.md) for {@code mlskit/mmls}: sessions are held
 * by handle, every call returns its {@link Step} as {@code {entries, events, received}} with log
 * entries as bytes, and summaries cross as {@link LogSummary} bytes, so the JS side only moves
 * bytes between the session, a relay and storage. {@link Exports} carries the {@code @JSExport}s.
 */
final class MmlsExports {
    /** KeyPackages a session may generate at once: far more send groups than a session holds. */
    static final int MAX_KEY_PACKAGES = 1024;

    private MmlsExports() {
    }

    static MultiSession session(int h) {
        return Handles.mmls(h);
    }

    /**
     * A participant named by {@code client}'s basic credential, with {@code keyPackages} fresh
     * KeyPackages (one for each other participant's send group): {@code {handle, keyPackages}}.
     */
    static JSObject create(Identity id, byte[] sessionId, int keyPackages, JSObject config, long now, RandomSource random) {
        if (keyPackages < 0 || keyPackages > MAX_KEY_PACKAGES) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "keyPackages must be 0.." + MAX_KEY_PACKAGES);
        }
        List<KeyPackageBundle> bundles = new ArrayList<>();
        JSObject kps = JsObjects.array();
        for (int i = 0; i < keyPackages; i++) {
            KeyPackageBundle b = KeyPackageBundle.create(id, now, random);
            bundles.add(b);
            JsObjects.push(kps, JsObjects.bytes(Results.keyPackageMessage(b.keyPackage())));
        }
        MultiSession s = MultiSession.create(id, sessionId, bundles, config(config), random);
        JSObject o = object();
        putInt(o, "handle", Handles.put(s));
        put(o, "keyPackages", kps);
        return o;
    }

    /**
     * The local policy: {@code {followRemovals, removeEquivocators, commitBeforeSend}}, each optional
     * (default true), and {@code exciseSilentAfter} (epochs; default 0, never; checked by the JS layer).
     */
    static MultiSessionConfig config(JSObject o) {
        MultiSessionConfig c = MultiSessionConfig.DEFAULT;
        if (JsObjects.has(o, "followRemovals")) {
            c = c.withFollowRemovals(JsObjects.getBool(o, "followRemovals"));
        }
        if (JsObjects.has(o, "removeEquivocators")) {
            c = c.withRemoveEquivocators(JsObjects.getBool(o, "removeEquivocators"));
        }
        if (JsObjects.has(o, "commitBeforeSend")) {
            c = c.withCommitBeforeSend(JsObjects.getBool(o, "commitBeforeSend"));
        }
        if (JsObjects.has(o, "exciseSilentAfter")) {
            c = c.withExciseSilentAfter(JsObjects.getInt(o, "exciseSilentAfter"));
        }
        return c;
    }

    static JSObject receive(MultiSession s, byte[] entry) {
        return step(s.receive(LogEntry.fromBytes(entry)));
    }

    // ------------------------------------------------------------------ outputs

    /** {@code {entries: [Uint8Array], events: [...], received}}. */
    static JSObject step(Step s) {
        JSObject o = object();
        JSObject entries = JsObjects.array();
        for (LogEntry e : s.publish) {
            JsObjects.push(entries, JsObjects.bytes(e.toBytes()));
        }
        put(o, "entries", entries);
        JSObject events = JsObjects.array();
        for (SessionEvent e : s.events) {
            JsObjects.push(events, event(e));
        }
        put(o, "events", events);
        putBool(o, "received", s.received);
        return o;
    }

    /**
     * {@code {kind, owner, detail, data?, code?, evidence?}}: kind is the {@link SessionEvent.Kind}
     * name; owner the participant it is about (the sender of a MESSAGE); evidence of an
     * EQUIVOCATION is {@code {kind, author, first, second}} with both entries as bytes.
     */
    private static JSObject event(SessionEvent e) {
        JSObject o = object();
        putString(o, "kind", e.kind.name());
        putString(o, "owner", e.peer);
        if (e.detail == null) {
            putNull(o, "detail");
        } else {
            putString(o, "detail", e.detail);
        }
        byte[] data = e.data();
        if (data != null) {
            putBytes(o, "data", data);
        }
        if (e.code != null) {
            putString(o, "code", e.code.name());
        }
        if (e.evidence != null) {
            JSObject ev = object();
            putString(ev, "kind", e.evidence.kind.name());
            putString(ev, "author", e.evidence.author());
            putBytes(ev, "first", e.evidence.first.toBytes());
            putBytes(ev, "second", e.evidence.second.toBytes());
            put(o, "evidence", ev);
        }
        return o;
    }

    static JSObject strings(Collection<String> values) {
        JSObject a = JsObjects.array();
        for (String v : values) {
            JsObjects.pushString(a, v);
        }
        return a;
    }

    /** {@code {id, cipherSuite, groupId, roster, senders, equivocators, pending}}. */
    static JSObject info(MultiSession s) {
        JSObject o = object();
        putString(o, "id", s.id());
        putInt(o, "cipherSuite", s.suite().id());
        putBytes(o, "groupId", s.groupId());
        put(o, "roster", strings(s.roster()));
        put(o, "senders", strings(s.senders()));
        put(o, "equivocators", strings(s.equivocators()));
        putBool(o, "pending", s.hasPending());
        return o;
    }

    /** The members of {@code owner}'s send group other than the owner, or null when this participant holds no such group. */
    static JSObject members(MultiSession s, String owner) {
        Set<String> m = s.members(owner);
        return m == null ? null : strings(m);
    }

    /** The entries a peer whose summary is {@code summary} lacks, as bytes. */
    static JSObject missingFor(MultiSession s, byte[] summary) {
        JSObject a = JsObjects.array();
        for (LogEntry e : s.book().missingFor(LogSummary.fromBytes(summary))) {
            JsObjects.push(a, JsObjects.bytes(e.toBytes()));
        }
        return a;
    }

    /** Whether two entries alone prove that the holder of {@code authorKey} equivocated (kind SAME_POSITION or SAME_EPOCH). */
    static boolean verifyEquivocation(int suite, byte[] authorKey, String kind, byte[] first, byte[] second) {
        Equivocation.Kind k;
        if ("SAME_POSITION".equals(kind)) {
            k = Equivocation.Kind.SAME_POSITION;
        } else if ("SAME_EPOCH".equals(kind)) {
            k = Equivocation.Kind.SAME_EPOCH;
        } else {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "evidence kind must be SAME_POSITION or SAME_EPOCH");
        }
        return Equivocation.verify(CipherSuite.of(suite), authorKey, k, LogEntry.fromBytes(first), LogEntry.fromBytes(second));
    }
}
