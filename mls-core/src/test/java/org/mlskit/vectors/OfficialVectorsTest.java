package org.mlskit.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlskit.crypto.SecureRandomSource;

/** The official MLS vectors, every entry and every cipher suite, on the JVM. */
class OfficialVectorsTest {

    private static VectorReport run(String type) {
        JsonValue file = GsonJson.resource("vectors/mls/" + type + ".json");
        VectorReport r = TestVectors.verify(type, file, new SecureRandomSource());
        System.out.println(r.summary());
        assertEquals(0, r.failed(), r.summary());
        assertEquals(file.length(), r.passed(), "every entry must be checked");
        return r;
    }

    @Test
    void treeMath() {
        assertEquals(10, run("tree-math").passed());
    }

    @Test
    void deserialization() {
        assertEquals(14, run("deserialization").passed());
    }

    @Test
    void cryptoBasicsEverySuite() {
        everySuite(run("crypto-basics"));
    }

    @Test
    void secretTree() {
        everySuite(run("secret-tree"));
    }

    @Test
    void keySchedule() {
        everySuite(run("key-schedule"));
    }

    @Test
    void pskSecret() {
        everySuite(run("psk_secret"));
    }

    @Test
    void messages() {
        VectorReport r = run("messages");
        assertTrue(r.passed() >= 1);
    }

    @Test
    void transcriptHashes() {
        everySuite(run("transcript-hashes"));
    }

    @Test
    void treeValidation() {
        everySuite(run("tree-validation"));
    }

    @Test
    void treeOperations() {
        assertTrue(run("tree-operations").passed() >= 1);
    }

    @Test
    void treeKem() {
        everySuite(run("treekem"));
    }

    @Test
    void welcome() {
        everySuite(run("welcome"));
    }

    @Test
    void messageProtection() {
        everySuite(run("message-protection"));
    }

    private static void everySuite(VectorReport r) {
        for (int suite = 1; suite <= 7; suite++) {
            assertTrue(r.passed(suite) >= 1, "suite " + suite + " has no passing entry");
        }
    }

    @Test
    void aVectorThatIsWrongFails() {
        // The harness must be able to fail: flip one expected byte and the entry is reported.
        com.google.gson.JsonArray arr = com.google.gson.JsonParser.parseString(
                "[{\"vlbytes_header\":\"4040\",\"length\":65}]").getAsJsonArray();
        VectorReport r = TestVectors.verify("deserialization", GsonJson.wrap(arr), new SecureRandomSource());
        assertEquals(1, r.failed());
        assertEquals(0, r.passed());
    }
}
