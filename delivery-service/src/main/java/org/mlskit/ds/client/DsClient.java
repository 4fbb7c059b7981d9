package org.mlskit.ds.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.mlskit.codec.TlsWriter;
import org.mlskit.client.Proof;
import org.mlskit.keys.Identity;

/**
 * A JVM client of the delivery service's HTTP and WebSocket API, one device per instance. It
 * signs challenges with the device's MLS {@link Identity}, keeps the bearer token and refreshes
 * it when it expires. Every refusal is a {@link DsException} with the server's code.
 *
 * <pre>{@code
 * DsClient alice = new DsClient("http://127.0.0.1:8080", "alice", "laptop", identity);
 * alice.register();
 * alice.uploadKeyPackages(List.of(kp1, kp2));
 * List<DsClient.Claimed> bob = alice.claim("bob", 1);
 * }</pre>
 */
public final class DsClient {
    private final String base;
    private final String user;
    private final String device;
    private final Identity identity;
    private final HttpClient http;
    private String token;
    private long tokenExpires;

    public DsClient(String baseUrl, String user, String device, Identity identity) {
        this(baseUrl, user, device, identity, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    public DsClient(String baseUrl, String user, String device, Identity identity, HttpClient http) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.user = user;
        this.device = device;
        this.identity = identity;
        this.http = http;
    }

    public String user() {
        return user;
    }

    public String device() {
        return device;
    }

    public Identity identity() {
        return identity;
    }

    public String baseUrl() {
        return base;
    }

    // ------------------------------------------------------------------ devices and tokens

    /** Registers this device (its user's first device). */
    public void register() {
        register(null, null);
    }

    /** Registers this device as a further device of its user, authorised by {@code other}, a registered device of the same user. */
    public void register(DsClient other) {
        register(other == null ? null : other.token(), null);
    }

    /** Registers this device as a further device of its user with a link ticket another of its devices asked for ({@link #linkTicket}). */
    public void register(String linkTicket) {
        register(null, linkTicket);
    }

    private void register(String bearer, String linkTicket) {
        byte[] challenge = challenge();
        JsonObject body = new JsonObject();
        body.addProperty("user", user);
        body.addProperty("device", device);
        body.addProperty("cipherSuite", identity.suite().id());
        body.addProperty("signatureKey", b64(identity.signaturePublicKey()));
        body.addProperty("credential", b64(new TlsWriter().write(identity.credential()).toByteArray()));
        body.addProperty("challenge", b64(challenge));
        body.addProperty("signature", b64(sign(challenge)));
        if (linkTicket != null) {
            body.addProperty("linkTicket", linkTicket);
        }
        session(call("POST", "/v1/devices", body, bearer));
    }

    /** A ticket that lets the new device {@code newDevice} of this device's user register (valid 10 minutes). */
    public String linkTicket(String newDevice) {
        JsonObject body = new JsonObject();
        body.addProperty("device", newDevice);
        return call("POST", "/v1/devices/link-tickets", body, token()).get("ticket").getAsString();
    }

    /** Signs a fresh challenge for a token (done by {@link #token()} when needed). */
    public void login() {
        byte[] challenge = challenge();
        JsonObject body = new JsonObject();
        body.addProperty("user", user);
        body.addProperty("device", device);
        body.addProperty("challenge", b64(challenge));
        body.addProperty("signature", b64(sign(challenge)));
        session(call("POST", "/v1/tokens", body, null));
    }

    /** A valid bearer token, logging in again when the current one is about to expire. */
    public synchronized String token() {
        if (token == null || System.currentTimeMillis() / 1000 > tokenExpires - 30) {
            login();
        }
        return token;
    }

    private synchronized void session(JsonObject r) {
        token = r.get("token").getAsString();
        tokenExpires = r.get("expiresAt").getAsLong();
    }

    /** A new challenge for this device. */
    public byte[] challenge() {
        JsonObject body = new JsonObject();
        body.addProperty("user", user);
        body.addProperty("device", device);
        return Base64.getDecoder().decode(call("POST", "/v1/challenges", body, null).get("challenge").getAsString());
    }

    /** SignWithLabel over a challenge with this device's key. */
    public byte[] sign(byte[] challenge) {
        return Proof.sign(identity, challenge, user, device);
    }

    // ------------------------------------------------------------------ KeyPackages

    /** Uploads KeyPackages (each an MLSMessage); returns the server's answer ({@code stored}, {@code count}). */
    public JsonObject uploadKeyPackages(List<byte[]> keyPackageMessages) {
        return mlsCall("POST", "/v1/key-packages", concat(keyPackageMessages));
    }

    /** {@code {remaining: {suite: n}, lastResort, rotateLastResort}}. */
    public JsonObject keyPackageCount() {
        return call("GET", "/v1/key-packages", null, token());
    }

    /** A claimed KeyPackage of one device, or its status ({@code keyMaterialExhausted}, {@code nothingCompatible}). */
    public record Claimed(String device, String status, byte[] keyPackage, boolean lastResort) {
        public boolean ok() {
            return "ok".equals(status);
        }
    }

    /** One KeyPackage per device of {@code user} in one of {@code suites} (in order of preference). */
    public List<Claimed> claim(String user, int... suites) {
        JsonObject body = new JsonObject();
        JsonArray s = new JsonArray();
        for (int x : suites) {
            s.add(x);
        }
        body.add("cipherSuites", s);
        JsonObject r = call("POST", "/v1/users/" + enc(user) + "/key-packages/claim", body, token());
        List<Claimed> out = new ArrayList<>();
        for (JsonElement e : r.getAsJsonArray("devices")) {
            JsonObject d = e.getAsJsonObject();
            out.add(new Claimed(d.get("device").getAsString(), d.get("status").getAsString(),
                    d.has("keyPackage") ? Base64.getDecoder().decode(d.get("keyPackage").getAsString()) : null,
                    d.has("lastResort") && d.get("lastResort").getAsBoolean()));
        }
        return out;
    }

    // ------------------------------------------------------------------ groups

    /** Where a message went: the group's epoch after it and its sequence number. */
    public record Accepted(long epoch, long seq) {
    }

    /** Creates a group's room from its creator's GroupInfo (with the ratchet tree). */
    public Accepted createGroup(byte[] groupId, byte[] groupInfo) {
        return accepted(mlsCall("PUT", groupPath(groupId), groupInfo));
    }

    /** Sends a commit with its Welcome (or null) and the new epoch's GroupInfo (with the ratchet tree). */
    public Accepted commit(byte[] groupId, byte[] commit, byte[] welcome, byte[] groupInfo) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(commit);
        if (welcome != null) {
            parts.add(welcome);
        }
        parts.add(groupInfo);
        return accepted(mlsCall("POST", groupPath(groupId) + "/commits", concat(parts)));
    }

    /** Sends an application message or a proposal. */
    public Accepted send(byte[] groupId, byte[] message) {
        return accepted(mlsCall("POST", groupPath(groupId) + "/messages", message));
    }

    /** The group's latest GroupInfo (for an external join). */
    public byte[] groupInfo(byte[] groupId) {
        return bytes(send("GET", groupPath(groupId) + "/group-info", null, null, token()));
    }

    /** {@code {epoch, members: [{user, device, leaf}]}}. */
    public JsonObject groupState(byte[] groupId) {
        return call("GET", groupPath(groupId), null, token());
    }

    // ------------------------------------------------------------------ mailbox

    /**
     * One entry of the mailbox: an MLSMessage ({@code from} null), or a payload another device
     * relayed ({@code message} is the payload, {@code from} its sender as "user/device").
     */
    public record Entry(long seq, byte[] message, String from) {
        public Entry(long seq, byte[] message) {
            this(seq, message, null);
        }

        public boolean relayed() {
            return from != null;
        }
    }

    /** Where a relayed payload went: its sequence number (-1 when it named only this device) and how many devices it reached. */
    public record Relayed(long seq, int devices) {
    }

    /**
     * Relays {@code payload} to every device {@code to} names ("user": all of that user's devices;
     * "user/device": one), this device left out (POST /v1/relay).
     */
    public Relayed relay(List<String> to, byte[] payload) {
        JsonObject body = new JsonObject();
        JsonArray names = new JsonArray();
        to.forEach(names::add);
        body.add("to", names);
        body.addProperty("payload", b64(payload));
        JsonObject r = call("POST", "/v1/relay", body, token());
        return new Relayed(r.get("seq").getAsLong(), r.get("devices").getAsInt());
    }

    /** A page of the mailbox after {@code after}. */
    public record Page(List<Entry> entries, long next, boolean more) {
    }

    public Page fetch(long after, int limit) {
        JsonObject r = call("GET", "/v1/mailbox?after=" + after + "&limit=" + limit, null, token());
        return new Page(entries(r.getAsJsonArray("entries")), r.get("next").getAsLong(), r.get("more").getAsBoolean());
    }

    /** Acknowledges everything up to {@code upTo}; returns the server's acknowledged cursor. */
    public long ack(long upTo) {
        JsonObject body = new JsonObject();
        body.addProperty("upTo", upTo);
        return call("POST", "/v1/mailbox/ack", body, token()).get("acked").getAsLong();
    }

    /** Opens the live mailbox from {@code after}; see {@link Subscription}. */
    public Subscription subscribe(long after, Subscription.Listener listener) {
        // hold=1: the server waits for our start message, so no frame arrives with the 101 answer
        // (java.net.http misread such frames now and then: invalid UTF-8, the socket failed)
        String ws = base.replaceFirst("^http", "ws") + "/v1/mailbox/ws?after=" + after + "&hold=1&token=" + enc(token());
        return Subscription.open(http, URI.create(ws), listener);
    }

    static List<Entry> entries(JsonArray a) {
        List<Entry> out = new ArrayList<>();
        for (JsonElement e : a) {
            JsonObject o = e.getAsJsonObject();
            long seq = o.get("seq").getAsLong();
            out.add(o.has("relay") ? new Entry(seq, Base64.getDecoder().decode(o.get("relay").getAsString()), o.get("from").getAsString())
                    : new Entry(seq, Base64.getDecoder().decode(o.get("message").getAsString())));
        }
        return out;
    }

    // ------------------------------------------------------------------ plumbing

    private static Accepted accepted(JsonObject r) {
        return new Accepted(r.get("epoch").getAsLong(), r.get("seq").getAsLong());
    }

    private static String groupPath(byte[] groupId) {
        return "/v1/groups/" + Base64.getUrlEncoder().withoutPadding().encodeToString(groupId);
    }

    private JsonObject call(String method, String path, JsonObject body, String bearer) {
        byte[] b = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        return json(send(method, path, b, body == null ? null : "application/json", bearer));
    }

    private JsonObject mlsCall(String method, String path, byte[] mls) {
        return json(send(method, path, mls, "message/mls", token()));
    }

    /** Sends a raw request (tests use it for malformed input); throws DsException on an error status. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType, String bearer) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            rb.header("Content-Type", contentType);
        }
        if (bearer != null) {
            rb.header("Authorization", "Bearer " + bearer);
        }
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r;
        try {
            r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DsException(0, "UNREACHABLE", method + " " + path + ": " + e.getMessage(), new JsonObject());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsException(0, "INTERRUPTED", method + " " + path, new JsonObject());
        }
        if (r.statusCode() >= 400) {
            JsonObject err;
            try {
                err = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                err = new JsonObject();
                err.addProperty("code", "HTTP_" + r.statusCode());
                err.addProperty("message", new String(r.body(), StandardCharsets.UTF_8));
            }
            throw new DsException(r.statusCode(), err.has("code") ? err.get("code").getAsString() : "HTTP_" + r.statusCode(),
                    err.has("message") ? err.get("message").getAsString() : "", err);
        }
        return r;
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static byte[] bytes(HttpResponse<byte[]> r) {
        return r.body();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
