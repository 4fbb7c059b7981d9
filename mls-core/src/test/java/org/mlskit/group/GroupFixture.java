package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * Clients and groups for the group tests: identities with basic credentials, fresh KeyPackages,
 * N-member groups built by one add commit, delivery of commits and messages to every member, and
 * the checks that members agree and that a rejected message left a group exactly as it was.
 */
final class GroupFixture {
    static final RandomSource RANDOM = new SecureRandomSource();

    private GroupFixture() {
    }

    /** Suites 1 (X25519/Ed25519), 2 (P-256) and 3 (ChaCha20-Poly1305): quick enough for every scenario. */
    static Stream<CipherSuite> fastSuites() {
        return Stream.of(suite(1), suite(2), suite(3));
    }

    /** Every suite, the 256-bit ones (X448, P-521, P-384) included: for the main scenario only, they are slow. */
    static Stream<CipherSuite> allSuites() {
        return Stream.of(CipherSuite.all());
    }

    /** Each fast suite with each handshake wire format. */
    static Stream<Arguments> suitesAndWireFormats() {
        return fastSuites().flatMap(cs -> Stream.of(Arguments.of(cs, WireFormat.PUBLIC_MESSAGE),
                Arguments.of(cs, WireFormat.PRIVATE_MESSAGE)));
    }

    /** The default config with handshake messages (proposals, commits) sent as {@code wireFormat}. */
    static GroupConfig handshake(int wireFormat) {
        return GroupConfig.DEFAULT.withHandshakeWireFormat(wireFormat);
    }

    static CipherSuite suite(int id) {
        return CipherSuite.of(id);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Identity identity(CipherSuite cs, String name) {
        return Identity.generate(cs, Credential.basic(utf8(name)), RANDOM);
    }

    static KeyPackageBundle keyPackage(Identity id) {
        return KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, RANDOM);
    }

    /** A client outside the group with one fresh KeyPackage, ready to join from a Welcome. */
    static final class Joiner {
        final Identity identity;
        final KeyPackageBundle bundle;

        Joiner(Identity identity, KeyPackageBundle bundle) {
            this.identity = identity;
            this.bundle = bundle;
        }

        KeyPackage keyPackage() {
            return bundle.keyPackage();
        }

        /** Joins from {@code welcome}, with {@code tree} supplied out of band (null: the Welcome carries it). */
        Group join(byte[] welcome, byte[] tree, GroupConfig config) {
            return Group.join(welcome, bundle, identity, tree, config, RANDOM);
        }

        /** Joins from a Welcome that carries the tree. */
        Group join(byte[] welcome, GroupConfig config) {
            return join(welcome, null, config);
        }
    }

    /** A new client {@code name} with a fresh KeyPackage. */
    static Joiner joiner(CipherSuite cs, String name) {
        return joiner(identity(cs, name));
    }

    static Joiner joiner(Identity id) {
        return new Joiner(id, keyPackage(id));
    }

    static Group create(Identity id, GroupConfig config) {
        return Group.create(id, RANDOM.bytes(16), Collections.<Extension>emptyList(), config, RANDOM);
    }

    /** A group of {@code n} members named m0..m(n-1); m0 created it and added the others in one commit. */
    static List<Group> group(CipherSuite cs, int n, GroupConfig config) {
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(identity(cs, "m" + i));
        }
        return group(ids, Collections.<Extension>emptyList(), config);
    }

    /** A group of these identities (leaf i = identity i) with the given GroupContext extensions. */
    static List<Group> group(List<Identity> ids, List<Extension> extensions, GroupConfig config) {
        Group creator = Group.create(ids.get(0), RANDOM.bytes(16), extensions, config, RANDOM);
        List<Group> all = new ArrayList<>();
        all.add(creator);
        if (ids.size() > 1) {
            all.addAll(addByWelcome(creator, Collections.<Group>emptyList(), ids.subList(1, ids.size()), config));
        }
        return all;
    }

    /**
     * {@code committer} adds {@code newcomers} in one commit, which {@code others} process; the
     * newcomers join from the Welcome (fetching the tree out of band when the Welcome lacks it).
     */
    static List<Group> addByWelcome(Group committer, List<Group> others, List<Identity> newcomers, GroupConfig config) {
        List<KeyPackageBundle> bundles = new ArrayList<>();
        List<KeyPackage> kps = new ArrayList<>();
        for (Identity id : newcomers) {
            KeyPackageBundle b = keyPackage(id);
            bundles.add(b);
            kps.add(b.keyPackage());
        }
        StagedCommit sc = committer.add(kps);
        assertEquals(newcomers.size(), sc.added().size());
        deliver(committer, sc, others);
        byte[] tree = committer.config().ratchetTreeInWelcome ? null : committer.ratchetTree();
        List<Group> joined = new ArrayList<>();
        for (int i = 0; i < newcomers.size(); i++) {
            joined.add(Group.join(sc.welcome(), bundles.get(i), newcomers.get(i), tree, config, RANDOM));
        }
        return joined;
    }

    /** The committer merges its own staged commit; every other member processes and merges it. */
    static void deliver(Group committer, StagedCommit own, List<Group> others) {
        byte[] message = own.message();
        committer.merge(own);
        for (Group g : others) {
            if (g != committer) {
                receiveCommit(g, message);
            }
        }
    }

    static void deliver(Group committer, StagedCommit own, Group... others) {
        deliver(committer, own, Arrays.asList(others));
    }

    /** Processes a commit and merges it, returning what was staged. */
    static StagedCommit receiveCommit(Group g, byte[] message) {
        ProcessedMessage pm = g.process(message);
        assertEquals(ProcessedMessage.Kind.COMMIT, pm.kind);
        assertNotNull(pm.commit);
        g.merge(pm.commit);
        return pm.commit;
    }

    /**
     * Every member of {@code all} processes and merges the external commit, then the joiner joins
     * {@code all}; returns what the first member staged, for inspection.
     */
    static StagedCommit acceptExternalJoin(List<Group> all, Group.ExternalJoin join) {
        StagedCommit first = null;
        for (Group g : all) {
            StagedCommit sc = receiveCommit(g, join.commit());
            assertEquals(true, sc.isExternal());
            first = first == null ? sc : first;
        }
        all.add(join.group);
        return first;
    }

    /** Hands a proposal to every member but its sender, checking each caches it. */
    static void deliverProposal(byte[] proposal, Group sender, List<Group> all) {
        for (Group g : all) {
            if (g != sender) {
                assertEquals(ProcessedMessage.Kind.PROPOSAL, g.process(proposal).kind);
            }
        }
    }

    /** Every group is in the same epoch with the same authenticator, exporter output, tree and members. */
    static void assertAgree(List<Group> groups) {
        Group first = groups.get(0);
        byte[] exported = first.export("test", utf8("ctx"), 32);
        for (Group g : groups) {
            assertEquals(first.epoch(), g.epoch(), "epoch");
            assertArrayEquals(first.groupId(), g.groupId(), "group id");
            assertArrayEquals(first.epochAuthenticator(), g.epochAuthenticator(), "epoch authenticator");
            assertArrayEquals(exported, g.export("test", utf8("ctx"), 32), "exporter");
            assertArrayEquals(first.ratchetTree(), g.ratchetTree(), "ratchet tree");
            assertArrayEquals(first.context().toBytes(), g.context().toBytes(), "group context");
            assertEquals(memberNames(first), memberNames(g), "members");
        }
    }

    static void assertAgree(Group... groups) {
        assertAgree(Arrays.asList(groups));
    }

    /** The groups agree ({@link #assertAgree(List)}) and every member can talk to every other. */
    static void assertAgreeAndTalk(List<Group> groups) {
        assertAgree(groups);
        assertAllTalk(groups);
    }

    /** "leaf:name" for each member, in leaf order. */
    static List<String> memberNames(Group g) {
        List<String> out = new ArrayList<>();
        for (Member m : g.members()) {
            out.add(m.leafIndex + ":" + new String(m.credential.identity(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** {@code sender} encrypts {@code text} with authenticated data; every receiver decrypts it and sees sender and data. */
    static void assertMessageFlows(Group sender, List<Group> receivers, String text) {
        byte[] aad = utf8("aad:" + text);
        byte[] message = sender.encrypt(utf8(text), aad);
        for (Group r : receivers) {
            if (r == sender) {
                continue;
            }
            ProcessedMessage pm = r.process(message);
            assertEquals(ProcessedMessage.Kind.APPLICATION, pm.kind);
            assertEquals(text, new String(pm.applicationData(), StandardCharsets.UTF_8));
            assertArrayEquals(aad, pm.authenticatedData());
            assertEquals(sender.myLeafIndex(), pm.senderLeaf());
            assertArrayEquals(sender.identity().credential().toBytes(), pm.senderCredential.toBytes());
        }
    }

    /** Every member sends one message that every other member reads. */
    static void assertAllTalk(List<Group> groups) {
        for (Group g : groups) {
            assertMessageFlows(g, groups, "hello from leaf " + g.myLeafIndex() + " in epoch " + g.epoch());
        }
    }

    /**
     * Processing {@code message} fails with {@code code} and leaves {@code g}'s saved state byte
     * for byte as it was.
     */
    static MlsException assertRejected(Group g, byte[] message, ErrorCode code) {
        byte[] before = g.toBytes();
        MlsException e = assertFails(code, () -> g.process(message));
        assertArrayEquals(before, g.toBytes(), "a rejected message changed the group");
        return e;
    }

    /** {@code action} (a local API call, not an incoming message) fails with {@code code}. */
    static MlsException assertFails(ErrorCode code, Executable action) {
        MlsException e = assertThrows(MlsException.class, action);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    /** A copy of {@code g} through its saved state (same config): a scratch member for forging and for trials. */
    static Group copy(Group g) {
        return Group.fromBytes(g.toBytes(), g.config(), RANDOM);
    }
}
