package org.mlskit.ds.api;

import static org.mlskit.ds.api.Http.b64;
import static org.mlskit.ds.api.Http.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;

import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Principal;
import org.mlskit.ds.keys.KeyDirectory;
import org.mlskit.ds.mailbox.Entry;
import org.mlskit.ds.mailbox.Mailbox;
import org.mlskit.ds.mailbox.MailboxSocket;
import org.mlskit.ds.relay.Relay;
import org.mlskit.ds.rooms.Rooms;
import org.mlskit.keys.RequiredCapabilities;

/**
 * The HTTP and WebSocket API under {@code /v1} (delivery-service/README.md documents every
 * endpoint). Handlers only translate: the services do the work and throw {@link DsError}.
 */
public final class Api {
    private final Accounts accounts;
    private final KeyDirectory keys;
    private final Rooms rooms;
    private final Mailbox mailbox;
    private final MailboxSocket socket;
    private final Relay relay;

    public Api(Accounts accounts, KeyDirectory keys, Rooms rooms, Mailbox mailbox, MailboxSocket socket, Relay relay) {
        this.relay = relay;
        this.accounts = accounts;
        this.keys = keys;
        this.rooms = rooms;
        this.mailbox = mailbox;
        this.socket = socket;
    }

    public void register(Javalin app) {
        app.exception(DsError.class, (e, ctx) -> Http.sendError(ctx, e));
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> Http.sendError(ctx,
                new DsError(e.getStatus() == 413 ? DsError.Code.PAYLOAD_TOO_LARGE : DsError.Code.BAD_REQUEST, e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> Http.sendError(ctx, e));

        app.post("/v1/challenges", this::challenge);
        app.post("/v1/devices", this::registerDevice);
        app.post("/v1/devices/link-tickets", ctx -> {
            Accounts.Session t = accounts.linkTicket(auth(ctx), Http.string(Http.json(ctx), "device"));
            Http.sendJson(ctx, 201, map("user", t.principal().user(), "device", t.principal().device(), "ticket", t.token(),
                    "expiresAt", t.expiresAt()));
        });
        app.post("/v1/tokens", this::token);
        app.post("/v1/key-packages", this::upload);
        app.get("/v1/key-packages", ctx -> Http.sendJson(ctx, 200, count(keys.count(auth(ctx)))));
        app.post("/v1/users/{user}/key-packages/claim", this::claim);
        app.put("/v1/groups/{group}", ctx -> Http.respond(ctx, rooms.create(auth(ctx), Http.groupId(ctx), Http.mls(ctx)), 201,
                Api::accepted));
        app.get("/v1/groups/{group}", this::state);
        app.post("/v1/groups/{group}/commits", ctx -> Http.respond(ctx,
                rooms.commit(auth(ctx), Http.groupId(ctx), Http.mls(ctx)), 200, Api::accepted));
        app.post("/v1/groups/{group}/messages", ctx -> Http.respond(ctx,
                rooms.send(auth(ctx), Http.groupId(ctx), Http.mls(ctx)), 200, Api::accepted));
        app.get("/v1/groups/{group}/group-info", ctx -> Http.send(ctx, 200, Http.MLS, rooms.groupInfo(auth(ctx), Http.groupId(ctx))));
        app.get("/v1/mailbox", this::fetch);
        app.post("/v1/mailbox/ack", ctx -> {
            long upTo = Http.number(Http.json(ctx), "upTo");
            Http.respond(ctx, mailbox.ack(auth(ctx), upTo), 200, acked -> map("acked", acked));
        });
        app.post("/v1/relay", this::relay);
        app.wsBeforeUpgrade("/v1/mailbox/ws", ctx -> accounts.authenticate(ctx.queryParam("token")));
        app.ws("/v1/mailbox/ws", this::configureSocket);
    }

    private void configureSocket(WsConfig ws) {
        socket.configure(ws, accounts);
    }

    /** The device a request's bearer token names. */
    private Principal auth(Context ctx) {
        return accounts.authenticate(bearer(ctx));
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }

    private void challenge(Context ctx) {
        JsonObject o = Http.json(ctx);
        Http.respond(ctx, accounts.challenge(Http.string(o, "user"), Http.string(o, "device")), 200,
                c -> map("challenge", b64(c.challenge()), "expiresAt", c.expiresAt()));
    }

    private void registerDevice(Context ctx) {
        JsonObject o = Http.json(ctx);
        Principal caller = bearer(ctx) == null ? null : auth(ctx);
        Http.respond(ctx, accounts.register(Http.string(o, "user"), Http.string(o, "device"),
                (int) Http.number(o, "cipherSuite"), Http.bytes(o, "signatureKey"), Http.bytes(o, "credential"),
                Http.bytes(o, "challenge"), Http.bytes(o, "signature"), caller,
                o.has("linkTicket") ? Http.string(o, "linkTicket") : null), 201, Api::session);
    }

    private void token(Context ctx) {
        JsonObject o = Http.json(ctx);
        Http.respond(ctx, accounts.token(Http.string(o, "user"), Http.string(o, "device"), Http.bytes(o, "challenge"),
                Http.bytes(o, "signature")), 200, Api::session);
    }

    private void upload(Context ctx) {
        Principal p = auth(ctx);
        Http.respond(ctx, keys.upload(p, Http.mls(ctx)), 200,
                u -> map("stored", u.stored(), "duplicates", u.duplicates(), "count", count(u.count())));
    }

    private void claim(Context ctx) {
        Principal p = auth(ctx);
        JsonObject o = Http.json(ctx);
        int[] suites = Http.numbers(o, "cipherSuites", true);
        RequiredCapabilities required = null;
        if (o.has("requiredCapabilities")) {
            if (!o.get("requiredCapabilities").isJsonObject()) {
                throw new DsError(DsError.Code.BAD_REQUEST, "requiredCapabilities must be an object");
            }
            JsonObject r = o.getAsJsonObject("requiredCapabilities");
            required = new RequiredCapabilities(Http.numbers(r, "extensions", false), Http.numbers(r, "proposals", false),
                    Http.numbers(r, "credentials", false));
        }
        String user = ctx.pathParam("user");
        Http.respond(ctx, keys.claim(p, user, suites, required), 200, list -> {
            List<Map<String, Object>> devices = new ArrayList<>();
            for (KeyDirectory.DeviceResult d : list) {
                devices.add(d.keyPackage() == null ? map("device", d.device(), "status", d.status())
                        : map("device", d.device(), "status", d.status(), "keyPackage", b64(d.keyPackage()),
                                "cipherSuite", d.cipherSuite(), "lastResort", d.lastResort()));
            }
            return map("user", user, "devices", devices);
        });
    }

    private void state(Context ctx) {
        Rooms.State s = rooms.state(auth(ctx), Http.groupId(ctx));
        List<Map<String, Object>> members = new ArrayList<>();
        for (Rooms.Member m : s.members()) {
            members.add(map("user", m.user(), "device", m.device(), "leaf", m.leaf()));
        }
        Http.sendJson(ctx, 200, map("epoch", s.epoch(), "members", members));
    }

    private void relay(Context ctx) {
        Principal p = auth(ctx);
        JsonObject o = Http.json(ctx);
        if (!o.has("to") || !o.get("to").isJsonArray()) {
            throw new DsError(DsError.Code.BAD_REQUEST, "to must be a list of 'user' or 'user/device'");
        }
        List<String> to = new ArrayList<>();
        for (com.google.gson.JsonElement e : o.getAsJsonArray("to")) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new DsError(DsError.Code.BAD_REQUEST, "to must be a list of 'user' or 'user/device'");
            }
            to.add(e.getAsString());
        }
        Http.respond(ctx, relay.send(p, to, Http.bytes(o, "payload")), 200,
                s -> "{\"seq\":" + s.seq() + ",\"devices\":" + s.devices() + "}");
    }

    private void fetch(Context ctx) {
        Principal p = auth(ctx);
        long after = query(ctx, "after", 0);
        int limit = (int) query(ctx, "limit", 100);
        List<Entry> entries = mailbox.fetch(p, after, limit);
        StringBuilder json = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            json.append(i == 0 ? "" : ",").append(entries.get(i).json());
        }
        long next = entries.isEmpty() ? after : entries.get(entries.size() - 1).seq();
        json.append("],\"next\":").append(next).append(",\"more\":").append(entries.size() == limit).append('}');
        Http.sendJson(ctx, 200, json.toString());
    }

    private static long query(Context ctx, String name, long absent) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return absent;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "query parameter " + name + " must be a number");
        }
    }

    /** Built by hand: every accepted message answers with it, and gson's map adapter costs more than the rest. */
    private static Object accepted(Rooms.Accepted a) {
        return "{\"epoch\":" + a.epoch() + ",\"seq\":" + a.seq() + "}";
    }

    private static Object session(Accounts.Session s) {
        return map("user", s.principal().user(), "device", s.principal().device(), "token", s.token(),
                "expiresAt", s.expiresAt());
    }

    private static Object count(KeyDirectory.Count c) {
        Map<String, Integer> remaining = new java.util.LinkedHashMap<>();
        c.remaining().forEach((suite, n) -> remaining.put(Integer.toString(suite), n));
        return map("remaining", remaining, "lastResort", c.lastResort(), "rotateLastResort", c.rotateLastResort());
    }
}
