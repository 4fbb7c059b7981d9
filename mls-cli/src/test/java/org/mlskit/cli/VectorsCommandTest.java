package org.mlskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code bin/mlskit vectors verify}: exit statuses, messages, failures. */
class VectorsCommandTest {
    private static final Path TREE_MATH = CliRun.officialDir().resolve("tree-math.json");

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A one-line message on stderr, nothing on stdout. */
    private static void rejected(int status, String message, CliRun r) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("mlskit: ") && r.err().contains(message), r.toString());
    }

    private static void badFile(String message, CliRun r) {
        rejected(Main.BAD_FILE, message, r);
        assertEquals(1, r.err().split("\\R").length, "one line: " + r);
    }

    @Test
    void anOfficialFilePassesWithTheTypeInEitherForm() {
        CliRun spaced = CliRun.verify("tree-math", TREE_MATH);
        CliRun joined = CliRun.of("vectors", "verify", TREE_MATH.toString(), "--type=tree-math");
        for (CliRun r : new CliRun[] {spaced, joined}) {
            assertEquals(Main.OK, r.status(), r.toString());
            assertEquals("tree-math all suites: 10 passed, 0 failed", r.outLines()[0], r.toString());
            assertEquals("10 passed, 0 failed", r.lastLine(), r.toString());
        }
    }

    @Test
    void aCorruptedEntryFailsWithItsIndexAndReason() throws IOException {
        JsonArray entries;
        try (Reader in = Files.newBufferedReader(CliRun.officialDir().resolve("transcript-hashes.json"))) {
            entries = JsonParser.parseReader(in).getAsJsonArray();
        }
        // Flip one hex digit of the expected confirmed transcript hash of entry 2.
        JsonObject entry = entries.get(2).getAsJsonObject();
        String hash = entry.get("confirmed_transcript_hash_after").getAsString();
        entry.addProperty("confirmed_transcript_hash_after", (hash.charAt(0) == '0' ? '1' : '0') + hash.substring(1));
        int suite = entry.get("cipher_suite").getAsInt();
        Path file = write("transcript-hashes.json", entries.toString());

        CliRun r = CliRun.verify("transcript-hashes", file);
        assertEquals(Main.FAILED, r.status(), r.toString());
        assertEquals((entries.size() - 1) + " passed, 1 failed", r.lastLine(), r.toString());
        assertTrue(r.out().contains("transcript-hashes suite " + suite + ": 0 passed, 1 failed\n"), r.toString());
        assertTrue(r.out().contains("FAILED transcript-hashes entry 2 (suite " + suite + "): "), r.toString());
    }

    @Test
    void aFileOfAnotherFormatFailsEveryEntry() {
        // The type is passed through as given: tree-math entries are not deserialization vectors.
        CliRun r = CliRun.verify("deserialization", TREE_MATH);
        assertEquals(Main.FAILED, r.status(), r.toString());
        assertEquals("0 passed, 10 failed", r.lastLine(), r.toString());
    }

    @Test
    void anUnknownTypeIsAUsageError() {
        CliRun r = CliRun.verify("tree-maths", TREE_MATH);
        rejected(Main.USAGE, "unknown test-vector type 'tree-maths'", r);
        assertTrue(r.err().contains("tree-math"), "lists the known types: " + r);
    }

    @Test
    void aBadCommandLineIsAUsageError() {
        rejected(Main.USAGE, "unknown command", CliRun.of());
        rejected(Main.USAGE, "unknown command 'vector'", CliRun.of("vector", "verify"));
        rejected(Main.USAGE, "missing subcommand", CliRun.of("vectors"));
        rejected(Main.USAGE, "unknown subcommand 'check'", CliRun.of("vectors", "check"));
        rejected(Main.USAGE, "missing --type", CliRun.of("vectors", "verify", TREE_MATH.toString()));
        rejected(Main.USAGE, "--type needs a value", CliRun.of("vectors", "verify", TREE_MATH.toString(), "--type"));
        rejected(Main.USAGE, "missing FILE", CliRun.of("vectors", "verify", "--type", "tree-math"));
        rejected(Main.USAGE, "one FILE only", CliRun.of("vectors", "verify", "--type", "tree-math", "a.json", "b.json"));
        rejected(Main.USAGE, "--type given twice", CliRun.of("vectors", "verify", "--type=tree-math", "--type=treekem", "a.json"));
        rejected(Main.USAGE, "unknown option '--typ'", CliRun.of("vectors", "verify", "--typ", "tree-math", "a.json"));
    }

    @Test
    void helpGoesToStdout() {
        CliRun r = CliRun.of("vectors", "verify", "--help");
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().startsWith("usage: bin/mlskit vectors verify --type TYPE FILE"), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void aMissingFileIsReported() {
        badFile("no such file", CliRun.verify("tree-math", tmp.resolve("absent.json")));
    }

    @Test
    void aDirectoryIsReported() {
        badFile("cannot read it", CliRun.verify("tree-math", tmp));
    }

    @Test
    void invalidJsonIsReported() throws IOException {
        badFile("not valid JSON", CliRun.verify("tree-math", write("cut.json", "[{\"n_leaves\": 1")));
        badFile("not valid JSON", CliRun.verify("tree-math", write("two.json", "[] []")));
        badFile("not valid JSON", CliRun.verify("tree-math", write("lenient.json", "[{n_leaves: 1}]")));
        badFile("not UTF-8", CliRun.verify("tree-math", Files.write(tmp.resolve("latin1.json"), new byte[] {'[', '"', (byte) 0xe9, '"', ']'})));
    }

    @Test
    void jsonThatIsNotAnArrayOfObjectsIsReported() throws IOException {
        badFile("expected a JSON array of test vectors, got an object",
                CliRun.verify("tree-math", write("object.json", "{\"n_leaves\": 1}")));
        badFile("expected a JSON array of test vectors, got null or nothing", CliRun.verify("tree-math", write("empty.json", "")));
        badFile("entry 1 is not a JSON object", CliRun.verify("tree-math", write("numbers.json", "[{}, 2]")));
        badFile("malformed test vectors", CliRun.verify("treekem", write("suite.json", "[{\"cipher_suite\": \"one\"}]")));
    }

    @Test
    void anEmptyArrayVerifiesNothingAndIsNotASuccess() throws IOException {
        CliRun r = CliRun.verify("tree-math", write("none.json", "[]"));
        assertEquals(Main.FAILED, r.status(), r.toString());
        assertEquals("0 passed, 0 failed", r.lastLine(), r.toString());
        assertTrue(r.err().contains("has no entries"), r.toString());
    }

    @Test
    void anEntryWithAMissingFieldFailsAlone() throws IOException {
        String one = "{\"n_leaves\": 1, \"n_nodes\": 1, \"root\": 0, \"left\": [null], \"right\": [null], "
                + "\"parent\": [null], \"sibling\": [null]}";
        CliRun r = CliRun.verify("tree-math", write("two.json", "[" + one + ", {\"n_leaves\": 1}]"));
        assertEquals(Main.FAILED, r.status(), r.toString());
        assertEquals("1 passed, 1 failed", r.lastLine(), r.toString());
        assertTrue(r.out().contains("FAILED tree-math entry 1: "), r.toString());
    }
}
