package org.mlskit.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.mlskit.cli.GsonJson;

/** Every entry of every section of both SFrame vector files, counted so that nothing is skipped. */
class SFrameVectorsTest {
    /** Section sizes of RFC 9605's test-vectors.json. */
    private static final Map<String, Integer> RFC_FILE = new TreeMap<>(Map.of(
            "header", 289, "aes_ctr_hmac", 3, "aes_256_ctr_hmac", 3, "sframe", 5));
    /** Section sizes of the working group's test-vectors-aes256.json. */
    private static final Map<String, Integer> AES256_FILE = new TreeMap<>(Map.of("sframe_aes_256_ctr_hmac", 3));

    private static String text(String file) {
        try (InputStream in = SFrameVectorsTest.class.getResourceAsStream("/vectors/sframe/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file as gson parses it; a number's getAsString() is its literal text. */
    private static JsonObject raw(String file) {
        return JsonParser.parseString(text(file)).getAsJsonObject();
    }

    /**
     * The file with KID and CTR quoted before parsing, as the JS tests do, so that the checks read
     * them as decimal strings and never as doubles.
     */
    static JsonObject quoted(String file) {
        String t = text(file).replaceAll("\"(kid|ctr)\"\\s*:\\s*(\\d+)", "\"$1\":\"$2\"");
        try {
            return GsonJson.parse(new StringReader(t)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verifyFile(String file, Map<String, Integer> expected) {
        JsonObject root = quoted(file);
        assertEquals(expected.keySet(), new TreeSet<>(root.keySet()), file + ": sections");
        for (Map.Entry<String, Integer> s : expected.entrySet()) {
            SFrameVectors.Report r = SFrameVectors.verify(s.getKey(), GsonJson.wrap(root.get(s.getKey())));
            assertEquals(0, r.failed, r.summary());
            assertEquals(s.getValue(), r.passed, file + " " + s.getKey() + ": entries");
        }
    }

    @Test
    void rfcFilePassesInFull() {
        verifyFile("test-vectors.json", RFC_FILE);
    }

    @Test
    void aes256FilePassesInFull() {
        verifyFile("test-vectors-aes256.json", AES256_FILE);
    }

    @Test
    void everySuiteIsCovered() {
        JsonObject rfc = raw("test-vectors.json");
        TreeSet<Integer> suites = new TreeSet<>();
        for (JsonElement e : rfc.getAsJsonArray("sframe")) {
            suites.add(e.getAsJsonObject().get("cipher_suite").getAsInt());
        }
        for (JsonElement e : raw("test-vectors-aes256.json").getAsJsonArray("sframe_aes_256_ctr_hmac")) {
            suites.add(e.getAsJsonObject().get("cipher_suite").getAsInt());
        }
        TreeSet<Integer> all = new TreeSet<>();
        for (SFrameSuite s : SFrameSuite.values()) {
            all.add(s.id());
        }
        assertEquals(all, suites);
    }

    /** 93 header entries exceed 2^53; each parses exactly and matches BigInteger's reading of the text. */
    @Test
    void largeHeaderValuesAreExact() {
        int above = 0;
        BigInteger limit = BigInteger.ONE.shiftLeft(53);
        JsonArray quotedHeaders = quoted("test-vectors.json").getAsJsonArray("header");
        int i = 0;
        for (JsonElement e : raw("test-vectors.json").getAsJsonArray("header")) {
            JsonObject q = quotedHeaders.get(i++).getAsJsonObject();
            for (String f : new String[] {"kid", "ctr"}) {
                String literal = e.getAsJsonObject().get(f).getAsString();
                BigInteger big = new BigInteger(literal);
                assertEquals(literal, q.get(f).getAsString(), "quoting keeps the text");
                assertEquals(big.toString(), Long.toUnsignedString(SFrameVectors.parseU64(literal)));
                if (big.compareTo(limit) > 0) {
                    above++;
                    break;
                }
            }
        }
        assertEquals(93, above);
        assertEquals(-1L, SFrameVectors.parseU64("18446744073709551615"));
        for (String bad : new String[] {"18446744073709551616", "99999999999999999999", "-1", "1.0", "", "1e3"}) {
            assertThrows(IllegalArgumentException.class, () -> SFrameVectors.parseU64(bad), bad);
        }
    }

    @Test
    void aWrongExpectedValueIsAFailureNotAPass() {
        JsonObject bad = new JsonObject();
        bad.addProperty("kid", "0");
        bad.addProperty("ctr", "0");
        bad.addProperty("encoded", "01");
        JsonArray a = new JsonArray();
        a.add(bad);
        SFrameVectors.Report r = SFrameVectors.verify("header", GsonJson.wrap(a));
        assertEquals(1, r.failed);
        assertEquals(0, r.passed);
        SFrameException ex = assertThrows(SFrameException.class, () -> SFrameVectors.verify("nope", GsonJson.wrap(a)));
        assertEquals(SFrameError.UNSUPPORTED, ex.code());
    }
}
