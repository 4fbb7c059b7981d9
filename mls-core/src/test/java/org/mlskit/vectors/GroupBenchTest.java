package org.mlskit.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlskit.crypto.SecureRandomSource;

/** The benchmark scenario works, and every operation leaves the group able to repeat it. */
class GroupBenchTest {
    @Test
    void everyOperationRunsTwice() {
        GroupBench b = GroupBench.build(1, 10, new SecureRandomSource());
        for (int round = 0; round < 2; round++) {
            assertEquals(2, b.run(GroupBench.COMMIT_PROCESS), "processing the update commit leads to epoch 2");
            assertEquals(10, b.run(GroupBench.JOIN), "the joiner takes the first free leaf");
            assertEquals(1024, b.run(GroupBench.ROUND_TRIP));
            for (String op : new String[] {GroupBench.COMMIT_CREATE, GroupBench.ADD, GroupBench.REMOVE, GroupBench.ENCRYPT}) {
                assertTrue(b.run(op) > 0, op);
            }
        }
        assertTrue(b.sizes().contains("welcome="), b.sizes());
    }
}
