package org.mlskit.interop.runner;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One step of a script in the working group's config format. Keys are matched ignoring case and
 * underscores, so "force_path", "forcePath" and "changeCiphersuite"/"changeCipherSuite" all work:
 * the shipped configs mix these spellings (the Go runner matches case only, so it silently drops
 * branch.json's "forcePath" and "externalTree"; this runner applies them).
 */
final class Step {
    final String action;
    final String actor;
    final JsonObject raw;
    private final Map<String, JsonElement> params = new HashMap<>();

    Step(JsonObject raw) {
        this.raw = raw;
        for (Map.Entry<String, JsonElement> e : raw.entrySet()) {
            params.put(normalize(e.getKey()), e.getValue());
        }
        JsonElement a = params.get("action");
        if (a == null) {
            throw new IllegalArgumentException("a step without an action: " + raw);
        }
        this.action = a.getAsString();
        JsonElement who = params.get("actor");
        this.actor = who == null ? null : who.getAsString();
    }

    private static String normalize(String key) {
        return key.replace("_", "").toLowerCase(Locale.ROOT);
    }

    static JsonElement get(JsonObject o, String key) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (normalize(e.getKey()).equals(normalize(key))) {
                return e.getValue();
            }
        }
        return null;
    }

    JsonElement get(String key) {
        return params.get(normalize(key));
    }

    String string(String key) {
        JsonElement e = get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    int integer(String key) {
        JsonElement e = get(key);
        if (e == null) {
            throw new IllegalArgumentException("step '" + action + "' needs '" + key + "'");
        }
        return e.getAsInt();
    }

    boolean flag(String key) {
        JsonElement e = get(key);
        return e != null && e.getAsBoolean();
    }

    List<String> strings(String key) {
        return strings(get(key));
    }

    static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.getAsString());
            }
        }
        return out;
    }

    List<Integer> integers(String key) {
        List<Integer> out = new ArrayList<>();
        JsonElement e = get(key);
        if (e != null && e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.getAsInt());
            }
        }
        return out;
    }

    /** The harness's Extension list: extension_type and base64 extension_data. */
    static List<org.mlskit.interop.proto.Extension> extensions(JsonElement e) {
        List<org.mlskit.interop.proto.Extension> out = new ArrayList<>();
        if (e == null || !e.isJsonArray()) {
            return out;
        }
        JsonArray list = e.getAsJsonArray();
        for (JsonElement x : list) {
            JsonObject o = x.getAsJsonObject();
            JsonElement data = get(o, "extension_data");
            out.add(org.mlskit.interop.proto.Extension.newBuilder().setExtensionType(get(o, "extension_type").getAsInt())
                    .setExtensionData(com.google.protobuf.ByteString.copyFrom(
                            data == null ? new byte[0] : Base64.getDecoder().decode(data.getAsString())))
                    .build());
        }
        return out;
    }

    /** The actors a step names: its actor and the other roles that create clients. */
    void actors(List<String> into) {
        add(into, actor);
        if (action.equals("createGroup")) {
            for (String m : strings("members")) {
                add(into, m);
            }
        }
        add(into, string("joiner"));
        add(into, string("signer"));
        for (String k : new String[] {"proposer", "committer", "welcomer"}) {
            add(into, string(k));
        }
    }

    private static void add(List<String> into, String who) {
        if (who != null && !who.isEmpty() && !into.contains(who)) {
            into.add(who);
        }
    }

    @Override
    public String toString() {
        return raw.toString();
    }
}
