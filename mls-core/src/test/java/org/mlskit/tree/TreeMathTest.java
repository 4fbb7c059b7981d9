package org.mlskit.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TreeMathTest {

    /** Structural identities over every node of a 2^20-leaf tree, and spot checks up to 2^30. */
    @Test
    void consistentForAMillionLeaves() {
        int n = 1 << 20;
        int width = TreeMath.nodeWidth(n);
        assertEquals(2 * n - 1, width);
        int root = TreeMath.root(n);
        assertEquals((1 << 20) - 1, root);
        for (int x = 0; x < width; x++) {
            if (!TreeMath.isLeaf(x)) {
                int l = TreeMath.left(x);
                int r = TreeMath.right(x);
                assertEquals(x, TreeMath.parent(l, n));
                assertEquals(x, TreeMath.parent(r, n));
                assertEquals(r, TreeMath.sibling(l, n));
                assertEquals(l, TreeMath.sibling(r, n));
                assertEquals(TreeMath.level(x) - 1, TreeMath.level(l));
            }
        }
        assertEquals(20, TreeMath.directPath(0, n).length);
        assertEquals(root, TreeMath.directPath(2 * (n - 1), n)[19]);
    }

    @Test
    void largestTree() {
        int n = TreeMath.MAX_LEAVES;
        int last = TreeMath.nodeWidth(n) - 1;
        assertEquals(Integer.MAX_VALUE - 1, last);
        int[] path = TreeMath.directPath(last, n);
        assertEquals(30, path.length);
        assertEquals(TreeMath.root(n), path[29]);
        int[] copath = TreeMath.copath(last, n);
        assertEquals(last - 2, copath[0]);
    }

    @Test
    void smallTreePathsMatchTheRfcFigure() {
        // RFC 9420 §4.1/§7.4: in an 8-leaf tree, leaf A (node 0) has direct path 1, 3, 7 and copath 2, 5, 11.
        assertArrayEquals(new int[] {1, 3, 7}, TreeMath.directPath(0, 8));
        assertArrayEquals(new int[] {2, 5, 11}, TreeMath.copath(0, 8));
        assertArrayEquals(new int[0], TreeMath.directPath(0, 1));
    }

    @Test
    void rejectsWhatIsNotATree() {
        assertThrows(IllegalArgumentException.class, () -> TreeMath.nodeWidth(3));
        assertThrows(IllegalArgumentException.class, () -> TreeMath.parent(7, 8));
        assertThrows(IllegalArgumentException.class, () -> TreeMath.left(4));
        assertThrows(IllegalArgumentException.class, () -> TreeMath.parent(15, 8));
    }
}
