package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.object;
import static org.mlskit.js.api.JsObjects.put;
import static org.mlskit.js.api.JsObjects.putBool;
import static org.mlskit.js.api.JsObjects.putBytes;
import static org.mlskit.js.api.JsObjects.putInt;
import static org.mlskit.js.api.JsObjects.putNull;
import static org.mlskit.js.api.JsObjects.putNumber;
import static org.mlskit.js.api.JsObjects.putString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.client.ClientConfig;
import org.mlskit.client.ClientEngine;
import org.mlskit.client.ClientEvent;
import org.mlskit.client.DsCall;
import org.mlskit.client.DsReply;
import org.mlskit.client.Entry;
import org.mlskit.client.Output;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.Member;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.teavm.jso.JSObject;

/**
 * The messaging client engine ({@link ClientEngine}) for {@code mlskit/client}: engines are held
 * by handle, every step returns its {@link Output} as a plain JS object
 * ({@code {calls, events, persist, wakeAt}}) and DS answers come in as plain objects too. The JS
 * side only moves bytes (transport, storage, timers); every protocol decision stays here.
 * {@link Exports} carries the {@code @JSExport}s (TeaVM exports the main class only).
 */
final class ClientExports {
    private ClientExports() {
    }

    /** The engine behind a handle. */
    static ClientEngine engine(int h) {
        return Handles.engine(h);
    }

    /** A new device: a fresh signature key in {@code suite} and the basic credential "user/device". */
    static int create(String user, String device, int suite, JSObject config, RandomSource random) {
        byte[] credential = (user + "/" + device).getBytes(StandardCharsets.UTF_8);
        Identity id = Identity.generate(CipherSuite.of(suite), Credential.basic(credential), random);
        ClientEngine e = new ClientEngine(user, device, id, config(config), random);
        if (JsObjects.has(config, "linkTicket")) {
            e.linkWith(JsObjects.getString(config, "linkTicket")); // a further device of its user
        }
        return Handles.put(e);
    }

    /** An engine from what it persisted: {@code keys[i]} held {@code values[i]}. */
    static int restore(JSObject keys, JSObject values, JSObject config, RandomSource random) {
        int n = JsObjects.length(keys);
        if (n != JsObjects.length(values)) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "keys and values differ in length");
        }
        Map<String, byte[]> saved = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            saved.put(JsObjects.stringAt(keys, i), JsObjects.bytesAt(values, i));
        }
        return Handles.put(ClientEngine.restore(saved, config(config), random));
    }

    private static ClientConfig config(JSObject o) {
        ClientConfig c = ClientConfig.DEFAULT;
        if (JsObjects.has(o, "keyPackages")) {
            c = c.withKeyPackages(JsObjects.getInt(o, "keyPackages"), JsObjects.getInt(o, "lowWater"));
        }
        return c;
    }

    // ------------------------------------------------------------------ inputs

    /**
     * A DS answer: {@code {id, type, ...}} where type names the {@link DsReply} factory
     * (failed, wrongEpoch, done, token, data, accepted, count, claims).
     */
    static DsReply reply(JSObject r) {
        long id = (long) JsObjects.getNumber(r, "id");
        String type = JsObjects.getString(r, "type");
        switch (type) {
            case "failed":
                return DsReply.failed(id, JsObjects.getString(r, "code"), JsObjects.getString(r, "message"));
            case "wrongEpoch":
                return DsReply.wrongEpoch(id, (long) JsObjects.getNumber(r, "epoch"), (long) JsObjects.getNumber(r, "from"));
            case "done":
                return DsReply.done(id);
            case "token":
                return DsReply.token(id, JsObjects.getString(r, "token"), (long) JsObjects.getNumber(r, "expiresAt"));
            case "data":
                return DsReply.data(id, JsObjects.getBytes(r, "data"));
            case "accepted":
                return DsReply.accepted(id, (long) JsObjects.getNumber(r, "epoch"), (long) JsObjects.getNumber(r, "seq"));
            case "count": {
                Map<Integer, Integer> remaining = new LinkedHashMap<>();
                JSObject suites = JsObjects.get(r, "suites");
                JSObject counts = JsObjects.get(r, "counts");
                for (int i = 0; i < JsObjects.length(suites); i++) {
                    remaining.put(JsObjects.intAt(suites, i), JsObjects.intAt(counts, i));
                }
                return DsReply.count(id, remaining, JsObjects.getBool(r, "rotateLastResort"));
            }
            case "claims": {
                List<DsReply.Claim> claims = new ArrayList<>();
                JSObject a = JsObjects.get(r, "claims");
                for (int i = 0; i < JsObjects.length(a); i++) {
                    JSObject c = JsObjects.at(a, i);
                    claims.add(new DsReply.Claim(JsObjects.getString(c, "device"), JsObjects.getString(c, "status"),
                            JsObjects.has(c, "keyPackage") ? JsObjects.getBytes(c, "keyPackage") : null));
                }
                return DsReply.claims(id, claims);
            }
            default:
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "unknown reply type " + type);
        }
    }

    /** Pushed mailbox entries: an array of {@code {seq, message}}. */
    static List<Entry> entries(JSObject a) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < JsObjects.length(a); i++) {
            JSObject e = JsObjects.at(a, i);
            out.add(new Entry((long) JsObjects.getNumber(e, "seq"), JsObjects.getBytes(e, "message")));
        }
        return out;
    }

    // ------------------------------------------------------------------ outputs

    /** {@code {calls, events, persist: {keys, values}, wakeAt}}; a deleted key has the value null. */
    static JSObject output(Output out) {
        JSObject o = object();
        JSObject calls = JsObjects.array();
        for (DsCall c : out.calls) {
            JsObjects.push(calls, call(c));
        }
        put(o, "calls", calls);
        JSObject events = JsObjects.array();
        for (ClientEvent e : out.events) {
            JsObjects.push(events, event(e));
        }
        put(o, "events", events);
        JSObject keys = JsObjects.array();
        JSObject values = JsObjects.array();
        for (Map.Entry<String, byte[]> e : out.persist.entrySet()) {
            JsObjects.pushString(keys, e.getKey());
            if (e.getValue() == null) {
                JsObjects.pushNull(values);
            } else {
                JsObjects.push(values, JsObjects.bytes(e.getValue()));
            }
        }
        JSObject persist = object();
        put(persist, "keys", keys);
        put(persist, "values", values);
        put(o, "persist", persist);
        putNumber(o, "wakeAt", out.wakeAt);
        return o;
    }

    private static JSObject call(DsCall c) {
        JSObject o = object();
        putNumber(o, "id", c.id);
        putString(o, "kind", c.kind.name());
        putBool(o, "authenticated", c.authenticated);
        putOptString(o, "user", c.user);
        putOptString(o, "device", c.device);
        putBytes(o, "groupId", c.groupId);
        JSObject messages = JsObjects.array();
        for (byte[] m : c.messages) {
            JsObjects.push(messages, JsObjects.bytes(m));
        }
        put(o, "messages", messages);
        putInt(o, "cipherSuite", c.cipherSuite);
        putBytes(o, "signatureKey", c.signatureKey);
        putBytes(o, "credential", c.credential);
        putBytes(o, "challenge", c.challenge);
        putBytes(o, "signature", c.signature);
        putNumber(o, "after", c.after);
        putOptString(o, "linkTicket", c.linkTicket);
        return o;
    }

    private static JSObject event(ClientEvent e) {
        JSObject o = object();
        putString(o, "kind", e.kind.name());
        putBytes(o, "groupId", e.groupId);
        putOptString(o, "sender", e.sender);
        putBytes(o, "data", e.data);
        putNumber(o, "epoch", e.epoch);
        putNumber(o, "seq", e.seq);
        JSObject members = JsObjects.array();
        for (String m : e.members) {
            JsObjects.pushString(members, m);
        }
        put(o, "members", members);
        putOptString(o, "code", e.code);
        putOptString(o, "text", e.text);
        return o;
    }

    private static void putOptString(JSObject o, String k, String v) {
        if (v == null) {
            putNull(o, k);
        } else {
            putString(o, k, v);
        }
    }

    // ------------------------------------------------------------------ reading

    /** {@code {user, device, ready, cursor, token}} (token null while signing in). */
    static JSObject info(ClientEngine e) {
        JSObject o = object();
        putString(o, "user", e.user());
        putString(o, "device", e.device());
        putBool(o, "ready", e.ready());
        putNumber(o, "cursor", e.cursor());
        putOptString(o, "token", e.token());
        return o;
    }

    /** The ids of the groups this device is in. */
    static JSObject groups(ClientEngine e) {
        JSObject a = JsObjects.array();
        for (byte[] id : e.groupIds()) {
            JsObjects.push(a, JsObjects.bytes(id));
        }
        return a;
    }

    /**
     * One group: {@code {groupId, epoch, epochAuthenticator, members: [{leaf, identity}],
     * pendingIntents}}, or null when this device has no such group.
     */
    static JSObject group(ClientEngine e, byte[] groupId) {
        Group g = e.group(groupId);
        if (g == null) {
            return null;
        }
        JSObject o = object();
        putBytes(o, "groupId", g.groupId());
        putNumber(o, "epoch", g.epoch());
        putBytes(o, "epochAuthenticator", g.epochAuthenticator());
        JSObject members = JsObjects.array();
        for (Member m : g.members()) {
            JSObject mo = object();
            putInt(mo, "leaf", m.leafIndex);
            putString(mo, "identity", m.credential.type() == Credential.BASIC
                    ? new String(m.credential.identity(), StandardCharsets.UTF_8) : "");
            JsObjects.push(members, mo);
        }
        put(o, "members", members);
        putInt(o, "pendingIntents", e.pendingIntents(groupId));
        return o;
    }

    /**
     * {epoch, secret, myLeaf, memberLeaves}: MLS-Exporter(label, context, length) of the group's
     * current epoch with that epoch's leaves (one read, so they match), or null when this device
     * is not in the group.
     */
    static JSObject exportSecret(ClientEngine e, byte[] groupId, String label, byte[] context, int length) {
        if (!e.isMember(groupId)) {
            return null;
        }
        Group g = e.group(groupId);
        JSObject o = object();
        putNumber(o, "epoch", g.epoch());
        putBytes(o, "secret", g.export(label, context, length));
        putInt(o, "myLeaf", g.myLeafIndex());
        JSObject leaves = JsObjects.array();
        for (Member m : g.members()) {
            JsObjects.push(leaves, JsObjects.number(m.leafIndex));
        }
        put(o, "memberLeaves", leaves);
        return o;
    }
}
