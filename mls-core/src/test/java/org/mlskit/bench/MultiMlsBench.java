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
 * Messages and bytes of each are printed once at setup ([sizes]). Multi-MLS at 200 members is not
 * set up here (200 send groups of 200: 39,800 joins); its cost grows as the 10 and 50 rows show.
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
        int messages;
        long bytes;

        @Setup(Level.Trial)
        public void setup() {
            SecureRandomSource random = new SecureRandomSource();
            List<Identity> ids = new ArrayList<>();
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
