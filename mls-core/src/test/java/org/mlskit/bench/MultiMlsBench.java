package org.mlskit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.distributed.LogEntry;
import org.mlskit.distributed.MultiSession;
import org.mlskit.distributed.MultiSessionConfig;
import org.mlskit.distributed.Step;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU of one logical operation summed over every participant (suite 1, one thread): Multi-MLS
 * (every participant's session, every entry delivered to everyone) against one shared group whose
 * commits a DS would order. send: one message read by all; update: one member's update and, for
 * Multi-MLS, every other owner's commit that takes it in (Update by reference + exporter PSK).
 * add: one newcomer joins (Multi-MLS: every owner adds it to its send group and it adds everyone to
 * its own, then it reads the owners' earlier log entries that its copies of their chains need;
 * shared: one Add). Messages and bytes of each are printed once at setup ([sizes]).
 * Multi-MLS at 200 members ({@link Wide}): only the sender's send group is built (a send touches
 * nothing else), and an update or an add is measured as one owner's round (a member's Update
 * proposal committed by reference with a path, read by all; an Add and its Welcome, read by all
 * and joined by the newcomer); a whole update or add is 200 such rounds, one per owner, each the
 * same by symmetry (200 full send groups would take 39,800 joins to set up).
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main -f 1 -wi 1 -i 3 MultiMlsBench"
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
public class MultiMlsBench {
    static final CipherSuite SUITE = CipherSuite.of(1);
    static final byte[] TEXT = new byte[100];

    @State(Scope.Benchmark)
    public static class Multi {
        @Param({"10", "50"})
        public int members;
        final List<MultiSession> sessions = new ArrayList<>();
        final List<Identity> ids = new ArrayList<>();
        int messages;
        long bytes;

        @Setup(Level.Trial)
        public void setup() {
            SecureRandomSource random = new SecureRandomSource();
            for (int i = 0; i < members; i++) {
                ids.add(Identity.generate(SUITE, Credential.basic(("p" + i).getBytes(StandardCharsets.UTF_8)), random));
            }
            // kps[owner][member]: member's KeyPackage for owner's send group.
            KeyPackage[][] kps = new KeyPackage[members][members];
            for (int m = 0; m < members; m++) {
                List<KeyPackageBundle> mine = new ArrayList<>();
                for (int o = 0; o < members; o++) {
                    if (o != m) {
                        KeyPackageBundle b = KeyPackageBundle.create(ids.get(m), System.currentTimeMillis() / 1000, random);
                        mine.add(b);
                        kps[o][m] = b.keyPackage();
                    }
                }
                // Sends alone: imports wait for the update round (PROTECT would otherwise commit first).
                sessions.add(MultiSession.create(ids.get(m), "bench".getBytes(StandardCharsets.UTF_8), mine,
                        MultiSessionConfig.DEFAULT.withCommitBeforeSend(false), random));
            }
            for (int o = 0; o < members; o++) {
                List<KeyPackage> others = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    if (m != o) {
                        others.add(kps[o][m]);
                    }
                }
                deliver(o, sessions.get(o).start(others));
            }
            for (int o = 0; o < members; o++) {
                deliver(o, sessions.get(o).commit()); // settle the initial imports
            }
            messages = 0;
            bytes = 0;
            send(this);
            System.out.println("\n[sizes] multi members=" + members + " send: " + messages + " entries " + bytes + " bytes");
            messages = 0;
            bytes = 0;
            update(this);
            System.out.println("[sizes] multi members=" + members + " update: " + messages + " entries " + bytes + " bytes");
            messages = 0;
            bytes = 0;
            Newcomer n = new Newcomer();
            n.make(this);
            add(this, n);
            System.out.println("[sizes] multi members=" + members + " add: " + messages + " entries " + bytes + " bytes");
        }

        void deliver(int from, Step s) {
            for (LogEntry e : s.publish) {
                messages++;
                bytes += e.toBytes().length;
                for (int i = 0; i < sessions.size(); i++) {
                    if (i != from) {
                        deliver(i, sessions.get(i).receive(e));
                    }
                }
            }
        }
    }

    /** A session of {@code members} where only participant 0's send group exists: what one send or one owner's round touches. */
    @State(Scope.Benchmark)
    public static class Wide {
        @Param({"200"})
        public int members;
        final Multi m = new Multi();

        @Setup(Level.Trial)
        public void setup() {
            SecureRandomSource random = new SecureRandomSource();
            List<KeyPackage> kps = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                Identity id = Identity.generate(SUITE, Credential.basic(("p" + i).getBytes(StandardCharsets.UTF_8)), random);
                KeyPackageBundle b = KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, random);
                if (i > 0) {
                    kps.add(b.keyPackage());
                }
                m.sessions.add(MultiSession.create(id, "bench".getBytes(StandardCharsets.UTF_8), List.of(b),
                        MultiSessionConfig.DEFAULT.withCommitBeforeSend(false), random));
            }
            // The members know the owner's signature key as if from its KeyPackage (everyone adds everyone in a real session).
            byte[] ownerKey = m.sessions.get(0).book().key("p0");
            for (int i = 1; i < members; i++) {
                m.sessions.get(i).book().trust("p0", ownerKey);
            }
            m.deliver(0, m.sessions.get(0).start(kps));
            m.messages = 0;
            m.bytes = 0;
            send(m);
            System.out.println("\n[sizes] wide members=" + members + " send: " + m.messages + " entries " + m.bytes + " bytes");
            m.messages = 0;
            m.bytes = 0;
            ownerRound(m, 1);
            System.out.println("[sizes] wide members=" + members + " one owner's round of an update: " + m.messages + " entries "
                    + m.bytes + " bytes (a whole update: " + members + " rounds)");
        }
    }

    /**
     * A newcomer's identity and KeyPackages (one per existing owner), and one fresh KeyPackage of
     * each existing member for the newcomer's send group: made before the measured add.
     */
    @State(Scope.Thread)
    public static class Newcomer {
        static int count;
        Identity id;
        final List<KeyPackageBundle> mine = new ArrayList<>();
        final List<KeyPackage> theirs = new ArrayList<>();

        @Setup(Level.Invocation)
        public void make(Multi m) {
            SecureRandomSource random = new SecureRandomSource();
            id = Identity.generate(SUITE, Credential.basic(("new" + count++).getBytes(StandardCharsets.UTF_8)), random);
            mine.clear();
            theirs.clear();
            long now = System.currentTimeMillis() / 1000;
            for (int i = 0; i < m.sessions.size(); i++) {
                mine.add(KeyPackageBundle.create(id, now, random));
                KeyPackageBundle b = KeyPackageBundle.create(m.ids.get(i), now, random);
                m.sessions.get(i).addKeyPackageBundles(List.of(b));
                theirs.add(b.keyPackage());
            }
        }
    }

    /** A newcomer's identity and one KeyPackage, for the shared group's add. */
    @State(Scope.Thread)
    public static class Joiner {
        static int count;
        Identity id;
        KeyPackageBundle bundle;

        @Setup(Level.Invocation)
        public void make() {
            SecureRandomSource random = new SecureRandomSource();
            id = Identity.generate(SUITE, Credential.basic(("joiner" + count++).getBytes(StandardCharsets.UTF_8)), random);
            bundle = KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, random);
        }
    }

    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"10", "50", "200"})
        public int members;
        final List<Group> groups = new ArrayList<>();
        int turn;

        @Setup(Level.Trial)
        public void setup() {
            SecureRandomSource random = new SecureRandomSource();
            GroupConfig config = GroupConfig.DEFAULT;
            Identity creator = Identity.generate(SUITE, Credential.basic("p0".getBytes(StandardCharsets.UTF_8)), random);
            Group g = Group.create(creator, "shared".getBytes(StandardCharsets.UTF_8), new ArrayList<>(), config, random);
            List<KeyPackageBundle> bundles = new ArrayList<>();
            List<Identity> ids = new ArrayList<>();
            List<KeyPackage> kps = new ArrayList<>();
            for (int i = 1; i < members; i++) {
                Identity id = Identity.generate(SUITE, Credential.basic(("p" + i).getBytes(StandardCharsets.UTF_8)), random);
                KeyPackageBundle b = KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, random);
                ids.add(id);
                bundles.add(b);
                kps.add(b.keyPackage());
            }
            StagedCommit sc = g.add(kps);
            g.merge(sc);
            groups.add(g);
            for (int i = 0; i < bundles.size(); i++) {
                groups.add(Group.join(sc.welcome(), bundles.get(i), ids.get(i), null, config, random));
            }
            System.out.println("\n[sizes] shared members=" + members + " send: 1 message " + groups.get(0).encrypt(TEXT, null).length
                    + " bytes");
            StagedCommit probe = groups.get(1).update();
            System.out.println("[sizes] shared members=" + members + " update: 1 commit " + probe.message().length + " bytes");
            groups.get(1).discard(probe);
            Identity newcomer = Identity.generate(SUITE, Credential.basic("probe".getBytes(StandardCharsets.UTF_8)), random);
            StagedCommit add = groups.get(0).add(List.of(KeyPackageBundle.create(newcomer, System.currentTimeMillis() / 1000, random)
                    .keyPackage()));
            System.out.println("[sizes] shared members=" + members + " add: 1 commit " + add.message().length + " bytes + Welcome "
                    + add.welcome().length + " bytes");
            groups.get(0).discard(add);
        }
    }

    static void send(Multi m) {
        m.deliver(0, m.sessions.get(0).protect(TEXT));
    }

    static void update(Multi m) {
        m.deliver(0, m.sessions.get(0).update());
        for (int o = 1; o < m.sessions.size(); o++) {
            m.deliver(o, m.sessions.get(o).commit());
        }
    }

    /** Member {@code who}'s Update proposal in owner 0's group, and owner 0's commit that takes it in, read by all. */
    static void ownerRound(Multi m, int who) {
        MultiSession member = m.sessions.get(who);
        m.deliver(who, member.update());
        m.deliver(0, m.sessions.get(0).commit());
    }

    /** Every owner adds the newcomer, who joins each send group and adds everyone to its own. */
    static void add(Multi m, Newcomer n) {
        MultiSession joiner = MultiSession.create(n.id, "bench".getBytes(StandardCharsets.UTF_8), n.mine,
                MultiSessionConfig.DEFAULT.withCommitBeforeSend(false), new SecureRandomSource());
        int at = m.sessions.size();
        m.sessions.add(joiner);
        m.ids.add(n.id);
        for (int o = 0; o < at; o++) {
            m.deliver(o, m.sessions.get(o).add(n.mine.get(o).keyPackage()));
        }
        m.deliver(at, joiner.start(n.theirs));
        // Anti-entropy: the owners' earlier log entries, which the newcomer's copies of their chains need.
        for (int o = 0; o < at; o++) {
            for (LogEntry e : m.sessions.get(o).book().missingFor(joiner.book().summary())) {
                m.deliver(at, joiner.receive(e));
            }
        }
    }

    @Benchmark
    public int multiSend(Multi m) {
        send(m);
        return m.messages;
    }

    @Benchmark
    public int multiUpdate(Multi m) {
        update(m);
        return m.messages;
    }

    @Benchmark
    public int multiAdd(Multi m, Newcomer n) {
        add(m, n);
        return m.messages;
    }

    @Benchmark
    public int wideSend(Wide w) {
        send(w.m);
        return w.m.messages;
    }

    @Benchmark
    public int wideOwnerRound(Wide w) {
        ownerRound(w.m, 1 + w.m.messages % (w.members - 1));
        return w.m.messages;
    }

    /** Owner 0 adds a newcomer to its send group, read by every member (one of the n owner rounds of an add at 200). */
    @Benchmark
    public int wideOwnerAdd(Wide w, Joiner n) {
        MultiSession joiner = MultiSession.create(n.id, "bench".getBytes(StandardCharsets.UTF_8), List.of(n.bundle),
                MultiSessionConfig.DEFAULT.withCommitBeforeSend(false), new SecureRandomSource());
        joiner.book().trust("p0", w.m.sessions.get(0).book().key("p0"));
        w.m.sessions.add(joiner);
        w.m.deliver(0, w.m.sessions.get(0).add(n.bundle.keyPackage()));
        return w.m.messages;
    }

    @Benchmark
    public int sharedAdd(Shared s, Joiner n) {
        Group g = s.groups.get(0);
        KeyPackageBundle b = n.bundle;
        StagedCommit sc = g.add(List.of(b.keyPackage()));
        g.merge(sc);
        for (int i = 1; i < s.groups.size(); i++) {
            Group r = s.groups.get(i);
            r.merge(r.process(sc.message()).commit);
        }
        s.groups.add(Group.join(sc.welcome(), b, n.id, null, GroupConfig.DEFAULT, new SecureRandomSource()));
        return s.groups.size();
    }

    @Benchmark
    public int sharedSend(Shared s) {
        byte[] msg = s.groups.get(0).encrypt(TEXT, null);
        int n = 0;
        for (int i = 1; i < s.groups.size(); i++) {
            n += s.groups.get(i).process(msg).kind == ProcessedMessage.Kind.APPLICATION ? 1 : 0;
        }
        return n;
    }

    @Benchmark
    public int sharedUpdate(Shared s) {
        int who = s.turn++ % s.groups.size();
        Group g = s.groups.get(who);
        StagedCommit sc = g.update();
        g.merge(sc);
        byte[] msg = sc.message();
        for (int i = 0; i < s.groups.size(); i++) {
            if (i != who) {
                Group r = s.groups.get(i);
                r.merge(r.process(msg).commit);
            }
        }
        return msg.length;
    }
}
