package org.mlskit.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** {@link JsonValue} over gson, for the JVM. */
public final class GsonJson implements JsonValue {
    private final JsonElement e;

    private GsonJson(JsonElement e) {
        this.e = e;
    }

    static JsonValue wrap(JsonElement e) {
        return e == null || e.isJsonNull() ? null : new GsonJson(e);
    }

    /** Parses a vector file from this module's test resources ({@code vectors/mls/NAME.json}). */
    public static JsonValue resource(String path) {
        try (InputStream in = GsonJson.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return wrap(JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public JsonValue get(String key) {
        return wrap(e.getAsJsonObject().get(key));
    }

    @Override
    public int length() {
        return e.getAsJsonArray().size();
    }

    @Override
    public JsonValue at(int i) {
        return wrap(e.getAsJsonArray().get(i));
    }

    @Override
    public String asString() {
        return e.getAsString();
    }

    @Override
    public long asLong() {
        return e.getAsLong();
    }
}
