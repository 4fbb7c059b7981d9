package org.mlskit.interop.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

/** The runner's parsing and matrix, without servers. */
class RunnerPartsTest {

    @Test
    void everyAssignmentOfClientsToActors() {
        List<int[]> all = TestRunner.assignments(2, 3, false, new Random(1));
        assertEquals(8, all.size());
        Set<String> distinct = new HashSet<>();
        for (int[] a : all) {
            distinct.add(java.util.Arrays.toString(a));
        }
        assertEquals(8, distinct.size());
        assertArrayEquals(new int[] {0, 0, 0}, all.get(0));
        assertArrayEquals(new int[] {1, 1, 1}, all.get(7));
        assertEquals(1, TestRunner.assignments(3, 5, true, new Random(1)).size());
    }

    @Test
    void keysMatchWhateverTheirSpelling() {
        Step s = new Step(JsonParser.parseString("{\"action\": \"branch\", \"actor\": \"alice\", \"forcePath\": true,"
                + " \"external_tree\": true, \"changeCiphersuite\": true}").getAsJsonObject());
        assertTrue(s.flag("force_path"));
        assertTrue(s.flag("externalTree"));
        assertTrue(s.flag("changeCipherSuite"));
        assertEquals("alice", s.actor);
    }

    @Test
    void everyBuiltInConfigLoadsWithItsActors() throws IOException {
        int scripts = 0;
        for (String name : TestRunner.BUILT_IN) {
            Map<String, List<Step>> config = TestRunner.load(name);
            assertTrue(!config.isEmpty(), name);
            for (List<Step> script : config.values()) {
                List<String> actors = new ArrayList<>();
                for (Step step : script) {
                    step.actors(actors);
                }
                assertTrue(!actors.isEmpty(), name);
                scripts++;
            }
        }
        assertEquals(40, scripts);
        List<String> actors = new ArrayList<>();
        for (Step step : TestRunner.load("external_proposals").get("external_add")) {
            step.actors(actors);
        }
        assertEquals(List.of("alice", "bob", "ds", "charlie"), actors);
    }
}
