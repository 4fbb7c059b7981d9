package org.mlskit.vectors;

import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.RandomSource;

/**
 * Verifies files in the MLS working group's test-vector formats (test-vectors.md). Every entry
 * is checked; one that throws or mismatches is a failure with its reason, never a skip.
 */
public final class TestVectors {
    /** The file types this build verifies, by the official files' base names. */
    public static final String[] TYPES = {"tree-math", "crypto-basics", "deserialization", "secret-tree", "key-schedule",
        "psk_secret", "messages", "transcript-hashes", "tree-validation", "tree-operations",
        "treekem", "welcome",
        "message-protection", "passive-client-welcome", "passive-client-handling-commit", "passive-client-random"};

    private TestVectors() {
    }

    /** A check of one entry of a vector file: returns normally when it holds, throws when it does not. */
    interface EntryCheck {
        void check(JsonValue entry, RandomSource random);
    }

    public static VectorReport verify(String type, JsonValue entries, RandomSource random) {
        EntryCheck check = checkFor(type);
        VectorReport report = new VectorReport(type);
        for (int i = 0; i < entries.length(); i++) {
            JsonValue entry = entries.at(i);
            JsonValue suiteField = entry.get("cipher_suite");
            int suite = suiteField == null ? 0 : (int) suiteField.asLong();
            try {
                check.check(entry, random);
                report.pass(suite);
            } catch (RuntimeException e) {
                report.fail(suite, i, String.valueOf(e.getMessage()));
            }
        }
        return report;
    }

    private static EntryCheck checkFor(String type) {
        switch (type) {
            case "tree-math":
                return TreeMathVectors::check;
            case "crypto-basics":
                return CryptoBasicsVectors::check;
            case "deserialization":
                return DeserializationVectors::check;
            case "secret-tree":
                return SecretTreeVectors::check;
            case "key-schedule":
                return KeyScheduleVectors::check;
            case "psk_secret":
                return PskSecretVectors::check;
            case "messages":
                return MessagesVectors::check;
            case "transcript-hashes":
                return TranscriptHashVectors::check;
            case "tree-validation":
                return TreeValidationVectors::check;
            case "tree-operations":
                return TreeOperationsVectors::check;
            case "treekem":
                return TreeKemVectors::check;
            case "welcome":
                return WelcomeVectors::check;
            case "message-protection":
                return MessageProtectionVectors::check;
            case "passive-client-welcome":
            case "passive-client-handling-commit":
            case "passive-client-random":
                return PassiveClientVectors::check;
            default:
                throw new MlsException(ErrorCode.UNSUPPORTED, "unknown test-vector type '" + type + "'; known: "
                        + String.join(", ", TYPES));
        }
    }

    static byte[] hex(JsonValue obj, String key) {
        return Hex.decode(str(obj, key));
    }

    static String str(JsonValue obj, String key) {
        return field(obj, key).asString();
    }

    static long num(JsonValue obj, String key) {
        return field(obj, key).asLong();
    }

    static JsonValue field(JsonValue obj, String key) {
        JsonValue v = obj.get(key);
        if (v == null) {
            throw new VectorMismatch("missing field '" + key + "'");
        }
        return v;
    }

    static void expectEqual(String what, byte[] expected, byte[] actual) {
        if (!Arrays.areEqual(expected, actual)) {
            throw new VectorMismatch(what + ": expected " + Hex.toHexString(expected) + ", got " + Hex.toHexString(actual));
        }
    }

    static void expectEqual(String what, long expected, long actual) {
        if (expected != actual) {
            throw new VectorMismatch(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void expect(String what, boolean ok) {
        if (!ok) {
            throw new VectorMismatch(what);
        }
    }
}
