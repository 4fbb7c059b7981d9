package org.mlskit.sframe;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.mlskit.vectors.JsonValue;

/**
 * {@link JsonValue} over gson for the tests. A number's {@link #asString()} is its literal text
 * (gson keeps it as a lazily parsed number), so 64-bit KIDs and CTRs never pass through a double.
 */
final class TestJson implements JsonValue {
    private final JsonElement e;

    private TestJson(JsonElement e) {
        this.e = e;
    }

    static JsonValue wrap(JsonElement e) {
        return e == null || e.isJsonNull() ? null : new TestJson(e);
    }

    /** A vector file from src/test/resources/vectors/sframe. */
    static JsonElement resource(String name) {
        try (InputStream in = TestJson.class.getResourceAsStream("/vectors/sframe/" + name);
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
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
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.getAsString();
    }

    @Override
    public long asLong() {
        return Long.parseLong(e.getAsJsonPrimitive().getAsString());
    }
}
