package org.mlskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mlskit.vectors.TestVectors;

/**
 * Every official MLS vector file, every entry and every cipher suite, through the same code path
 * as {@code bin/mlskit vectors verify}: the file's base name is its type.
 */
class OfficialVectorsTest {
    /** Types whose official file covers all seven cipher suites of RFC 9420. */
    private static final Set<String> EVERY_SUITE = Set.of("crypto-basics", "secret-tree", "key-schedule", "psk_secret",
            "transcript-hashes", "tree-validation", "treekem", "welcome", "message-protection");

    private static List<Path> officialFiles() throws IOException {
        try (Stream<Path> files = Files.list(CliRun.officialDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    private static String typeOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    private static JsonArray entries(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in).getAsJsonArray();
        }
    }

    @Test
    void theOfficialFilesAreThereAndEachHasAType() throws IOException {
        List<Path> files = officialFiles();
        assertTrue(files.size() >= 13, "official vector files in " + CliRun.officialDir() + ": " + files);
        for (Path f : files) {
            assertTrue(Arrays.asList(TestVectors.TYPES).contains(typeOf(f)), f + " has no type in TestVectors.TYPES");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOfficialFilePassesInFull() throws IOException {
        return officialFiles().stream().map(f -> DynamicTest.dynamicTest(typeOf(f), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String type = typeOf(file);
        JsonArray entries = entries(file);
        Map<Integer, Integer> perSuite = new TreeMap<>();
        for (JsonElement e : entries) {
            JsonElement suite = e.getAsJsonObject().get("cipher_suite");
            perSuite.merge(suite == null ? 0 : suite.getAsInt(), 1, Integer::sum);
        }

        CliRun r = CliRun.verify(type, file);
        System.out.println(r.out());
        assertEquals(Main.OK, r.status(), r.toString());
        assertEquals("", r.err(), r.toString());
        assertEquals(entries.size() + " passed, 0 failed", r.lastLine(), "every entry must be checked and pass");

        // One count line per suite present in the file, with that suite's number of entries.
        Set<String> expected = new TreeSet<>();
        perSuite.forEach((suite, n) -> expected.add(
                type + " " + (suite == 0 ? "all suites" : "suite " + suite) + ": " + n + " passed, 0 failed"));
        String[] lines = r.outLines();
        Set<String> counted = new TreeSet<>(Arrays.asList(lines).subList(0, lines.length - 1));
        assertEquals(expected, counted, r.toString());

        if (EVERY_SUITE.contains(type)) {
            for (int suite = 1; suite <= 7; suite++) {
                assertTrue(perSuite.containsKey(suite), type + ": suite " + suite + " has no entry");
            }
        }
    }
}
