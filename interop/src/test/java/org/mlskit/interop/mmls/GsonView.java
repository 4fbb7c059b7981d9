package org.mlskit.interop.mmls;

import com.google.gson.JsonElement;

import org.mlskit.vectors.JsonValue;

/** mls-core's read-only {@link JsonValue} over a gson tree, so the transcript can go through mlskit's vector checks. */
final class GsonView implements JsonValue {
    private final JsonElement e;

    private GsonView(JsonElement e) {
        this.e = e;
    }

    static JsonValue of(JsonElement e) {
        return e == null || e.isJsonNull() ? null : new GsonView(e);
    }

    @Override
    public JsonValue get(String key) {
        return of(e.getAsJsonObject().get(key));
    }

    @Override
    public int length() {
        return e.getAsJsonArray().size();
    }

    @Override
    public JsonValue at(int i) {
        return of(e.getAsJsonArray().get(i));
    }

    @Override
    public String asString() {
        return e.getAsJsonPrimitive().getAsString();
    }

    @Override
    public long asLong() {
        return e.getAsJsonPrimitive().getAsLong();
    }
}
