package org.mlskit.vectors;

import org.mlskit.crypto.RandomSource;
import org.mlskit.tree.TreeMath;

import static org.mlskit.vectors.TestVectors.*;

/** tree-math.json: node count, root, and left/right/parent/sibling of every node. */
final class TreeMathVectors {
    private TreeMathVectors() {
    }

    static void check(JsonValue v, RandomSource random) {
        int n = (int) num(v, "n_leaves");
        int width = TreeMath.nodeWidth(n);
        expectEqual("n_nodes", num(v, "n_nodes"), width);
        int root = TreeMath.root(n);
        expectEqual("root", num(v, "root"), root);
        String[] fields = {"left", "right", "parent", "sibling"};
        for (String f : fields) {
            JsonValue arr = field(v, f);
            expectEqual(f + " length", width, arr.length());
            for (int x = 0; x < width; x++) {
                JsonValue want = arr.at(x);
                long expected = want == null ? -1 : want.asLong();
                expectEqual(f + "[" + x + "]", expected, relative(f, x, n, root));
            }
        }
    }

    /** The relative named {@code f}, or -1 where the RFC has none (children of a leaf, parent of the root). */
    private static int relative(String f, int x, int n, int root) {
        switch (f) {
            case "left":
                return TreeMath.isLeaf(x) ? -1 : TreeMath.left(x);
            case "right":
                return TreeMath.isLeaf(x) ? -1 : TreeMath.right(x);
            case "parent":
                return x == root ? -1 : TreeMath.parent(x, n);
            default:
                return x == root ? -1 : TreeMath.sibling(x, n);
        }
    }
}
