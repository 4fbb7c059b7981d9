package org.mlskit.interop.mmls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.distributed.LogEntry;
import org.mlskit.distributed.LogItem;
import org.mlskit.distributed.MultiSession;
import org.mlskit.distributed.MultiSessionConfig;
import org.mlskit.distributed.SendGroupId;
import org.mlskit.distributed.SessionEvent;
import org.mlskit.distributed.Step;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * Runs a real Multi-MLS session (alice, bob, carol, later dave) through {@link MultiSession} with
 * in-order delivery and writes Alice's send group as Carol sees it, in the passive-client format of
 * the MLS test vectors (test-vectors.md) plus two fields of our own: per epoch the exporter PSKs its
 * commit imports ({@code external_psks}) and the application messages sent in it
 * ({@code application_messages}: message and plaintext); {@code initial_application_messages} are
 * those of the epoch Carol joins. Everything expected (PSK secrets, epoch authenticators,
 * plaintexts) is what Carol's own session computed while the session ran. Public mls-core API only.
 */
final class SendGroupTranscript {
    static final String EXPORTER_PSK_LABEL = "exporter-psk";
    static final List<String> ALL = List.of("alice", "bob", "carol", "dave");
    static final String ALICE = "alice";
    static final String CAROL = "carol";

    private final CipherSuite suite;
    private final RandomSource random;
    private final byte[] sessionId = "tsmls-interop".getBytes(StandardCharsets.UTF_8);
    private final Map<String, Identity> identities = new LinkedHashMap<>();
    /** owner -> participant -> that participant's KeyPackage bundle for the owner's send group. */
    private final Map<String, Map<String, KeyPackageBundle>> directory = new HashMap<>();
    private final Map<String, MultiSession> sessions = new LinkedHashMap<>();
    private final Deque<LogEntry> queue = new ArrayDeque<>();

    /** Every exporter PSK Carol's session could derive, psk_id (hex) to secret, as it ran. */
    private final Map<String, byte[]> carolPsks = new HashMap<>();
    /** Alice's group at Carol: epoch to epoch authenticator, and the plaintexts Carol decrypted in order. */
    private final Map<Long, byte[]> carolAuthenticators = new HashMap<>();
    private final List<byte[]> carolPlaintexts = new ArrayList<>();
    /** Alice's log entries, in order. */
    private final List<LogEntry> aliceLog = new ArrayList<>();
    /** What Alice protected, in order (checked against what Carol read). */
    private final List<byte[]> sent = new ArrayList<>();

    private final MultiSessionConfig config;

    private SendGroupTranscript(CipherSuite suite, int handshakeWireFormat, RandomSource random) {
        this.suite = suite;
        this.random = random;
        this.config = MultiSessionConfig.DEFAULT.withGroupConfig(
                MultiSessionConfig.DEFAULT.group.withHandshakeWireFormat(handshakeWireFormat));
    }

    /**
     * The transcript of one session in {@code suite}, proposals and commits sent as
     * {@code handshakeWireFormat} ({@link WireFormat#PRIVATE_MESSAGE}, the default, or PUBLIC_MESSAGE).
     */
    static JsonObject generate(CipherSuite suite, int handshakeWireFormat, RandomSource random) {
        return new SendGroupTranscript(suite, handshakeWireFormat, random).run();
    }

    private JsonObject run() {
        long now = System.currentTimeMillis() / 1000;
        for (String n : ALL) {
            identities.put(n, Identity.generate(suite, Credential.basic(n.getBytes(StandardCharsets.UTF_8)), random));
        }
        for (String n : ALL) {
            List<KeyPackageBundle> mine = new ArrayList<>();
            for (String owner : ALL) {
                if (!owner.equals(n)) {
                    KeyPackageBundle b = KeyPackageBundle.create(identities.get(n), now, random);
                    mine.add(b);
                    directory.computeIfAbsent(owner, o -> new HashMap<>()).put(n, b);
                }
            }
            sessions.put(n, MultiSession.create(identities.get(n), sessionId, mine, config, random));
        }
        List<String> abc = ALL.subList(0, 3);
        for (String n : abc) {
            act(n, s -> s.start(keyPackages(n, abc)));
        }
        say("hello from alice");
        say("second message");
        // Bob's UPDATE: an Update proposal in Alice's group, committed by reference by her next commit,
        // which also imports Bob's (and Carol's) newest epoch as exporter PSKs.
        act("bob", MultiSession::update);
        say("after bob's update");
        act(CAROL, s -> s.protect(utf8("carol's own group moves on")));
        act(ALICE, MultiSession::update);
        say("after alice's update");
        act("bob", s -> s.protect(utf8("bob imports alice")));
        act("bob", MultiSession::update);
        act(ALICE, MultiSession::commit);
        say("after the second import");
        act("dave", s -> s.start(keyPackages("dave", abc)));
        act(ALICE, s -> s.add(directory.get(ALICE).get("dave").keyPackage()));
        say("welcome dave");
        act(ALICE, s -> s.remove("bob"));
        say("bye bob");
        act(ALICE, MultiSession::commit);
        say("last");
        return write();
    }

    /** Alice's PROTECT (after committing what is pending, by the default policy). */
    private void say(String text) {
        sent.add(utf8(text));
        act(ALICE, s -> s.protect(utf8(text)));
    }

    private interface Action {
        Step on(MultiSession s);
    }

    /** One participant's action, then in-order delivery of everything it (and its effects) published. */
    private void act(String who, Action a) {
        handle(who, a.on(sessions.get(who)));
        while (!queue.isEmpty()) {
            LogEntry e = queue.poll();
            for (String n : ALL) {
                if (!n.equals(e.author)) {
                    handle(n, sessions.get(n).receive(e));
                }
            }
        }
    }

    private void handle(String who, Step step) {
        for (SessionEvent ev : step.events) {
            if (ev.kind == SessionEvent.Kind.REJECTED || ev.kind == SessionEvent.Kind.EQUIVOCATION
                    || ev.kind == SessionEvent.Kind.FORKED_DEPENDENCY) {
                throw new IllegalStateException(who + ": " + ev);
            }
            if (who.equals(CAROL) && ev.kind == SessionEvent.Kind.MESSAGE && ev.peer.equals(ALICE)) {
                carolPlaintexts.add(ev.data());
            }
        }
        if (who.equals(ALICE)) {
            aliceLog.addAll(step.publish);
        }
        queue.addAll(step.publish);
        if (who.equals(CAROL)) {
            carolSnapshot();
        }
    }

    /** What Carol's session holds now: the exporter PSK of every group she is in, Alice's authenticator. */
    private void carolSnapshot() {
        MultiSession carol = sessions.get(CAROL);
        List<String> owners = new ArrayList<>(carol.senders());
        owners.add(CAROL);
        for (String o : owners) {
            byte[] id = pskId(SendGroupId.of(sessionId, o), carol.epoch(o));
            carolPsks.put(Hex.toHexString(id), carol.exportFrom(o, EXPORTER_PSK_LABEL, id, suite.kdf().length()));
        }
        if (carol.epoch(ALICE) >= 0) {
            carolAuthenticators.put(carol.epoch(ALICE), carol.epochAuthenticator(ALICE));
        }
    }

    /** draft-xue-distributed-mls-02: psk_id = epoch (8 bytes, big-endian) || group id. */
    static byte[] pskId(byte[] groupId, long epoch) {
        return new TlsWriter(8 + groupId.length).u64(epoch).raw(groupId).toByteArray();
    }

    private List<KeyPackage> keyPackages(String owner, List<String> members) {
        List<KeyPackage> out = new ArrayList<>();
        for (String m : members) {
            if (!m.equals(owner)) {
                out.add(directory.get(owner).get(m).keyPackage());
            }
        }
        return out;
    }

    private JsonObject write() {
        byte[] aliceGroup = SendGroupId.of(sessionId, ALICE);
        KeyPackageBundle carolKp = directory.get(ALICE).get(CAROL);
        JsonObject out = new JsonObject();
        out.addProperty("cipher_suite", suite.id());
        JsonArray allPsks = new JsonArray();
        out.add("external_psks", allPsks);
        out.addProperty("key_package", hex(new MlsMessage(WireFormat.KEY_PACKAGE, carolKp.keyPackage()).toBytes()));
        out.addProperty("signature_priv", hex(identities.get(CAROL).signaturePrivateKey()));
        out.addProperty("encryption_priv", hex(carolKp.encryptionPrivateKey()));
        out.addProperty("init_priv", hex(carolKp.initPrivateKey()));
        out.add("ratchet_tree", JsonNull.INSTANCE);
        JsonArray epochs = new JsonArray();
        JsonArray apps = new JsonArray();
        long joined = -1;
        int plaintext = 0;
        for (LogEntry entry : aliceLog) {
            for (LogItem item : entry.items) {
                if (!Arrays.equals(item.groupId(), aliceGroup)) {
                    continue;
                }
                if (item.kind == LogItem.WELCOME && item.recipients.contains(CAROL)) {
                    joined = item.epoch;
                    out.addProperty("welcome", hex(item.message()));
                    out.addProperty("initial_epoch_authenticator", hex(authenticatorAt(joined)));
                    out.add("initial_application_messages", apps);
                } else if (joined < 0 || item.kind == LogItem.WELCOME || item.epoch < joined) {
                    continue; // before Carol joined, or a Welcome for someone else
                } else if (item.kind == LogItem.COMMIT) {
                    epochs.add(epoch(item, allPsks));
                    apps = new JsonArray();
                    epochs.get(epochs.size() - 1).getAsJsonObject().add("application_messages", apps);
                } else if (item.kind == LogItem.APPLICATION) {
                    JsonObject m = new JsonObject();
                    m.addProperty("message", hex(item.message()));
                    m.addProperty("plaintext", hex(carolPlaintexts.get(plaintext++)));
                    apps.add(m);
                }
            }
        }
        out.add("epochs", epochs);
        if (joined < 0 || plaintext != carolPlaintexts.size() || plaintext != sent.size()) {
            throw new IllegalStateException("Carol joined at " + joined + " and read " + carolPlaintexts.size()
                    + " of Alice's " + sent.size() + " messages, the transcript has " + plaintext);
        }
        for (int i = 0; i < sent.size(); i++) {
            if (!Arrays.equals(sent.get(i), carolPlaintexts.get(i))) {
                throw new IllegalStateException("Carol read other plaintext than Alice sent, message " + i);
            }
        }
        return out;
    }

    private JsonObject epoch(LogItem commit, JsonArray allPsks) {
        JsonObject e = new JsonObject();
        JsonArray proposals = new JsonArray();
        for (LogItem.Bundled b : commit.proposals) {
            proposals.add(hex(b.message()));
        }
        e.add("proposals", proposals);
        e.addProperty("commit", hex(commit.message()));
        e.addProperty("epoch_authenticator", hex(authenticatorAt(commit.epoch + 1)));
        JsonArray psks = new JsonArray();
        for (LogItem.Import imp : commit.imports) {
            String id = Hex.toHexString(pskId(imp.groupId, imp.epoch));
            byte[] secret = carolPsks.get(id);
            if (secret == null) {
                throw new IllegalStateException("Carol never derived the exporter PSK " + id);
            }
            JsonObject p = new JsonObject();
            p.addProperty("psk_id", id);
            p.addProperty("psk", hex(secret));
            psks.add(p);
            allPsks.add(p);
        }
        e.add("external_psks", psks);
        return e;
    }

    private byte[] authenticatorAt(long epoch) {
        byte[] a = carolAuthenticators.get(epoch);
        if (a == null) {
            throw new IllegalStateException("Carol was never in epoch " + epoch + " of Alice's send group");
        }
        return a;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return Hex.toHexString(b);
    }
}
