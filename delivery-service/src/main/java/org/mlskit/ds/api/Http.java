package org.mlskit.ds.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.javalin.config.Key;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

/** Request and response plumbing shared by every endpoint: JSON, base64 fields, MLS bodies, errors. */
public final class Http {
    public static final String MLS = "message/mls";
    public static final String JSON = "application/json";
    /** The largest request body accepted, in bytes (set in Javalin's app data by the server). */
    public static final Key<Long> MAX_BODY = new Key<>("mlskit.maxBody");
    private static final Gson GSON = new Gson();

    private Http() {
    }

    /** The request's JSON object. */
    public static JsonObject json(Context ctx) {
        requireType(ctx, JSON);
        try {
            JsonElement e = JsonParser.parseString(new String(body(ctx), StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new DsError(DsError.Code.BAD_REQUEST, "the body must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "the body is not JSON: " + e.getMessage());
        }
    }

    /** The request's {@code message/mls} bytes. */
    public static byte[] mls(Context ctx) {
        requireType(ctx, MLS);
        return body(ctx);
    }

    /**
     * The request body in one array of its exact length. Javalin's own reader buffers it twice over
     * 8 KB arrays, which at thousands of requests a second was a large share of the server's garbage.
     */
    static byte[] body(Context ctx) {
        long max = ctx.appData(MAX_BODY);
        long length = ctx.req().getContentLengthLong();
        if (length > max) {
            throw tooLarge(max);
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] b = in.readNBytes((int) (length >= 0 ? length : max + 1));
            if (b.length > max) {
                throw tooLarge(max);
            }
            if (length >= 0 && b.length != length) {
                throw new DsError(DsError.Code.BAD_REQUEST, "the body ended after " + b.length + " of " + length + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "the body could not be read: " + e.getMessage());
        }
    }

    private static DsError tooLarge(long max) {
        return new DsError(DsError.Code.PAYLOAD_TOO_LARGE, "the body is larger than " + max + " bytes");
    }

    private static void requireType(Context ctx, String type) {
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith(type)) {
            throw new DsError(DsError.Code.UNSUPPORTED_MEDIA_TYPE, "this endpoint takes Content-Type: " + type);
        }
    }

    public static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new DsError(DsError.Code.BAD_REQUEST, "field '" + name + "' (a string) is missing");
        }
        return e.getAsString();
    }

    public static long number(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new DsError(DsError.Code.BAD_REQUEST, "field '" + name + "' (a number) is missing");
        }
        return e.getAsLong();
    }

    public static int[] numbers(JsonObject o, String name, boolean required) {
        JsonElement e = o.get(name);
        if (e == null && !required) {
            return new int[0];
        }
        if (e == null || !e.isJsonArray()) {
            throw new DsError(DsError.Code.BAD_REQUEST, "field '" + name + "' (an array of numbers) is missing");
        }
        int[] out = new int[e.getAsJsonArray().size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = e.getAsJsonArray().get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new DsError(DsError.Code.BAD_REQUEST, "field '" + name + "' must hold numbers only");
            }
            out[i] = x.getAsInt();
        }
        return out;
    }

    /** A standard base64 field. */
    public static byte[] bytes(JsonObject o, String name) {
        try {
            return Base64.getDecoder().decode(string(o, name));
        } catch (IllegalArgumentException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "field '" + name + "' is not base64");
        }
    }

    public static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** A group id in a URL: base64url without padding. */
    public static byte[] groupId(Context ctx) {
        String s = ctx.pathParam("group");
        try {
            byte[] id = Base64.getUrlDecoder().decode(s);
            if (id.length == 0 || id.length > 255) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new DsError(DsError.Code.BAD_REQUEST, "a group id in a URL is its bytes in base64url without padding");
        }
    }

    public static String groupIdText(byte[] id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public static void sendJson(Context ctx, int status, Object body) {
        send(ctx, status, JSON, (body instanceof String s ? s : GSON.toJson(body)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a whole answer with its length. Not through {@code ctx.result}: Javalin copies a result
     * through a fresh 32 KB buffer per response, which made answers the server's largest garbage.
     */
    public static void send(Context ctx, int status, String type, byte[] body) {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType(type);
        res.setContentLength(body.length);
        try {
            res.getOutputStream().write(body);
        } catch (IOException e) {
            // The client went away: there is no one left to answer.
        }
    }

    /** Completes the request from a future: its value mapped to JSON, or its error. */
    public static <T> void respond(Context ctx, CompletableFuture<T> f, int status, Function<T, Object> body) {
        ctx.future(() -> f.handle((value, error) -> {
            if (error != null) {
                sendError(ctx, error);
            } else {
                sendJson(ctx, status, body.apply(value));
            }
            return null;
        }));
    }

    /** The JSON error body {code, message, ...details} with its status (and Retry-After). */
    public static void sendError(Context ctx, Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        DsError e = t instanceof DsError d ? d : new DsError(DsError.Code.INTERNAL, "internal error: " + t);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().name());
        body.put("message", e.getMessage());
        body.putAll(e.details());
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        // Through Javalin's result, which is written once the handler is done: an answer written
        // at once (sendJson) can reach a client still sending a body it will never read (413), and
        // the connection closed under that body reached the client as a reset instead of the answer.
        ctx.status(e.code().status).contentType(JSON).result(GSON.toJson(body));
    }
}
