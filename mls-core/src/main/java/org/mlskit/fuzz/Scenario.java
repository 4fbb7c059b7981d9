package org.mlskit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.FramedContent;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.GroupSecrets;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.group.Welcome;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.KeySchedule;
import org.mlskit.framing.SenderData;

/**
 * A real group the targets are fuzzed against, built deterministically from (seed, index): its
 * cipher suite is index + 1 (the fuzzer rotates through them), it has 2 to {@code maxMembers} members, handshakes as
 * PublicMessage or PrivateMessage, and a Welcome with or without the tree. It keeps the saved
 * states of the committer (leaf 0) and the target member (leaf 1), and the valid seeds every
 * target mutates: messages of each kind, their plain contents (for re-signed "insider"
 * mutations), a Welcome for a joiner, GroupInfos for an external joiner, KeyPackages, and the
 * encoding of every struct.
 */
public final class Scenario {
    /** The fixed clock of every scenario (2026-01-01), so lifetimes and replays do not depend on the date. */
    public static final long NOW = 1767225600L;
    static final int STREAM = 0x5ce7a210;

    public final int index;
    public final CipherSuite suite;
    public final int members;
    public final int maxMembers;
    public final GroupConfig config;
    final byte[] senderState;
    final byte[] targetState;
    final Identity[] ids;
    /** Every identity whose key signs something in this scenario, by hex signature public key. */
    private final Map<String, Identity> signers = new HashMap<>();
    /** MLSMessages the target member can process: application, proposals, commits. */
    final List<byte[]> messages = new ArrayList<>();
    /**
     * {proposal, commit} pairs: a proposal the target receives first, then a valid commit that
     * includes it by reference.
     */
    final List<byte[][]> byReference = new ArrayList<>();
    /** The plain contents of those handshakes (and an application message), for insider mutations. */
    final List<FramedContent> contents = new ArrayList<>();
    final Identity joiner;
    final KeyPackageBundle joinerBundle;
    final byte[] welcome;
    /** The Welcome's GroupInfo and GroupSecrets, opened with the joiner's keys. */
    final GroupInfo welcomeInfo;
    final GroupSecrets welcomeSecrets;
    /** The tree after the joiner's add (out of band for the Welcome). */
    final byte[] joinTree;
    /** The committer after merging the joiner's add: who an accepted joiner must be able to talk to. */
    final byte[] joinCommitterState;
    final Identity externalJoiner;
    final byte[] groupInfoWithTree;
    final byte[] groupInfoWithoutTree;
    final byte[] tree;
    final List<byte[]> keyPackages = new ArrayList<>();
    /** What the API-level targets run against (everything else here is for making inputs). */
    final GroupsUnderTest groups;
    /** Valid encodings of each struct, by decoder target name. */
    final Map<String, List<byte[]>> structs = new LinkedHashMap<>();

    /** Scenario {@code index} (0..6) uses cipher suite {@code index + 1}. */
    Scenario(int seed, int index, int maxMembers) {
        this.index = index;
        RandomSource rnd = new SeededRandomSource(seed, STREAM, index);
        FuzzRandom r = FuzzRandom.of(seed, STREAM, index);
        suite = CipherSuite.of(index + 1);
        this.maxMembers = maxMembers;
        members = 2 + r.below(Math.max(1, maxMembers - 1));
        int wireFormat = r.chance(50) ? WireFormat.PUBLIC_MESSAGE : WireFormat.PRIVATE_MESSAGE;
        boolean treeInWelcome = r.chance(70);
        config = GroupsUnderTest.config(wireFormat, treeInWelcome, r.chance(50) ? 0 : 32);
        GroupConfig publicConfig = config.withHandshakeWireFormat(WireFormat.PUBLIC_MESSAGE);

        ids = new Identity[members];
        KeyPackageBundle[] bundles = new KeyPackageBundle[members];
        for (int i = 0; i < members; i++) {
            ids[i] = identity("m" + i, rnd);
        }
        Group creator = Group.create(ids[0], rnd.bytes(8 + r.below(24)), Collections.<Extension>emptyList(), config, rnd);
        List<KeyPackage> kps = new ArrayList<>();
        for (int i = 1; i < members; i++) {
            bundles[i] = KeyPackageBundle.create(ids[i], NOW, rnd);
            kps.add(bundles[i].keyPackage());
        }
        StagedCommit build = creator.add(kps);
        creator.merge(build);
        Group target = Group.join(build.welcome(), bundles[1], ids[1], config.ratchetTreeInWelcome ? null : creator.ratchetTree(),
                config, rnd);
        // Populated parent nodes (and unmerged leaves) make the trees worth mutating.
        if (r.chance(60)) {
            StagedCommit up = creator.update();
            creator.merge(up);
            target.merge(target.process(up.message()).commit);
        }
        if (members > 2 && r.chance(50)) {
            StagedCommit up = target.update();
            target.merge(up);
            creator.merge(creator.process(up.message()).commit);
        }
        senderState = creator.toBytes();
        targetState = target.toBytes();
        tree = creator.ratchetTree();

        Identity extra = identity("extra", rnd);
        KeyPackage extraKp = KeyPackageBundle.create(extra, NOW, rnd).keyPackage();
        int removed = members > 2 ? members - 1 : 1;
        byte[] aad = "fuzz".getBytes(StandardCharsets.UTF_8);

        // Messages in the scenario's framing, each from a fresh copy of the committer so that no
        // commit refers to proposals the target never saw.
        messages.add(sender(rnd).encrypt("hello".getBytes(StandardCharsets.UTF_8), aad));
        messages.add(sender(rnd).proposeUpdate(aad));
        messages.add(sender(rnd).proposeRemove(removed, aad));
        messages.add(sender(rnd).proposeAdd(extraKp, aad));
        messages.add(sender(rnd).proposeGroupContextExtensions(Collections.<Extension>emptyList(), aad));
        messages.add(commitMessage(sender(rnd), sender(rnd).update()));
        Group s = sender(rnd);
        messages.add(commitMessage(s, s.add(Collections.singletonList(extraKp))));
        s = sender(rnd);
        messages.add(commitMessage(s, s.remove(removed)));
        s = sender(rnd);
        messages.add(commitMessage(s, s.commit(Collections.<Proposal>singletonList(new Proposal.Remove(removed)), true, aad)));

        // Proposals and the commits that include them by reference (the committer's own cache).
        for (int kind = 0; kind < 3; kind++) {
            s = sender(rnd);
            byte[] p = kind == 0 ? s.proposeRemove(removed, aad) : kind == 1 ? s.proposeAdd(extraKp, aad)
                    : s.proposeGroupContextExtensions(Collections.<Extension>emptyList(), aad);
            byReference.add(new byte[][] {p, commitMessage(s, s.commit(Collections.<Proposal>emptyList(), false, aad))});
        }

        // The same kinds as PublicMessages, for their plain contents.
        List<byte[]> publicOnes = new ArrayList<>();
        publicOnes.add(Group.fromBytes(senderState, publicConfig, rnd).proposeUpdate(aad));
        publicOnes.add(Group.fromBytes(senderState, publicConfig, rnd).proposeRemove(removed, aad));
        publicOnes.add(Group.fromBytes(senderState, publicConfig, rnd).proposeAdd(extraKp, aad));
        s = Group.fromBytes(senderState, publicConfig, rnd);
        publicOnes.add(commitMessage(s, s.update()));
        s = Group.fromBytes(senderState, publicConfig, rnd);
        publicOnes.add(commitMessage(s, s.add(Collections.singletonList(extraKp))));
        s = Group.fromBytes(senderState, publicConfig, rnd);
        publicOnes.add(commitMessage(s, s.commit(Collections.<Proposal>singletonList(new Proposal.Remove(removed)), true, aad)));
        for (byte[] m : publicOnes) {
            PublicMessage pm = (PublicMessage) MlsMessage.fromBytes(m).body;
            contents.add(pm.content);
            add("public-message", pm.toBytes());
            add("proposal-or-commit", m);
            if (pm.content.proposal != null) {
                add("proposal", pm.content.proposal.toBytes());
            } else {
                add("commit", pm.content.commit.toBytes());
                if (pm.content.commit.path != null) {
                    add("update-path", pm.content.commit.path.toBytes());
                    add("leaf-node", pm.content.commit.path.leafNode.toBytes());
                }
            }
        }
        contents.add(FramedContent.application(creator.groupId(), creator.epoch(), Sender.member(0), aad,
                "insider".getBytes(StandardCharsets.UTF_8)));
        structs.remove("proposal-or-commit");

        // A joiner's Welcome (after one more add), opened with the joiner's own keys.
        joiner = identity("joiner", rnd);
        joinerBundle = KeyPackageBundle.create(joiner, NOW, rnd);
        Group c = sender(rnd);
        StagedCommit add = c.add(Collections.singletonList(joinerBundle.keyPackage()));
        welcome = add.welcome();
        c.merge(add);
        joinTree = c.ratchetTree();
        joinCommitterState = c.toBytes();
        Welcome w = (Welcome) MlsMessage.fromBytes(welcome).body;
        welcomeSecrets = w.openSecrets(suite, w.find(joinerBundle.keyPackage().ref(suite)), joinerBundle.initPrivateKey());
        welcomeInfo = w.openGroupInfo(suite, welcomeSecrets.joinerSecret, null);

        externalJoiner = identity("external", rnd);
        Group gi = sender(rnd);
        groupInfoWithTree = gi.groupInfo(true, true);
        groupInfoWithoutTree = gi.groupInfo(false, true);

        for (int i = 1; i < members; i++) {
            keyPackages.add(new MlsMessage(WireFormat.KEY_PACKAGE, bundles[i].keyPackage()).toBytes());
        }
        keyPackages.add(new MlsMessage(WireFormat.KEY_PACKAGE, extraKp).toBytes());
        keyPackages.add(new MlsMessage(WireFormat.KEY_PACKAGE, joinerBundle.keyPackage()).toBytes());
        signers.put(Hex.toHexString(extra.signaturePublicKey()), extra);

        for (byte[] m : messages) {
            MlsMessage mm = MlsMessage.fromBytes(m);
            add(mm.wireFormat == WireFormat.PRIVATE_MESSAGE ? "private-message" : "public-message", mm.body.toBytes());
        }
        List<byte[]> all = new ArrayList<>(messages);
        for (byte[][] pair : byReference) {
            all.add(pair[1]);
        }
        all.add(welcome);
        all.add(groupInfoWithTree);
        all.add(groupInfoWithoutTree);
        all.addAll(keyPackages);
        for (byte[] m : all) {
            add("mls-message", m);
        }
        for (byte[] kp : keyPackages) {
            KeyPackage k = (KeyPackage) MlsMessage.fromBytes(kp).body;
            add("key-package", k.toBytes());
            add("leaf-node", k.leafNode.toBytes());
            add("credential", k.leafNode.credential.toBytes());
            add("capabilities", k.leafNode.capabilities.toBytes());
        }
        add("welcome", w.toBytes());
        add("group-secrets", welcomeSecrets.toBytes());
        add("group-info", welcomeInfo.toBytes());
        add("group-info", MlsMessage.fromBytes(groupInfoWithoutTree).body.toBytes());
        add("group-context", welcomeInfo.groupContext.toBytes());
        add("ratchet-tree", tree);
        add("ratchet-tree", joinTree);
        add("sender-data", new SenderData(1, 7, new byte[SenderData.REUSE_GUARD_LENGTH]).toBytes());
        groups = new GroupsUnderTest(config, senderState, targetState, joiner, joinerBundle, joinCommitterState, externalJoiner);
    }

    private Identity identity(String name, RandomSource rnd) {
        Identity id = Identity.generate(suite, Credential.basic(name.getBytes(StandardCharsets.UTF_8)), rnd);
        signers.put(Hex.toHexString(id.signaturePublicKey()), id);
        return id;
    }

    private static byte[] commitMessage(Group g, StagedCommit sc) {
        byte[] m = sc.message();
        g.discard(sc);
        return m;
    }

    private void add(String struct, byte[] encoding) {
        List<byte[]> list = structs.get(struct);
        if (list == null) {
            list = new ArrayList<>();
            structs.put(struct, list);
        }
        list.add(encoding);
    }

    /** A fresh copy of the committer (leaf 0). */
    Group sender(RandomSource rnd) {
        return Group.fromBytes(senderState, config, rnd);
    }

    /** A fresh copy of the target member (leaf 1). */
    Group target(RandomSource rnd) {
        return Group.fromBytes(targetState, config, rnd);
    }

    /** The identity owning a signature key, or null. */
    Identity signer(byte[] signaturePublicKey) {
        return signers.get(Hex.toHexString(signaturePublicKey));
    }

    /** The identity of a member leaf, or null. */
    Identity member(int leaf) {
        return leaf >= 0 && leaf < ids.length ? ids[leaf] : null;
    }

    /** Valid encodings of a struct (empty when this scenario has none). */
    public List<byte[]> seeds(String struct) {
        List<byte[]> l = structs.get(struct);
        return l == null ? Collections.<byte[]>emptyList() : l;
    }

    /** Every valid encoding of every struct: donors for splicing. */
    List<byte[]> donors() {
        List<byte[]> out = new ArrayList<>();
        for (List<byte[]> l : structs.values()) {
            out.addAll(l);
        }
        return out;
    }
}
