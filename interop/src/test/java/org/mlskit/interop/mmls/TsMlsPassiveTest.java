package org.mlskit.interop.mmls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.framing.WireFormat;
import org.mlskit.vectors.TestVectors;
import org.mlskit.vectors.VectorReport;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Issue 17's interop proof: a Multi-MLS send group's messages (Alice's, with Bob's Update committed
 * by reference, exporter-PSK imports, an Add and a Remove) are processed by ts-mls, an independent
 * RFC 9420 implementation, as a passive member (Carol); and ts-mls refuses the same transcript with
 * one byte of a commit, or of an imported PSK, changed. docs/multi-mls.md, "Standards check".
 */
class TsMlsPassiveTest {
    private static TsMls tsMls;
    private static final Map<String, JsonObject> TRANSCRIPTS = new HashMap<>();

    @BeforeAll
    static void install() throws Exception {
        tsMls = TsMls.prepare();
    }

    private static synchronized JsonObject transcript(int suite, boolean publicHandshakes) {
        int wf = publicHandshakes ? WireFormat.PUBLIC_MESSAGE : WireFormat.PRIVATE_MESSAGE;
        return TRANSCRIPTS.computeIfAbsent(suite + "/" + wf,
                k -> SendGroupTranscript.generate(CipherSuite.of(suite), wf, new SecureRandomSource()));
    }

    private static JsonObject transcript(int suite) {
        return transcript(suite, false);
    }

    @ParameterizedTest(name = "cipher suite {0}, PublicMessage handshakes: {1}")
    @CsvSource({"1, false", "2, false", "3, false", "1, true"})
    void tsMlsFollowsTheSendGroup(int suite, boolean publicHandshakes) throws Exception {
        JsonObject t = transcript(suite, publicHandshakes);
        // The transcript is in the passive-client vector format: mlskit's own checker of the official
        // vectors follows it first (its commits and authenticators; it ignores the extra fields).
        JsonArray one = new JsonArray();
        one.add(t);
        VectorReport own = TestVectors.verify("passive-client-random", GsonView.of(one), new SecureRandomSource());
        assertEquals(1, own.passed(), own.summary() + " " + own.failures());

        TsMls.Result r = tsMls.passive(t, "suite-" + suite + (publicHandshakes ? "-public" : ""));
        JsonObject s = r.summary();
        assertNotNull(s, r.toString());
        assertTrue(s.get("ok").getAsBoolean(), r.toString());
        assertEquals(0, r.exit, r.toString());

        JsonArray epochs = t.getAsJsonArray("epochs");
        int proposals = 0;
        int apps = t.getAsJsonArray("initial_application_messages").size();
        for (JsonElement e : epochs) {
            proposals += e.getAsJsonObject().getAsJsonArray("proposals").size();
            apps += e.getAsJsonObject().getAsJsonArray("application_messages").size();
        }
        assertEquals(suite, s.get("suite").getAsInt());
        assertEquals(epochs.size(), s.get("epochs").getAsInt(), "every commit");
        assertEquals(proposals, s.get("proposals").getAsInt(), "every bundled proposal");
        assertEquals(apps, s.get("applicationMessages").getAsInt(), "every application message");
        assertEquals(t.getAsJsonArray("external_psks").size(), s.get("externalPsks").getAsInt(), "every exporter PSK");
        // The scenario's shape, as ts-mls saw it: Bob's two Updates (by reference), imports, one Add, one Remove.
        JsonObject committed = s.getAsJsonObject("committed");
        assertEquals(2, committed.get("update").getAsInt(), r.toString());
        assertEquals(proposals, committed.get("update").getAsInt(), "the bundled proposals are the Updates");
        assertTrue(committed.get("psk").getAsInt() >= 3, r.toString());
        assertEquals(committed.get("psk").getAsInt(), s.get("externalPsks").getAsInt());
        assertEquals(1, committed.get("add").getAsInt(), r.toString());
        assertEquals(1, committed.get("remove").getAsInt(), r.toString());
        assertEquals(0, committed.get("other").getAsInt(), r.toString());
        assertEquals(8, apps);
        assertEquals(publicHandshakes ? epochs.size() + proposals : 0, s.get("publicHandshakes").getAsInt(), r.toString());
    }

    /** The first commit that includes a member's Update by reference and imports exporter PSKs. */
    private static int interestingEpoch(JsonObject t) {
        JsonArray epochs = t.getAsJsonArray("epochs");
        for (int i = 0; i < epochs.size(); i++) {
            JsonObject e = epochs.get(i).getAsJsonObject();
            if (e.getAsJsonArray("proposals").size() > 0 && e.getAsJsonArray("external_psks").size() > 0) {
                return i;
            }
        }
        throw new AssertionError("no commit with an Update and an import");
    }

    private static String flipLastByte(String hex) {
        byte[] b = Hex.decode(hex);
        b[b.length - 1] ^= 0x01;
        return Hex.toHexString(b);
    }

    private static void assertRefusedAt(TsMls.Result r, String where) {
        JsonObject s = r.summary();
        assertNotNull(s, r.toString());
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(!s.get("ok").getAsBoolean() && s.get("error").getAsString().startsWith(where), r.toString());
    }

    @Test
    void tsMlsRefusesACommitWithOneByteChanged() throws Exception {
        JsonObject t = transcript(1).deepCopy();
        int k = interestingEpoch(t);
        JsonObject e = t.getAsJsonArray("epochs").get(k).getAsJsonObject();
        e.addProperty("commit", flipLastByte(e.get("commit").getAsString()));
        assertRefusedAt(tsMls.passive(t, "tampered-commit"), "epoch " + k + " commit");
    }

    @Test
    void tsMlsNeedsTheExporterPsksTheCommitImports() throws Exception {
        JsonObject t = transcript(1).deepCopy();
        int k = interestingEpoch(t);
        JsonObject psk = t.getAsJsonArray("epochs").get(k).getAsJsonObject().getAsJsonArray("external_psks").get(0)
                .getAsJsonObject();
        psk.addProperty("psk", flipLastByte(psk.get("psk").getAsString()));
        assertRefusedAt(tsMls.passive(t, "wrong-psk"), "epoch " + k + " commit");
    }

    @Test
    void theScriptChecksEveryAuthenticatorAndPlaintext() throws Exception {
        JsonObject t = transcript(1).deepCopy();
        JsonArray epochs = t.getAsJsonArray("epochs");
        int last = epochs.size() - 1;
        JsonObject e = epochs.get(last).getAsJsonObject();
        e.addProperty("epoch_authenticator", flipLastByte(e.get("epoch_authenticator").getAsString()));
        assertRefusedAt(tsMls.passive(t, "wrong-authenticator"), "epoch " + last + " commit: epoch authenticator");

        t = transcript(1).deepCopy();
        JsonObject m = t.getAsJsonArray("epochs").get(last).getAsJsonObject().getAsJsonArray("application_messages").get(0)
                .getAsJsonObject();
        m.addProperty("plaintext", flipLastByte(m.get("plaintext").getAsString()));
        assertRefusedAt(tsMls.passive(t, "wrong-plaintext"), "epoch " + last + " application message 0: plaintext");
    }
}
