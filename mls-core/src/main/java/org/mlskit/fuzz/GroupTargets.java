package org.mlskit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.mlskit.codec.Codec;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Insider;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.Proposal;
import org.mlskit.group.Welcome;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.schedule.PreSharedKeyId;

/**
 * The API-level targets: {@code Group.process} on a member, {@code Group.join} from a Welcome
 * (with or without an out-of-band tree), {@code Group.joinExternally} from a GroupInfo, and
 * KeyPackage validation. Inputs are byte/length mutations of valid messages, or "insider" ones:
 * contents, Welcomes, GroupInfos and KeyPackages changed as structs and signed (and for
 * Welcomes, encrypted) again with the real keys, as a malicious member could.
 */
final class GroupTargets {
    static final String PROCESS = "process";
    static final String JOIN = "join";
    static final String JOIN_EXTERNAL = "join-external";
    static final String KEY_PACKAGE = "key-package-validation";
    static final String[] NAMES = {PROCESS, JOIN, JOIN_EXTERNAL, KEY_PACKAGE};

    private GroupTargets() {
    }

    static boolean has(String name) {
        for (String n : NAMES) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- generating inputs

    /** Returns {input, tree} (tree may be null). */
    static byte[][] generate(String target, Scenario s, FuzzRandom r, RandomSource rnd) {
        try {
            return generateOrThrow(target, s, r, rnd);
        } catch (RuntimeException e) {
            // A struct the mutators could not rebuild or sign: a byte-level mutation instead.
            List<byte[]> seeds = PROCESS.equals(target) ? s.messages : JOIN.equals(target) ? Collections.singletonList(s.welcome)
                    : JOIN_EXTERNAL.equals(target) ? Collections.singletonList(s.groupInfoWithTree) : s.keyPackages;
            return new byte[][] {mutatedSeed(seeds, s, r), null};
        }
    }

    private static byte[][] generateOrThrow(String target, Scenario s, FuzzRandom r, RandomSource rnd) {
        switch (target) {
            case PROCESS:
                if (r.chance(20)) {
                    // A proposal first (the case's second part), then a mutated commit that refers to it.
                    byte[][] pair = r.pick(s.byReference);
                    return new byte[][] {mutatedSeed(Collections.singletonList(pair[1]), s, r), pair[0]};
                }
                return new byte[][] {processInput(s, r, rnd), null};
            case JOIN:
                return joinInput(s, r, rnd);
            case JOIN_EXTERNAL:
                return externalInput(s, r);
            default:
                return new byte[][] {keyPackageInput(s, r), null};
        }
    }

    private static byte[] mutatedSeed(List<byte[]> seeds, Scenario s, FuzzRandom r) {
        byte[] seed = r.pick(seeds);
        return r.chance(3) ? seed : ByteMutator.mutate(seed, s.donors(), r);
    }

    private static byte[] processInput(Scenario s, FuzzRandom r, RandomSource rnd) {
        if (r.chance(55)) {
            return mutatedSeed(s.messages, s, r);
        }
        FramedContent c = r.pick(s.contents);
        FramedContent mc = null;
        if (r.chance(25)) {
            for (int tries = 0; tries < 4 && mc == null; tries++) {
                try {
                    mc = Codec.decodeAll(ByteMutator.mutate(c.toBytes(), s.donors(), r), FramedContent::decode);
                } catch (RuntimeException e) {
                    mc = null;
                }
            }
        }
        StructMutator m = new StructMutator(s, r);
        if (mc == null) {
            mc = m.content(c);
            if (r.chance(30)) {
                mc = m.content(mc);
            }
        }
        Identity signer = signerOf(mc, s);
        int wireFormat = s.config.handshakeWireFormat;
        if (mc.sender.type != Sender.MEMBER) {
            wireFormat = WireFormat.PUBLIC_MESSAGE;
        } else if (r.chance(15)) {
            wireFormat = wireFormat == WireFormat.PUBLIC_MESSAGE ? WireFormat.PRIVATE_MESSAGE : WireFormat.PUBLIC_MESSAGE;
        }
        byte[] tag = mc.commit != null ? r.bytes(s.suite.kdf().length()) : null;
        try {
            byte[] out = Insider.protect(s.sender(rnd), signer, mc, tag, wireFormat);
            return r.chance(10) ? ByteMutator.mutate(out, s.donors(), r) : out;
        } catch (RuntimeException e) {
            // Content the sender cannot protect (e.g. a PrivateMessage from a non-member): a byte mutation instead.
            return mutatedSeed(s.messages, s, r);
        }
    }

    /** The identity whose key the receiver will check the content's signature with, as far as we hold it. */
    private static Identity signerOf(FramedContent c, Scenario s) {
        Identity id = null;
        if (c.sender.type == Sender.MEMBER) {
            id = s.member(c.sender.index);
        } else if (c.sender.type == Sender.NEW_MEMBER_COMMIT && c.commit != null && c.commit.path != null) {
            id = s.signer(c.commit.path.leafNode.signatureKey);
        } else if (c.sender.type == Sender.NEW_MEMBER_PROPOSAL && c.proposal instanceof Proposal.Add) {
            id = s.signer(((Proposal.Add) c.proposal).keyPackage.leafNode.signatureKey);
        }
        return id != null ? id : s.member(0);
    }

    private static byte[][] joinInput(Scenario s, FuzzRandom r, RandomSource rnd) {
        StructMutator m = new StructMutator(s, r);
        boolean treeInWelcome = s.config.ratchetTreeInWelcome;
        if (r.chance(35)) {
            byte[] tree = treeInWelcome ? null : (r.chance(30) ? m.tree(s.joinTree, groupId(s)) : s.joinTree);
            return new byte[][] {mutatedSeed(Collections.singletonList(s.welcome), s, r), tree};
        }
        GroupInfo gi = s.welcomeInfo;
        byte[] tree = null;
        if (!treeInWelcome || r.chance(25)) {
            tree = r.chance(60) ? m.tree(s.joinTree, groupId(s)) : s.joinTree;
            gi = m.withoutTree(gi, tree);
            if (r.chance(30)) {
                gi = m.groupInfo(gi, null);
            }
        } else {
            gi = m.groupInfo(gi, null);
        }
        GroupSecrets gs = r.chance(60) ? s.welcomeSecrets : m.groupSecrets(s.welcomeSecrets);
        KeyPackage kp = s.joinerBundle.keyPackage();
        byte[] welcomeSecret = KeySchedule.welcomeSecret(s.suite, gs.joinerSecret, null);
        Welcome w = Welcome.seal(s.suite, welcomeSecret, gi, Collections.singletonList(kp), Collections.singletonList(gs), rnd);
        byte[] out = new MlsMessage(WireFormat.WELCOME, w).toBytes();
        return new byte[][] {r.chance(10) ? ByteMutator.mutate(out, s.donors(), r) : out, tree};
    }

    private static byte[] groupId(Scenario s) {
        return s.welcomeInfo.groupContext.groupId();
    }

    private static byte[][] externalInput(Scenario s, FuzzRandom r) {
        boolean withTree = r.chance(50);
        byte[] base = withTree ? s.groupInfoWithTree : s.groupInfoWithoutTree;
        StructMutator m = new StructMutator(s, r);
        if (r.chance(35)) {
            byte[] tree = withTree ? null : (r.chance(30) ? m.tree(s.tree, groupId(s)) : s.tree);
            return new byte[][] {mutatedSeed(Collections.singletonList(base), s, r), tree};
        }
        GroupInfo gi = (GroupInfo) MlsMessage.fromBytes(base).body;
        byte[] tree = null;
        if (!withTree) {
            tree = r.chance(60) ? m.tree(s.tree, groupId(s)) : s.tree;
            gi = m.withoutTree(gi, tree);
            if (r.chance(30)) {
                gi = m.groupInfo(gi, null);
            }
        } else {
            gi = m.groupInfo(gi, null);
        }
        byte[] out = new MlsMessage(WireFormat.GROUP_INFO, gi).toBytes();
        return new byte[][] {r.chance(10) ? ByteMutator.mutate(out, s.donors(), r) : out, tree};
    }

    private static byte[] keyPackageInput(Scenario s, FuzzRandom r) {
        if (r.chance(40)) {
            return mutatedSeed(s.keyPackages, s, r);
        }
        StructMutator m = new StructMutator(s, r);
        KeyPackage kp = m.keyPackage((KeyPackage) MlsMessage.fromBytes(r.pick(s.keyPackages)).body);
        if (r.chance(25)) {
            kp = m.keyPackage(kp);
        }
        return new MlsMessage(WireFormat.KEY_PACKAGE, kp).toBytes();
    }

    // ---------------------------------------------------------------- running them

    static Outcome execute(String target, GroupsUnderTest s, byte[] input, byte[] tree, FuzzRandom r, RandomSource rnd) {
        switch (target) {
            case PROCESS:
                return process(s, input, tree, r, rnd);
            case JOIN:
                return join(s, input, tree, rnd);
            case JOIN_EXTERNAL:
                return joinExternally(s, input, tree, rnd);
            default:
                return keyPackage(input);
        }
    }

    /**
     * {@code prelude} (a valid proposal, or null) is processed first. A rejected message must
     * leave the member's saved state byte for byte as it was, and the
     * member must still exchange messages with another member afterwards (checked for about one
     * rejection in four, to bound the cost).
     */
    private static Outcome process(GroupsUnderTest s, byte[] input, byte[] prelude, FuzzRandom r, RandomSource rnd) {
        Group target = s.target(rnd);
        if (prelude != null) {
            try {
                target.process(prelude);
            } catch (Throwable t) {
                return Outcome.failed("a valid proposal was refused: " + Outcome.describe(t));
            }
        }
        byte[] before = target.toBytes();
        Outcome o;
        try {
            return accepted(s, target, target.process(input), r, rnd);
        } catch (Throwable t) {
            o = Outcome.of(t);
        }
        if (o.kind != Outcome.Kind.REJECTED) {
            return o;
        }
        try {
            if (!Arrays.equals(before, target.toBytes())) {
                return Outcome.failed("rejected with " + o.code + ", but the group's saved state changed");
            }
        } catch (Throwable t) {
            return Outcome.failed("rejected with " + o.code + ", then saving the group threw " + Outcome.describe(t));
        }
        if (r.chance(25)) {
            String broken = talk(s, target, rnd);
            if (broken != null) {
                return Outcome.failed("rejected with " + o.code + ", then the group no longer works: " + broken);
            }
        }
        return o;
    }

    /**
     * An accepted message leaves a consistent member: an accepted commit merges and the merged
     * group survives a save and restore byte for byte; after anything else it still talks.
     */
    private static Outcome accepted(GroupsUnderTest s, Group target, ProcessedMessage pm, FuzzRandom r, RandomSource rnd) {
        try {
            if (pm.commit != null) {
                target.merge(pm.commit);
                byte[] saved = target.toBytes();
                if (!Arrays.equals(saved, Group.fromBytes(saved, s.config, rnd).toBytes())) {
                    return Outcome.failed("after merging an accepted commit the saved state does not round-trip");
                }
            } else if (r.chance(25)) {
                String broken = talk(s.sender(rnd), target);
                if (broken != null) {
                    return Outcome.failed("accepted a " + pm.kind + " message, then the group no longer works: " + broken);
                }
            }
        } catch (Throwable t) {
            Outcome o = Outcome.of(t);
            if (o.kind != Outcome.Kind.REJECTED) {
                return Outcome.failed("after accepting a " + pm.kind + " message: " + o.detail);
            }
            // A typed refusal to merge (e.g. a removed member saving) is not a bug.
        }
        return Outcome.ACCEPTED;
    }

    /** A joiner that accepted a Welcome must share the epoch with the committer that sent it. */
    private static Outcome join(GroupsUnderTest s, byte[] input, byte[] tree, RandomSource rnd) {
        Group joined;
        try {
            joined = Group.join(input, s.joinerBundle, s.joiner, tree, s.config, rnd);
        } catch (Throwable t) {
            return Outcome.of(t);
        }
        String broken = talk(Group.fromBytes(s.joinCommitterState, s.config, rnd), joined);
        return broken == null ? Outcome.ACCEPTED : Outcome.failed("accepted a Welcome, but cannot talk to its committer: " + broken);
    }

    static String talk(GroupsUnderTest s, Group member, RandomSource rnd) {
        return talk(s.sender(rnd), member);
    }

    /** {@code member} sends to {@code other} and back; null when both arrive intact, else what went wrong. */
    static String talk(Group other, Group member) {
        try {
            byte[] a = "after".getBytes(StandardCharsets.UTF_8);
            ProcessedMessage pm = other.process(member.encrypt(a, new byte[0]));
            if (pm.kind != ProcessedMessage.Kind.APPLICATION || !Arrays.equals(a, pm.applicationData())) {
                return "the other member did not read our message";
            }
            // The seed messages used the committer's first generation: skip it, so an accepted seed
            // does not make this look like a replay.
            other.encrypt(a, new byte[0]);
            pm = member.process(other.encrypt(a, new byte[0]));
            if (pm.kind != ProcessedMessage.Kind.APPLICATION || !Arrays.equals(a, pm.applicationData())) {
                return "we did not read the other member's message";
            }
            return null;
        } catch (Throwable t) {
            return Outcome.describe(t);
        }
    }

    /**
     * An accepted external join's commit must be processed by a member with a typed outcome too,
     * and when the member merges it, joiner and member must share the new epoch.
     */
    private static Outcome joinExternally(GroupsUnderTest s, byte[] input, byte[] tree, RandomSource rnd) {
        Group.ExternalJoin j;
        try {
            j = Group.joinExternally(input, s.externalJoiner, tree, -1, Collections.<PreSharedKeyId>emptyList(), new byte[0],
                    s.config, rnd);
        } catch (Throwable t) {
            return Outcome.of(t);
        }
        Group member = s.target(rnd);
        try {
            ProcessedMessage pm = member.process(j.commit());
            member.merge(pm.commit);
        } catch (Throwable t) {
            Outcome o = Outcome.of(t);
            if (o.kind != Outcome.Kind.REJECTED) {
                return Outcome.failed("the commit of an accepted external join broke a member: " + o.detail);
            }
            return Outcome.ACCEPTED;
        }
        // The member took the joiner's commit: both must now be in the same epoch.
        String broken = talk(member, j.group);
        return broken == null ? Outcome.ACCEPTED
                : Outcome.failed("a member merged an external join's commit, but the two cannot talk: " + broken);
    }

    /**
     * KeyPackage validation (RFC 9420 §10.1). An accepted KeyPackage must also be sound: its
     * leaf's own signature verifies, and neither it nor its leaf lists an extension type twice
     * (§13.4).
     */
    static Outcome keyPackage(byte[] input) {
        KeyPackage kp;
        try {
            MlsMessage m = MlsMessage.fromBytes(input);
            if (m.wireFormat != WireFormat.KEY_PACKAGE) {
                return Outcome.ACCEPTED;
            }
            kp = (KeyPackage) m.body;
            KeyPackageValidation.validate(CipherSuite.of(kp.cipherSuite), kp, Scenario.NOW);
        } catch (Throwable t) {
            return Outcome.of(t);
        }
        try {
            if (!kp.leafNode.verify(CipherSuite.of(kp.cipherSuite), new byte[0], 0)) {
                return Outcome.failed("accepted a KeyPackage whose leaf signature does not verify");
            }
        } catch (Throwable t) {
            return Outcome.failed("verifying an accepted KeyPackage's leaf threw " + Outcome.describe(t));
        }
        if (duplicateType(kp.extensions) || duplicateType(kp.leafNode.extensions)) {
            return Outcome.failed("accepted a KeyPackage with a duplicate extension type");
        }
        return Outcome.ACCEPTED;
    }

    private static boolean duplicateType(List<Extension> list) {
        Set<Integer> seen = new HashSet<>();
        for (Extension e : list) {
            if (!seen.add(e.type())) {
                return true;
            }
        }
        return false;
    }
}
