package org.mlskit.cli;

import java.io.IOException;
import java.io.Reader;

import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import org.mlskit.vectors.JsonValue;

/**
 * {@link JsonValue} over gson, for the JVM. As strict as the TeaVM builds' {@code JSON.parse}
 * view: a string is only a JSON string, a number only a JSON integer.
 */
public final class GsonJson implements JsonValue {
    private final JsonElement e;

    private GsonJson(JsonElement e) {
        this.e = e;
    }

    /** The view of {@code e}, or null for JSON null (as {@link JsonValue} has it). */
    public static JsonValue wrap(JsonElement e) {
        return e == null || e.isJsonNull() ? null : new GsonJson(e);
    }

    /**
     * Parses one complete JSON document (RFC 8259, no lenient extensions, nothing after it).
     *
     * @throws JsonSyntaxException when the text is not JSON
     * @throws IOException when reading fails
     */
    public static JsonElement parse(Reader in) throws IOException {
        JsonReader reader = new JsonReader(in);
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonSyntaxException("more than one JSON value");
            }
            return root;
        } catch (MalformedJsonException | JsonSyntaxException ex) {
            throw new JsonSyntaxException(oneLine(ex), ex);
        } catch (JsonIOException ex) {
            throw ex.getCause() instanceof IOException ? (IOException) ex.getCause() : new IOException(ex.getMessage(), ex);
        }
    }

    /** Gson's message for a syntax error, on one line and without its advice to parse leniently. */
    private static String oneLine(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause().getMessage() != null) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage()).split("\\R", 2)[0];
        return m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
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
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalStateException("expected a JSON string, got " + e);
        }
        return e.getAsString();
    }

    @Override
    public long asLong() {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalStateException("expected a JSON integer, got " + e);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        try {
            return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException ex) {
            throw new IllegalStateException("expected a JSON integer, got " + e, ex);
        }
    }
}
