package org.mlskit.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mlskit.crypto.SecureRandomSource;

/**
 * The tree benchmark scenario builds, its operations run (the build itself checks that the
 * receiver derives the committer's commit secret), and each performs exactly the public-key
 * operations TreeKEM calls for: with L = ceil(log2 n) nodes on the filtered direct path, a
 * committer derives L node key pairs and one leaf key pair, signs its leaf once and seals once per
 * copath resolution node (L when every member has updated, n - 1 in a tree of adds); a receiver
 * opens once, derives the L key pairs from its node up (its sibling: all L) and verifies the leaf.
 */
class TreeBenchTest {

    private static void check(String shape, int n) {
        TreeBench b = TreeBench.build(shape, n, new SecureRandomSource());
        int levels = 32 - Integer.numberOfLeadingZeros(n - 1);
        int seals = TreeBench.UPDATED.equals(shape) ? levels : n - 1;
        assertEquals("seal=0 open=0 derive=0 sign=0 verify=0", b.countOperations(TreeBench.TREE_HASH));
        for (int i = 0; i < 2; i++) { // repeatable: the operations are steady-state
            assertEquals("seal=" + seals + " open=0 derive=" + (levels + 1) + " sign=1 verify=0",
                    b.countOperations(TreeBench.CREATE_PATH), shape + " " + n);
            assertEquals("seal=0 open=1 derive=" + levels + " sign=0 verify=1", b.countOperations(TreeBench.PROCESS_PATH),
                    shape + " " + n);
        }
    }

    @Test
    void updatedTrees() {
        check(TreeBench.UPDATED, 2);
        check(TreeBench.UPDATED, 10);
        check(TreeBench.UPDATED, 100);
        check(TreeBench.UPDATED, 1000);
    }

    @Test
    void treesOfAdds() {
        check(TreeBench.ADDS, 2);
        check(TreeBench.ADDS, 10);
        check(TreeBench.ADDS, 100);
    }
}
