package org.mlskit.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

/** Every entry of every section of both SFrame vector files, counted so that nothing is skipped. */
class SFrameVectorsTest {
    /** Section sizes of RFC 9605's test-vectors.json. */
    private static final Map<String, Integer> RFC_FILE = new TreeMap<>(Map.of(
            "header", 289, "aes_ctr_hmac", 3, "aes_256_ctr_hmac", 3, "sframe", 5));
    /** Section sizes of the working group's test-vectors-aes256.json. */
    private static final Map<String, Integer> AES256_FILE = new TreeMap<>(Map.of("sframe_aes_256_ctr_hmac", 3));

    private static void verifyFile(String file, Map<String, Integer> expected) {
        JsonObject root = TestJson.resource(file).getAsJsonObject();
        assertEquals(expected.keySet(), new TreeSet<>(root.keySet()), file + ": sections");
        for (Map.Entry<String, Integer> s : expected.entrySet()) {
            SFrameVectors.Report r = SFrameVectors.verify(s.getKey(), TestJson.wrap(root.get(s.getKey())));
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
        JsonObject rfc = TestJson.resource("test-vectors.json").getAsJsonObject();
        TreeSet<Integer> suites = new TreeSet<>();
        for (JsonElement e : rfc.getAsJsonArray("sframe")) {
            suites.add(e.getAsJsonObject().get("cipher_suite").getAsInt());
        }
        for (JsonElement e : TestJson.resource("test-vectors-aes256.json").getAsJsonObject().getAsJsonArray("sframe_aes_256_ctr_hmac")) {
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
        for (JsonElement e : TestJson.resource("test-vectors.json").getAsJsonObject().getAsJsonArray("header")) {
            for (String f : new String[] {"kid", "ctr"}) {
                String text = e.getAsJsonObject().get(f).getAsString();
                BigInteger big = new BigInteger(text);
                assertEquals(big.toString(), Long.toUnsignedString(SFrameVectors.parseU64(text)));
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
        bad.addProperty("kid", 0);
        bad.addProperty("ctr", 0);
        bad.addProperty("encoded", "01");
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        a.add(bad);
        SFrameVectors.Report r = SFrameVectors.verify("header", TestJson.wrap(a));
        assertEquals(1, r.failed);
        assertEquals(0, r.passed);
        SFrameException ex = assertThrows(SFrameException.class, () -> SFrameVectors.verify("nope", TestJson.wrap(a)));
        assertEquals(SFrameError.UNSUPPORTED, ex.code());
    }
}
