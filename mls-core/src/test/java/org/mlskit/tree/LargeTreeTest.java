package org.mlskit.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.vectors.LargeTree;

/** A 50,000-member tree encodes, decodes, hashes and validates in full (signatures too) without a stack overflow. */
class LargeTreeTest {
    @Test
    void fiftyThousandSignedMembers() {
        CipherSuite cs = CipherSuite.of(1);
        RatchetTree tree = LargeTree.build(cs, 50_000, new SecureRandomSource(), true);
        assertEquals(65_536, tree.leafCount());
        assertEquals(50_000, tree.leftmostBlankLeaf(), "members fill leaves 0..49,999");
        int bytes = LargeTree.check(tree, true);
        assertTrue(bytes > 50_000 * 100, "encoding of " + bytes + " bytes");
        // The committer's path is populated and carries the 16 later adds as unmerged leaves.
        ParentNode root = tree.parent(TreeMath.root(tree.leafCount()));
        assertEquals(16, root.unmergedLeaves.length);
    }
}
