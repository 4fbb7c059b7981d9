package org.mlskit.ds.client;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.mlskit.client.ClientEngine;
import org.mlskit.client.ClientEvent;
import org.mlskit.client.DsCall;
import org.mlskit.client.DsReply;
import org.mlskit.client.Output;

/**
 * Runs a {@link ClientEngine} on the JVM against a real delivery service: one thread owns the
 * engine, its calls become HTTP requests and a mailbox WebSocket, their answers and pushed
 * entries go back to it, its timers are scheduled, and what it persists lands in a map (a JVM
 * app would write it to disk). The same engine runs in the browser with a JS transport.
 */
public final class EngineRunner implements AutoCloseable {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mlskit-engine");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<ClientEvent> listener;
    /** What the engine persisted, key to bytes. */
    public final Map<String, byte[]> store = new ConcurrentHashMap<>();
    private ClientEngine engine;
    private Subscription socket;
    private volatile boolean closed;

    public EngineRunner(String baseUrl, ClientEngine engine, Consumer<ClientEvent> listener) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.engine = engine;
        this.listener = listener;
    }

    /** Starts the engine (registration or login, KeyPackages, mailbox). */
    public EngineRunner start() {
        submit(e -> e.start(now()));
        return this;
    }

    /** Runs an intent on the engine thread, e.g. {@code runner.submit(e -> e.send(now, gid, bytes))}. */
    public void submit(Function<ClientEngine, Output> step) {
        guarded(() -> apply(step.apply(engine)));
    }

    /** Runs a read of the engine on its thread and waits for the answer. */
    public <T> T query(Function<ClientEngine, T> read) {
        try {
            return CompletableFuture.supplyAsync(() -> read.apply(engine), thread).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    /** A failure of the engine itself (a bug): reported, never swallowed by the executor. */
    public volatile Throwable failure;

    private void guarded(Runnable r) {
        thread.execute(() -> {
            if (closed) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                failure = e;
                System.err.println("mlskit engine failed: " + e);
                e.printStackTrace();
            }
        });
    }

    private void apply(Output out) {
        // Before any call leaves, a crash never loses what was sent; a null value deletes its key.
        out.persist.forEach((k, v) -> {
            if (v == null) {
                store.remove(k);
            } else {
                store.put(k, v);
            }
        });
        for (ClientEvent e : out.events) {
            listener.accept(e);
        }
        for (DsCall c : out.calls) {
            perform(c, engine.token());
        }
        if (out.wakeAt >= 0 && !closed) {
            try {
                thread.schedule(() -> guarded(() -> apply(engine.tick(now()))), Math.max(0, out.wakeAt - now()),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // close() ran during this step: no more timers, as intended
            }
        }
    }

    private void answer(DsReply r) {
        guarded(() -> apply(engine.reply(now(), r)));
    }

    private void perform(DsCall c, String token) {
        if (c.kind == DsCall.Kind.SUBSCRIBE) {
            subscribe(c, token);
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                return call(c, token);
            } catch (DsException e) {
                if ("WRONG_EPOCH".equals(e.code())) {
                    return DsReply.wrongEpoch(c.id, e.body().get("epoch").getAsLong(), e.body().get("from").getAsLong());
                }
                return DsReply.failed(c.id, e.status() == 0 ? DsReply.UNREACHABLE : e.code(), e.getMessage());
            } catch (RuntimeException e) {
                return DsReply.failed(c.id, DsReply.UNREACHABLE, String.valueOf(e));
            }
        }).thenAccept(this::answer);
    }

    private DsReply call(DsCall c, String token) {
        DsClient raw = new DsClient(base, c.user, c.device, null, http);
        switch (c.kind) {
            case CHALLENGE: {
                JsonObject r = json(raw, "POST", "/v1/challenges", body("user", c.user, "device", c.device), null);
                return DsReply.data(c.id, Base64.getDecoder().decode(r.get("challenge").getAsString()));
            }
            case REGISTER: {
                JsonObject b = body("user", c.user, "device", c.device, "signatureKey", b64(c.signatureKey), "credential",
                        b64(c.credential), "challenge", b64(c.challenge), "signature", b64(c.signature));
                b.addProperty("cipherSuite", c.cipherSuite);
                if (c.linkTicket != null) {
                    b.addProperty("linkTicket", c.linkTicket);
                }
                JsonObject r = json(raw, "POST", "/v1/devices", b, null);
                return DsReply.token(c.id, r.get("token").getAsString(), r.get("expiresAt").getAsLong());
            }
            case LOGIN: {
                JsonObject r = json(raw, "POST", "/v1/tokens", body("user", c.user, "device", c.device, "challenge",
                        b64(c.challenge), "signature", b64(c.signature)), null);
                return DsReply.token(c.id, r.get("token").getAsString(), r.get("expiresAt").getAsLong());
            }
            case UPLOAD_KEY_PACKAGES:
                return count(c.id, mls(raw, "POST", "/v1/key-packages", c.messages, token).getAsJsonObject("count"));
            case KEY_PACKAGE_COUNT:
                return count(c.id, json(raw, "GET", "/v1/key-packages", null, token));
            case CLAIM: {
                JsonObject b = new JsonObject();
                JsonArray suites = new JsonArray();
                suites.add(c.cipherSuite);
                b.add("cipherSuites", suites);
                JsonObject r = json(raw, "POST", "/v1/users/" + c.user + "/key-packages/claim", b, token);
                List<DsReply.Claim> claims = new ArrayList<>();
                for (JsonElement e : r.getAsJsonArray("devices")) {
                    JsonObject d = e.getAsJsonObject();
                    claims.add(new DsReply.Claim(d.get("device").getAsString(), d.get("status").getAsString(),
                            d.has("keyPackage") ? Base64.getDecoder().decode(d.get("keyPackage").getAsString()) : null));
                }
                return DsReply.claims(c.id, claims);
            }
            case CREATE_GROUP:
                return accepted(c.id, mls(raw, "PUT", group(c), c.messages, token));
            case COMMIT:
                return accepted(c.id, mls(raw, "POST", group(c) + "/commits", c.messages, token));
            case SEND:
                return accepted(c.id, mls(raw, "POST", group(c) + "/messages", c.messages, token));
            case GROUP_INFO:
                return DsReply.data(c.id, raw.send("GET", group(c) + "/group-info", null, null, token).body());
            case ACK:
                json(raw, "POST", "/v1/mailbox/ack", number("upTo", c.after), token);
                return DsReply.done(c.id);
            default:
                throw new IllegalStateException(c.kind.toString());
        }
    }

    private void subscribe(DsCall c, String token) {
        try {
            String ws = base.replaceFirst("^http", "ws") + "/v1/mailbox/ws?after=" + c.after + "&token="
                    + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
            socket = Subscription.open(http, java.net.URI.create(ws), new Subscription.Listener() {
                @Override
                public void entries(List<DsClient.Entry> entries) {
                    List<org.mlskit.client.Entry> in = new ArrayList<>();
                    for (DsClient.Entry e : entries) {
                        if (!e.relayed()) { // relayed payloads are for other protocols (Multi-MLS), not the engine
                            in.add(new org.mlskit.client.Entry(e.seq(), e.message()));
                        }
                    }
                    guarded(() -> apply(engine.entries(now(), in)));
                }

                @Override
                public void live(long seq) {
                    guarded(() -> apply(engine.live(now(), seq)));
                }

                @Override
                public void closed(int code, String reason) {
                    answer(DsReply.failed(c.id, DsReply.UNREACHABLE, "mailbox socket closed: " + code + " " + reason));
                }
            });
        } catch (RuntimeException e) {
            answer(DsReply.failed(c.id, DsReply.UNREACHABLE, "cannot open the mailbox socket: " + e));
        }
    }

    /** Drops the mailbox socket as a network failure would (tests). */
    public void dropSocket() {
        Subscription s = socket;
        if (s != null) {
            s.abort();
        }
    }

    private static String group(DsCall c) {
        return "/v1/groups/" + Base64.getUrlEncoder().withoutPadding().encodeToString(c.groupId);
    }

    private static JsonObject json(DsClient raw, String method, String path, JsonObject body, String token) {
        byte[] b = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        return parse(raw.send(method, path, b, body == null ? null : "application/json", token).body());
    }

    private static JsonObject mls(DsClient raw, String method, String path, List<byte[]> messages, String token) {
        return parse(raw.send(method, path, DsClient.concat(messages), "message/mls", token).body());
    }

    private static JsonObject parse(byte[] b) {
        return JsonParser.parseString(new String(b, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static DsReply accepted(long id, JsonObject r) {
        return DsReply.accepted(id, r.get("epoch").getAsLong(), r.get("seq").getAsLong());
    }

    private static DsReply count(long id, JsonObject r) {
        Map<Integer, Integer> remaining = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("remaining").entrySet()) {
            remaining.put(Integer.parseInt(e.getKey()), e.getValue().getAsInt());
        }
        return DsReply.count(id, remaining, r.get("rotateLastResort").getAsBoolean());
    }

    private static JsonObject body(String... kv) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < kv.length; i += 2) {
            o.addProperty(kv[i], kv[i + 1]);
        }
        return o;
    }

    private static JsonObject number(String k, long v) {
        JsonObject o = new JsonObject();
        o.addProperty(k, v);
        return o;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = socket;
        if (s != null) {
            s.abort();
        }
        thread.shutdownNow();
    }
}
