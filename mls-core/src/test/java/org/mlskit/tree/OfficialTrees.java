package org.mlskit.tree;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;

/** The valid trees of the official tree-validation vectors (test resource vectors/mls/tree-validation.json). */
final class OfficialTrees {
    private static final JsonArray ENTRIES = load("/vectors/mls/tree-validation.json");

    private OfficialTrees() {
    }

    private static JsonArray load(String resource) {
        try (Reader in = new InputStreamReader(OfficialTrees.class.getResourceAsStream(resource), StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in).getAsJsonArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int count() {
        return ENTRIES.size();
    }

    static CipherSuite suite(int i) {
        return CipherSuite.of(entry(i).get("cipher_suite").getAsInt());
    }

    /** The decoded tree of entry {@code i}, a fresh copy on every call. */
    static RatchetTree tree(int i) {
        CipherSuite cs = suite(i);
        return Codec.decodeAll(Hex.decode(entry(i).get("tree").getAsString()), in -> RatchetTree.decode(cs, in));
    }

    static byte[] groupId(int i) {
        return Hex.decode(entry(i).get("group_id").getAsString());
    }

    private static JsonObject entry(int i) {
        return ENTRIES.get(i).getAsJsonObject();
    }
}
