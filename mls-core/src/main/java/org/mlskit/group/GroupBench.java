package org.mlskit.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * Group operations at a given size, shared by the JVM benchmarks (JMH) and the TeaVM harness so
 * both measure the same thing. A committer (leaf 0) built the group with one commit adding every
 * other member, and a receiver (leaf 1) joined from its Welcome. In the "adds" shape that is all:
 * every parent node is blank. In the "updated" shape every other member then committed an update
 * (each even leaf in bit-reversed order, which keeps the copath resolutions small), so every parent
 * node is populated. Handshake messages travel as PublicMessages so that processing one again
 * costs the same; every measured commit is staged and then discarded, leaving the group as it was.
 */
public final class GroupBench {
    public static final String ADDS = "adds";
    public static final String UPDATED = "updated";
    public static final String[] SHAPES = {UPDATED, ADDS};
    public static final String COMMIT_CREATE = "commit-create";
    public static final String COMMIT_PROCESS = "commit-process";
    public static final String ADD = "add";
    public static final String REMOVE = "remove";
    public static final String JOIN = "join";
    public static final String ENCRYPT = "encrypt";
    public static final String ROUND_TRIP = "encrypt-decrypt";
    public static final String[] OPERATIONS = {COMMIT_CREATE, COMMIT_PROCESS, ADD, REMOVE, JOIN, ENCRYPT, ROUND_TRIP};

    private final int members;
    private final String shape;
    private final RandomSource random;
    private final Group committer;
    private final Group receiver;
    private final byte[] updateCommit;
    private final KeyPackage extra;
    private final KeyPackageBundle joinerBundle;
    private final Identity joiner;
    private final byte[] joinWelcome;
    private final byte[] message1k;
    private final int[] sizes = new int[4];

    private GroupBench(String shape, int members, CipherSuite suite, RandomSource random) {
        if (!ADDS.equals(shape) && !UPDATED.equals(shape)) {
            throw new IllegalArgumentException("unknown shape " + shape);
        }
        this.members = members;
        this.shape = shape;
        this.random = random;
        GroupConfig config = GroupConfig.DEFAULT.withHandshakeWireFormat(WireFormat.PUBLIC_MESSAGE).withPaddingBlock(0);
        long now = config.clock.nowSeconds();
        committer = Group.create(identity(suite, 0), new byte[] {'b', 'e', 'n', 'c', 'h'}, Collections.emptyList(), config,
                random);
        List<KeyPackage> kps = new ArrayList<>();
        Identity[] ids = new Identity[members];
        KeyPackageBundle[] bundles = new KeyPackageBundle[members];
        for (int i = 1; i < members; i++) {
            ids[i] = identity(suite, i);
            bundles[i] = KeyPackageBundle.create(ids[i], now, random);
            kps.add(bundles[i].keyPackage());
        }
        StagedCommit build = committer.add(kps);
        committer.merge(build);
        receiver = Group.join(build.welcome(), bundles[1], ids[1], null, config, random);
        if (UPDATED.equals(shape)) {
            everyoneUpdates(ids, bundles);
        }

        StagedCommit update = committer.update();
        updateCommit = update.message();
        sizes[0] = updateCommit.length;
        committer.discard(update);

        joiner = identity(suite, members);
        joinerBundle = KeyPackageBundle.create(joiner, now, random);
        extra = joinerBundle.keyPackage();
        StagedCommit add = committer.add(Collections.singletonList(extra));
        joinWelcome = add.welcome();
        sizes[1] = joinWelcome.length;
        sizes[2] = add.message().length;
        committer.discard(add);

        message1k = new byte[1024];
        sizes[3] = committer.encrypt(message1k, new byte[0]).length;
        receiver.process(committer.encrypt(message1k, new byte[0]));
    }

    /**
     * Each even leaf commits an update (covering every parent node), the committer first, then the
     * others in bit-reversed order; committer and receiver process each. The other members exist
     * only as stand-ins made from the receiver's state with their own leaf key and identity.
     */
    private void everyoneUpdates(Identity[] ids, KeyPackageBundle[] bundles) {
        advance(committer, committer.update());
        int bits = 1;
        while ((1 << bits) < members) {
            bits++;
        }
        for (int r = 1; r < (1 << bits); r++) {
            int leaf = Integer.reverse(r) >>> (32 - bits);
            if (leaf % 2 == 0 && leaf < members) {
                Group standIn = Group.standIn(receiver, leaf, ids[leaf], bundles[leaf].encryptionPrivateKey());
                advance(standIn, standIn.update());
            }
        }
    }

    private void advance(Group sender, StagedCommit commit) {
        for (Group g : new Group[] {committer, receiver}) {
            if (g == sender) {
                g.merge(commit);
            } else {
                g.merge(g.process(commit.message()).commit);
            }
        }
    }

    /** The committer's epoch. */
    public long epoch() {
        return committer.epoch();
    }

    /** Whether every parent node that can hold a key (both subtrees have members) does. */
    public boolean everyParentPopulated() {
        org.mlskit.tree.RatchetTree t = committer.state().tree;
        for (int n = 1; n < t.nodeCount(); n += 2) {
            // A parent whose right subtree holds no member is never on a filtered direct path.
            int level = org.mlskit.tree.TreeMath.level(n);
            int firstLeafOnTheRight = (n - ((1 << level) - 1)) / 2 + (1 << (level - 1));
            if (t.node(n) == null && firstLeafOnTheRight < members) {
                return false;
            }
        }
        return true;
    }

    public String shape() {
        return shape;
    }

    private Identity identity(CipherSuite suite, int i) {
        return Identity.generate(suite, Credential.basic(("member-" + i).getBytes(StandardCharsets.UTF_8)), random);
    }

    /** Builds the scenario (setup, not measured). */
    public static GroupBench build(String shape, int suite, int members, RandomSource random) {
        return new GroupBench(shape, members, CipherSuite.of(suite), random);
    }

    public int members() {
        return members;
    }

    /** Runs one operation of {@link #OPERATIONS}; returns a value derived from its result. */
    public int run(String op) {
        switch (op) {
            case COMMIT_CREATE: {
                StagedCommit c = committer.update();
                committer.discard(c);
                return c.message().length;
            }
            case COMMIT_PROCESS: {
                ProcessedMessage m = receiver.process(updateCommit);
                receiver.discard(m.commit);
                return (int) m.commit.newEpoch();
            }
            case ADD: {
                StagedCommit c = committer.add(Collections.singletonList(extra));
                committer.discard(c);
                return c.welcome().length;
            }
            case REMOVE: {
                StagedCommit c = committer.remove(members - 1);
                committer.discard(c);
                return c.message().length;
            }
            case JOIN:
                return Group.join(joinWelcome, joinerBundle, joiner, null, committer.config(), random).myLeafIndex();
            case ENCRYPT:
                // The receiver sends: the committer's ratchet stays in step with the receiver for ROUND_TRIP.
                return receiver.encrypt(message1k, new byte[0]).length;
            case ROUND_TRIP:
                return receiver.process(committer.encrypt(message1k, new byte[0])).applicationData().length;
            default:
                throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /**
     * {@code n} 1 KiB application messages from the committer, in order, for {@link #decrypt}: a
     * benchmark prepares them outside its timing so that decryption is measured alone.
     */
    public byte[][] encryptBatch(int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = committer.encrypt(message1k, new byte[0]);
        }
        return out;
    }

    /** The receiver decrypts one message of {@link #encryptBatch} (each once, in order). */
    public int decrypt(byte[] message) {
        return receiver.process(message).applicationData().length;
    }

    /** Message sizes in bytes: commit with UpdatePath, Welcome for one joiner (tree included), add commit, 1 KiB application message. */
    public String sizes() {
        return "commit-with-path=" + sizes[0] + " welcome=" + sizes[1] + " add-commit=" + sizes[2] + " application-1k="
                + sizes[3];
    }
}
