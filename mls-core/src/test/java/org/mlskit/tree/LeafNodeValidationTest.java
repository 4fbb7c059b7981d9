package org.mlskit.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.LeafNode;
import org.mlskit.keys.Lifetime;
import org.mlskit.keys.RequiredCapabilities;
import org.mlskit.tree.LeafNodeValidation.Origin;

class LeafNodeValidationTest {
    private static final CipherSuite CS = CipherSuite.of(1);
    private static final SecureRandomSource RANDOM = new SecureRandomSource();
    private static final byte[] GROUP = "group".getBytes(StandardCharsets.UTF_8);

    private static LeafNode leaf(KeyPair sig, int source, int[] suites, List<Extension> ext, int[] extCaps, long notAfter) {
        Capabilities caps = new Capabilities(new int[] {1}, suites, extCaps, new int[0], new int[] {1});
        LeafNode unsigned = new LeafNode(CS.hpke().generateKeyPair(RANDOM).publicKey(), sig.publicKey(),
                Credential.basic("alice".getBytes(StandardCharsets.UTF_8)), caps, source,
                source == LeafNode.SOURCE_KEY_PACKAGE ? new Lifetime(0, notAfter) : null,
                source == LeafNode.SOURCE_COMMIT ? new byte[0] : null, ext, new byte[0]);
        return unsigned.withSignature(CS.signWithLabel(sig.privateKey(), "LeafNodeTBS", unsigned.toBeSigned(GROUP, 0)));
    }

    private static LeafNode good(KeyPair sig) {
        return leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {1}, Collections.emptyList(), new int[0], Long.MAX_VALUE);
    }

    private static void rejected(ErrorCode code, Runnable r) {
        MlsException e = assertThrows(MlsException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void everyLeafOfTheOfficialTreesIsValid() {
        for (int i = 0; i < OfficialTrees.count(); i++) {
            CipherSuite cs = OfficialTrees.suite(i);
            RatchetTree t = OfficialTrees.tree(i);
            byte[] group = OfficialTrees.groupId(i);
            for (int l = 0; l < t.leafCount(); l++) {
                if (t.leaf(l) != null) {
                    LeafNodeValidation.validate(cs, t.leaf(l), Origin.TREE, group, l, t, null, -1);
                }
            }
        }
    }

    @Test
    void aKeyPackageLeafPasses() {
        LeafNodeValidation.validate(CS, good(CS.signatureScheme().generateKeyPair(RANDOM)), Origin.KEY_PACKAGE, GROUP, 0, null,
                null, 1_700_000_000L);
    }

    /**
     * Capabilities that omit the group's cipher suite (as a deployed implementation's suite-7
     * KeyPackages do) are accepted: RFC 9420 §7.3 does not require it, and the KeyPackage's own
     * cipher_suite field commits to the suite. GREASE and unknown values anywhere are ignored.
     */
    @Test
    void capabilitiesNeedNotListTheSuiteAndMayCarryGrease() {
        KeyPair sig = CS.signatureScheme().generateKeyPair(RANDOM);
        LeafNode otherSuite = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {2, 0x1a1a}, Collections.emptyList(),
                new int[] {0x2a2a}, Long.MAX_VALUE);
        LeafNodeValidation.validate(CS, otherSuite, Origin.KEY_PACKAGE, GROUP, 0, null, null, -1);
        LeafNode noSuites = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[0], Collections.emptyList(), new int[0],
                Long.MAX_VALUE);
        LeafNodeValidation.validate(CS, noSuites, Origin.KEY_PACKAGE, GROUP, 0, null, null, -1);
        // A GREASE extension in the leaf, listed in its capabilities as §13.5 asks, passes too.
        LeafNode grease = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {1},
                Collections.singletonList(new Extension(0x3a3a, new byte[] {1, 2, 3})), new int[] {0x3a3a}, Long.MAX_VALUE);
        LeafNodeValidation.validate(CS, grease, Origin.KEY_PACKAGE, GROUP, 0, null, null, -1);
    }

    @Test
    void eachRuleIsEnforced() {
        KeyPair sig = CS.signatureScheme().generateKeyPair(RANDOM);
        LeafNode ok = good(sig);
        // Wrong source for where it appears.
        rejected(ErrorCode.INVALID_LEAF_NODE,
                () -> LeafNodeValidation.validate(CS, ok, Origin.UPDATE, GROUP, 0, null, null, -1));
        // A forged signature.
        rejected(ErrorCode.INVALID_SIGNATURE, () -> LeafNodeValidation.validate(CS, ok.withSignature(new byte[64]),
                Origin.KEY_PACKAGE, GROUP, 0, null, null, -1));
        // An extension the capabilities do not list (only GREASE there does not help).
        LeafNode greaseOnly = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {1},
                Collections.singletonList(new Extension(0xff01, new byte[0])), new int[] {0x0a0a}, Long.MAX_VALUE);
        rejected(ErrorCode.INVALID_LEAF_NODE,
                () -> LeafNodeValidation.validate(CS, greaseOnly, Origin.KEY_PACKAGE, GROUP, 0, null, null, -1));
        // An extension the capabilities do not list.
        LeafNode ext = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {1},
                Collections.singletonList(new Extension(0xff01, new byte[0])), new int[0], Long.MAX_VALUE);
        rejected(ErrorCode.INVALID_LEAF_NODE,
                () -> LeafNodeValidation.validate(CS, ext, Origin.KEY_PACKAGE, GROUP, 0, null, null, -1));
        // A required extension the leaf does not support.
        RequiredCapabilities req = new RequiredCapabilities(new int[] {0xff02}, new int[0], new int[0]);
        rejected(ErrorCode.INVALID_LEAF_NODE,
                () -> LeafNodeValidation.validate(CS, ok, Origin.KEY_PACKAGE, GROUP, 0, null, req, -1));
        // Expired.
        LeafNode old = leaf(sig, LeafNode.SOURCE_KEY_PACKAGE, new int[] {1}, Collections.emptyList(), new int[0], 1000);
        rejected(ErrorCode.EXPIRED, () -> LeafNodeValidation.validate(CS, old, Origin.KEY_PACKAGE, GROUP, 0, null, null, 2000));
        // A signature key another member already uses.
        RatchetTree tree = RatchetTree.single(CS, good(sig));
        rejected(ErrorCode.INVALID_LEAF_NODE,
                () -> LeafNodeValidation.validate(CS, ok, Origin.KEY_PACKAGE, GROUP, 1, tree, null, -1));
    }
}
