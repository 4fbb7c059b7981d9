package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.crypto.SecureRandomSource;

/** The benchmark scenario works, and every operation leaves the group able to repeat it. */
class GroupBenchTest {
    @ParameterizedTest
    @ValueSource(strings = {GroupBench.ADDS, GroupBench.UPDATED})
    void everyOperationRunsTwice(String shape) {
        GroupBench b = GroupBench.build(shape, 1, 10, new SecureRandomSource());
        for (int round = 0; round < 2; round++) {
            assertEquals(b.epoch() + 1, b.run(GroupBench.COMMIT_PROCESS), "processing the update commit leads to the next epoch");
            assertEquals(10, b.run(GroupBench.JOIN), "the joiner takes the first free leaf");
            assertEquals(1024, b.run(GroupBench.ROUND_TRIP));
            for (String op : new String[] {GroupBench.COMMIT_CREATE, GroupBench.ADD, GroupBench.REMOVE, GroupBench.ENCRYPT}) {
                assertTrue(b.run(op) > 0, op);
            }
        }
        assertTrue(b.sizes().contains("welcome="), b.sizes());
        // Updated: leaves 0, 2, 4, 6, 8 committed after the build, so every parent node is populated.
        assertEquals(GroupBench.UPDATED.equals(shape) ? 6 : 1, b.epoch());
        assertEquals(GroupBench.UPDATED.equals(shape), b.everyParentPopulated());
    }
}
