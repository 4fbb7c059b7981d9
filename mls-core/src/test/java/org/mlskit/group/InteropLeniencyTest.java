package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.assertFails;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.identity;
import static org.mlskit.group.GroupFixture.keyPackage;
import static org.mlskit.group.GroupFixture.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.keys.LeafNode;

/**
 * What deployed implementations send that RFC 9420 does not quite ask for, and what mlskit accepts
 * of it (docs/validation.md): capabilities that omit the KeyPackage's own cipher suite, and ECDSA
 * signature keys as compressed points.
 */
class InteropLeniencyTest {

    /** The same KeyPackage re-made by its owner with another signature key encoding and/or capabilities. */
    static KeyPackageBundle remade(Identity owner, KeyPackageBundle b, byte[] signatureKey, Capabilities caps) {
        KeyPackage kp = b.keyPackage();
        LeafNode l = kp.leafNode;
        LeafNode unsigned = new LeafNode(l.encryptionKey, signatureKey, l.credential, caps, l.source, l.lifetime, null,
                l.extensions, new byte[0]);
        LeafNode leaf = unsigned.withSignature(owner.sign("LeafNodeTBS", unsigned.toBeSigned(new byte[0], 0)));
        KeyPackage unsignedKp = new KeyPackage(kp.version, kp.cipherSuite, kp.initKey, leaf, kp.extensions, new byte[0]);
        KeyPackage signed = new KeyPackage(kp.version, kp.cipherSuite, kp.initKey, leaf, kp.extensions,
                owner.sign("KeyPackageTBS", unsignedKp.toBeSigned()));
        return new KeyPackageBundle(signed, b.initPrivateKey(), b.encryptionPrivateKey());
    }

    /** SEC1 compression of an uncompressed point 04 || X || Y. */
    static byte[] compressed(byte[] uncompressed) {
        int f = (uncompressed.length - 1) / 2;
        byte[] out = Arrays.copyOfRange(uncompressed, 0, 1 + f);
        out[0] = (byte) (2 | (uncompressed[uncompressed.length - 1] & 1));
        return out;
    }

    /** Two members in {@code cs}: m0 made the group and added {@code joiner} by Welcome. */
    private static List<Group> withMember(CipherSuite cs, Identity joiner, KeyPackageBundle bundle) {
        Group alice = GroupFixture.create(identity(cs, "alice"), GroupConfig.DEFAULT);
        StagedCommit add = alice.add(Collections.singletonList(bundle.keyPackage()));
        alice.merge(add);
        Group bob = Group.join(add.welcome(), bundle, joiner, null, GroupConfig.DEFAULT, RANDOM);
        List<Group> all = new ArrayList<>(Arrays.asList(alice, bob));
        return all;
    }

    /** Bob (leaf 1) commits carol's add, alice processes it, carol joins and validates the whole tree; all three talk. */
    private static void addCarolThroughBob(CipherSuite cs, List<Group> all) {
        Identity carol = identity(cs, "carol");
        KeyPackageBundle carolKp = keyPackage(carol);
        StagedCommit add = all.get(1).add(Collections.singletonList(carolKp.keyPackage()));
        deliver(all.get(1), add, all.get(0));
        all.add(Group.join(add.welcome(), carolKp, carol, null, GroupConfig.DEFAULT, RANDOM));
        assertAgreeAndTalk(all);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void capabilitiesWithoutTheKeyPackagesOwnSuiteAreAccepted(int id) {
        CipherSuite cs = suite(id);
        Identity bob = identity(cs, "bob");
        Capabilities d = Identity.defaultCapabilities(cs);
        // As a deployed implementation's suite-7 KeyPackages do: another suite listed, not their own.
        Capabilities caps = new Capabilities(d.versions, new int[] {id == 1 ? 2 : 1, 0x0a0a}, d.extensions, d.proposals,
                d.credentials);
        KeyPackageBundle kp = remade(bob, keyPackage(bob), bob.signaturePublicKey(), caps);
        KeyPackageValidation.validate(cs, kp.keyPackage(), System.currentTimeMillis() / 1000);
        List<Group> all = withMember(cs, bob, kp);
        assertAgreeAndTalk(all);
        // A later joiner validates the whole tree, this leaf included.
        addCarolThroughBob(cs, all);
    }

    /**
     * A member whose KeyPackage carries its ECDSA key compressed (33, 49 or 67 bytes): accepted on
     * receipt, in KeyPackages, Welcomes, trees and signatures; mlskit itself never produces one.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 5, 7})
    void compressedEcdsaSignatureKeysAreAcceptedOnReceipt(int id) {
        CipherSuite cs = suite(id);
        Identity bob = identity(cs, "bob");
        byte[] full = bob.signaturePublicKey();
        assertEquals(cs.signatureScheme().publicKeyLength(), full.length, "mlskit produces uncompressed points");
        byte[] small = compressed(full);
        assertEquals(new int[] {0, 0, 33, 0, 0, 67, 0, 49}[id], small.length);
        KeyPackageBundle kp = remade(bob, keyPackage(bob), small, bob.capabilities());
        List<Group> all = withMember(cs, bob, kp);
        assertAgreeAndTalk(all);
        // The compressed leaf is in the tree a later joiner validates, and bob's commits verify.
        addCarolThroughBob(cs, all);
        assertEquals(full.length, cs.signatureScheme().canonicalPublicKey(small).length);
        assertEquals(new org.mlskit.codec.Bytes(full), new org.mlskit.codec.Bytes(cs.signatureScheme().canonicalPublicKey(small)));
    }

    /**
     * Peers built on OpenMLS that enforce RFC 9420 §7.2's maximum total lifetime refuse leaves whose
     * window is longer than 84 days and an hour (7,261,200 s): mlskit's default KeyPackages fit.
     */
    @org.junit.jupiter.api.Test
    void defaultKeyPackageLifetimesFitTheStrictestPeers() {
        long now = System.currentTimeMillis() / 1000;
        KeyPackage kp = KeyPackageBundle.create(identity(suite(1), "bob"), now, RANDOM).keyPackage();
        long window = kp.leafNode.lifetime.notAfter - kp.leafNode.lifetime.notBefore;
        assertEquals(7_261_200L, window);
        assertEquals(true, kp.leafNode.lifetime.notBefore <= now - 3600 && kp.leafNode.lifetime.notAfter > now);
    }

    /** Both encodings of one key are one key: a second leaf with it is refused like any reused key. */
    @ParameterizedTest
    @ValueSource(ints = {2})
    void theTwoEncodingsOfOneKeyAreOneKey(int id) {
        CipherSuite cs = suite(id);
        Identity bob = identity(cs, "bob");
        KeyPackageBundle compressedKp = remade(bob, keyPackage(bob), compressed(bob.signaturePublicKey()), bob.capabilities());
        List<Group> all = withMember(cs, bob, compressedKp);
        // Another client id, bob's key, uncompressed: still bob's key.
        Identity mallory = Identity.of(cs, org.mlskit.keys.Credential.basic(GroupFixture.utf8("mallory")), bob.signaturePrivateKey());
        KeyPackageBundle again = keyPackage(mallory);
        Group alice = all.get(0);
        MlsException e = assertFails(ErrorCode.INVALID_PROPOSAL, () -> alice.add(Collections.singletonList(again.keyPackage())));
        assertEquals(ErrorCode.INVALID_PROPOSAL, e.code());
    }

    /** A compressed encoding whose X is not on the curve is a typed INVALID_KEY wherever it is checked. */
    @ParameterizedTest
    @ValueSource(ints = {2, 5, 7})
    void aCompressedPointOffTheCurveIsInvalidKey(int id) {
        CipherSuite cs = suite(id);
        byte[] bad = compressed(identity(cs, "x").signaturePublicKey());
        for (int i = 0; i < 64; i++) {
            bad[bad.length - 1] ^= 1; // some X have no Y; try until one is refused
            byte[] candidate = bad.clone();
            try {
                cs.signatureScheme().canonicalPublicKey(candidate);
            } catch (MlsException e) {
                assertEquals(ErrorCode.INVALID_KEY, e.code());
                MlsException v = assertThrows(MlsException.class, () -> cs.verifyWithLabel(candidate, "L", new byte[1], new byte[8]));
                assertEquals(ErrorCode.INVALID_KEY, v.code());
                return;
            }
            bad[bad.length - 2] ^= (byte) (i + 1);
        }
        throw new AssertionError("no off-curve X found in 64 tries");
    }
}
