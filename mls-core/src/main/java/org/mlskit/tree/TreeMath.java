package org.mlskit.tree;

/**
 * Array-based tree math of RFC 9420 Appendix C. Leaves sit at even node indices, parents at odd
 * ones; a tree of n leaves (n a power of two, as RFC 9420 trees always are) has 2n - 1 nodes.
 * Everything is int arithmetic on node indices (no long: the JS target emulates 64-bit values),
 * which covers trees up to 2^30 leaves.
 */
public final class TreeMath {
    /** Largest leaf count whose node indices fit an int. */
    public static final int MAX_LEAVES = 1 << 30;

    private TreeMath() {
    }

    /** floor(log2(x)) for x > 0; 0 for x = 0 as in the RFC. */
    public static int log2(int x) {
        return x == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(x);
    }

    /** Level of a node: 0 for leaves, the number of trailing one bits otherwise. */
    public static int level(int x) {
        return Integer.numberOfTrailingZeros(~x);
    }

    public static boolean isLeaf(int x) {
        return (x & 1) == 0;
    }

    public static int nodeIndex(int leaf) {
        return leaf << 1;
    }

    public static int leafIndex(int node) {
        if (!isLeaf(node)) {
            throw new IllegalArgumentException("node " + node + " is not a leaf");
        }
        return node >>> 1;
    }

    /** Number of nodes in a tree of {@code leaves} leaves. */
    public static int nodeWidth(int leaves) {
        checkLeaves(leaves);
        return leaves == 0 ? 0 : 2 * (leaves - 1) + 1;
    }

    public static int root(int leaves) {
        if (leaves <= 0) {
            throw new IllegalArgumentException("a tree needs at least one leaf");
        }
        return (1 << log2(nodeWidth(leaves))) - 1;
    }

    public static int left(int x) {
        int k = level(x);
        if (k == 0) {
            throw new IllegalArgumentException("leaf " + x + " has no children");
        }
        return x ^ (1 << (k - 1));
    }

    public static int right(int x) {
        int k = level(x);
        if (k == 0) {
            throw new IllegalArgumentException("leaf " + x + " has no children");
        }
        return x ^ (3 << (k - 1));
    }

    public static int parent(int x, int leaves) {
        checkNode(x, leaves);
        if (x == root(leaves)) {
            throw new IllegalArgumentException("root " + x + " has no parent");
        }
        int k = level(x);
        int b = (x >>> (k + 1)) & 1;
        return (x | (1 << k)) ^ (b << (k + 1));
    }

    public static int sibling(int x, int leaves) {
        int p = parent(x, leaves);
        return x < p ? right(p) : left(p);
    }

    /** Parents of a node from just above it up to and including the root. */
    public static int[] directPath(int x, int leaves) {
        checkNode(x, leaves);
        int r = root(leaves);
        int[] path = new int[level(r) - level(x)];
        for (int i = 0; x != r; i++) {
            x = parent(x, leaves);
            path[i] = x;
        }
        return path;
    }

    /** Siblings of the node and of each node of its direct path except the root. */
    public static int[] copath(int x, int leaves) {
        checkNode(x, leaves);
        int r = root(leaves);
        int[] path = new int[level(r) - level(x)];
        for (int i = 0; x != r; i++) {
            path[i] = sibling(x, leaves);
            x = parent(x, leaves);
        }
        return path;
    }

    /** Whether the leaf with index {@code leaf} lies in the subtree under node {@code x}. */
    public static boolean isLeafUnder(int leaf, int x) {
        int k = level(x);
        int first = (x >>> (k + 1)) << k;
        return leaf >= first && leaf - first < (1 << k);
    }

    private static void checkLeaves(int leaves) {
        if (leaves < 0 || leaves > MAX_LEAVES || (leaves & (leaves - 1)) != 0) {
            throw new IllegalArgumentException("leaf count must be a power of two up to 2^30: " + leaves);
        }
    }

    private static void checkNode(int x, int leaves) {
        if (x < 0 || x >= nodeWidth(leaves)) {
            throw new IllegalArgumentException("node " + x + " is outside a tree of " + leaves + " leaves");
        }
    }
}
