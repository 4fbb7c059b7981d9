package org.mlskit.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * What a durable application message costs to save in a big group (issue 15), shared by JMH and
 * the unit tests: a group of N members where member 0 ("alice") sends and member 1 ("bob")
 * receives, each as a {@link ClientEngine} (signed in, no DS) and, for comparison, as a bare
 * {@link Group} saved whole with {@link Group#toBytes} after each message as the engine did
 * before. A third member ("carol") makes the messages the receivers read, and first commits as
 * many updates as epochs are kept, so that the groups hold their usual past epochs.
 */
public final class PersistBench {
    private static final String TEXT = "a short chat message, as people type them";
    private final RandomSource random;
    private final byte[] gid;
    public final ClientEngine alice;
    public final ClientEngine bob;
    /** Bare groups of alice and bob, and carol's (the sender of what bob reads). */
    public final Group aliceGroup;
    public final Group bobGroup;
    private final Group carolGroup;
    /** Each engine's store with every Output applied (key to bytes, null deletes). */
    public final Map<String, byte[]> aliceStore = new HashMap<>();
    public final Map<String, byte[]> bobStore = new HashMap<>();
    private long seq;
    private int carolMessages;
    private long now = System.currentTimeMillis();

    private PersistBench(int members, RandomSource random) {
        this.random = random;
        CipherSuite suite = CipherSuite.of(1);
        GroupConfig config = ClientConfig.DEFAULT.groupConfig;
        gid = random.bytes(16);
        Identity a = identity(suite, "alice/laptop");
        Group creator = Group.create(a, gid, Collections.emptyList(), config, random);
        long t = config.clock.nowSeconds();
        List<KeyPackage> kps = new ArrayList<>();
        KeyPackageBundle bobKp = null;
        KeyPackageBundle carolKp = null;
        Identity b = identity(suite, "bob/phone");
        Identity c = identity(suite, "carol/laptop");
        for (int i = 1; i < members; i++) {
            Identity id = i == 1 ? b : i == 2 ? c : identity(suite, "member" + i + "/device");
            KeyPackageBundle kp = KeyPackageBundle.create(id, t, random);
            if (i == 1) {
                bobKp = kp;
            } else if (i == 2) {
                carolKp = kp;
            }
            kps.add(kp.keyPackage());
        }
        org.mlskit.group.StagedCommit add = creator.add(kps);
        creator.merge(add);
        byte[] welcome = add.welcome();
        aliceGroup = Group.fromBytes(creator.toBytes(), config, random);
        bobGroup = Group.join(welcome, bobKp, b, null, config, random);
        carolGroup = Group.join(welcome, carolKp, c, null, config, random);
        Group bobEngineGroup = Group.join(welcome, bobKp, b, null, config, random);
        // Carol updates as many times as past epochs are kept: the groups are in their steady state.
        for (int i = 0; i < config.retainedEpochs; i++) {
            org.mlskit.group.StagedCommit update = carolGroup.update();
            for (Group g : new Group[] {creator, aliceGroup, bobGroup, bobEngineGroup}) {
                g.merge(g.process(update.message()).commit);
            }
            carolGroup.merge(update);
        }
        alice = new ClientEngine("alice", "laptop", a, ClientConfig.DEFAULT, random);
        alice.adopt(creator, "alice-token");
        bob = new ClientEngine("bob", "phone", b, ClientConfig.DEFAULT, random);
        bob.adopt(bobEngineGroup, "bob-token");
        apply(alice.live(now, 0), aliceStore);
        apply(bob.live(now, 0), bobStore);
    }

    private Identity identity(CipherSuite suite, String name) {
        return Identity.generate(suite, Credential.basic(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)), random);
    }

    /** A group of {@code members} (set-up, slow at 1,000: N - 1 KeyPackages, four joins, four commits). */
    public static PersistBench build(int members, RandomSource random) {
        return new PersistBench(members, random);
    }

    /**
     * Alice sends one message, the DS accepts it and her mailbox echoes it: the three Outputs'
     * saves. Returns the bytes written.
     */
    public int send() {
        now++;
        Output sent = alice.send(now, gid, TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int bytes = apply(sent, aliceStore);
        for (DsCall c : sent.calls) {
            if (c.kind == DsCall.Kind.SEND) {
                long at = ++seq;
                bytes += apply(alice.reply(now, DsReply.accepted(c.id, alice.group(gid).epoch(), at)), aliceStore);
                List<Entry> echo = new ArrayList<>();
                echo.add(new Entry(at, c.messages.get(0)));
                bytes += apply(alice.entries(now, echo), aliceStore);
            }
        }
        return bytes;
    }

    /** The same message saved as before: encrypted by a bare group, which is then saved whole. */
    public int sendWhole() {
        aliceGroup.encrypt(TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8), random.bytes(16));
        return aliceGroup.toBytes().length;
    }

    /** A message from carol for {@link #receive} and {@link #receiveWhole} (not part of what is measured). */
    public byte[] next() {
        carolMessages++;
        return carolGroup.encrypt(TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8), random.bytes(16));
    }

    /** Bob's engine receives {@code message} from the mailbox: the Output's save. Returns the bytes written. */
    public int receive(byte[] message) {
        return apply(receiveStep(message), bobStore);
    }

    /** The sequence number the next mailbox entry gets. */
    public long nextSeq() {
        return seq + 1;
    }

    /** Bob's step for {@code message}, applied to his store (for looking into). */
    public Output receiveStep(byte[] message) {
        now++;
        List<Entry> one = new ArrayList<>();
        one.add(new Entry(++seq, message));
        Output out = bob.entries(now, one);
        if (out.events.isEmpty() || out.events.get(0).kind != ClientEvent.Kind.MESSAGE) {
            throw new IllegalStateException("bob did not read the message: " + out.events);
        }
        return out;
    }

    /** The same message as before: decrypted by a bare group, which is then saved whole. */
    public int receiveWhole(byte[] message) {
        ProcessedMessage pm = bobGroup.process(message);
        if (pm.kind != ProcessedMessage.Kind.APPLICATION) {
            throw new IllegalStateException("not an application message");
        }
        return bobGroup.toBytes().length;
    }

    /** How many messages carol made (her next generation). */
    public int carolMessages() {
        return carolMessages;
    }

    public byte[] groupId() {
        return gid.clone();
    }

    /** Applies a save to a store as a host does; returns the bytes written (keys and values). */
    public static int apply(Output out, Map<String, byte[]> store) {
        int bytes = 0;
        for (Map.Entry<String, byte[]> e : out.persist.entrySet()) {
            bytes += e.getKey().length();
            if (e.getValue() == null) {
                store.remove(e.getKey());
            } else {
                store.put(e.getKey(), e.getValue());
                bytes += e.getValue().length;
            }
        }
        return bytes;
    }
}
