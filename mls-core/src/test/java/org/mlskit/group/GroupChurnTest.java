package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.WireFormat;
import org.mlskit.schedule.PreSharedKeyId;

/**
 * Many epochs of random membership changes (seeded, so a failing run replays its choices): adds
 * by Welcome with and without paths, removes, updates, proposals from several members committed
 * by another, external joins and restores from saved state. After every step all members agree
 * and can talk, which exercises the tree (blanks, unmerged leaves, truncation) far beyond the
 * scripted scenarios.
 */
class GroupChurnTest {
    private static final int STEPS = 40;

    private final List<Group> live = new ArrayList<>();
    private Random choices;
    private CipherSuite cs;
    private int joined;

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void randomChurnKeepsEveryoneInAgreement(CipherSuite suite) {
        for (int wireFormat : new int[] {WireFormat.PRIVATE_MESSAGE, WireFormat.PUBLIC_MESSAGE}) {
            long seed = 1000L * suite.id() + wireFormat;
            cs = suite;
            choices = new Random(seed);
            live.clear();
            live.addAll(GroupFixture.group(cs, 3, GroupFixture.handshake(wireFormat)));
            joined = 3;
            for (int step = 0; step < STEPS; step++) {
                String what = step(choices.nextInt(6));
                String where = "seed " + seed + ", step " + step + " (" + what + ")";
                try {
                    GroupFixture.assertAgree(live);
                    Group sender = pick();
                    GroupFixture.assertMessageFlows(sender, live, where);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(where + ": " + e.getMessage(), e);
                }
            }
            assertTrue(joined > 3);
        }
    }

    private Group pick() {
        return live.get(choices.nextInt(live.size()));
    }

    private GroupConfig config() {
        return live.get(0).config();
    }

    private String step(int op) {
        switch (op) {
            case 0: {
                Group committer = pick();
                committer.setConfig(config().withAlwaysUpdatePath(choices.nextBoolean()));
                List<org.mlskit.keys.Identity> ids = new ArrayList<>();
                for (int i = 1 + choices.nextInt(2); i > 0; i--) {
                    ids.add(identity(cs, "c" + joined++));
                }
                live.addAll(GroupFixture.addByWelcome(committer, live, ids, config()));
                return "add " + ids.size() + " by leaf " + committer.myLeafIndex();
            }
            case 1: {
                if (live.size() <= 2) {
                    return step(2);
                }
                Group committer = pick();
                Group victim = pick();
                if (victim == committer) {
                    return step(2);
                }
                commitAndDeliver(committer, committer.remove(victim.myLeafIndex()));
                return "leaf " + committer.myLeafIndex() + " removes " + victim.myLeafIndex();
            }
            case 2: {
                Group committer = pick();
                commitAndDeliver(committer, committer.update());
                return "update by leaf " + committer.myLeafIndex();
            }
            case 3: {
                // Up to three members propose (update, remove or add); a fourth commits what is valid.
                for (int i = 0; i < 3; i++) {
                    Group proposer = pick();
                    int kind = choices.nextInt(3);
                    byte[] p;
                    if (kind == 0) {
                        p = proposer.proposeUpdate(null);
                    } else if (kind == 1 && live.size() > 2) {
                        p = proposer.proposeRemove(pick().myLeafIndex(), null);
                    } else {
                        p = proposer.proposeAdd(GroupFixture.keyPackage(identity(cs, "p" + joined++)).keyPackage(), null);
                    }
                    GroupFixture.deliverProposal(p, proposer, live);
                }
                Group committer = pick();
                StagedCommit sc = committer.commit(new ArrayList<>(), false, null);
                commitAndDeliver(committer, sc);
                // Added members whose KeyPackages the test threw away stay out: remove them again.
                if (!sc.added().isEmpty()) {
                    int[] leaves = new int[sc.added().size()];
                    for (int i = 0; i < leaves.length; i++) {
                        leaves[i] = sc.added().get(i).leafIndex;
                    }
                    Group cleaner = live.get(0);
                    commitAndDeliver(cleaner, cleaner.remove(leaves));
                }
                return "proposals committed by leaf " + committer.myLeafIndex();
            }
            case 4: {
                Group.ExternalJoin join = Group.joinExternally(pick().groupInfo(choices.nextBoolean(), true),
                        identity(cs, "x" + joined++), live.get(0).ratchetTree(), -1, Collections.<PreSharedKeyId>emptyList(),
                        null, config(), RANDOM);
                GroupFixture.acceptExternalJoin(live, join);
                return "external join at leaf " + join.group.myLeafIndex();
            }
            default: {
                int i = choices.nextInt(live.size());
                byte[] saved = live.get(i).toBytes();
                live.set(i, Group.fromBytes(saved, live.get(i).config(), RANDOM));
                return "restore leaf " + live.get(i).myLeafIndex();
            }
        }
    }

    /** The committer merges; everyone else processes; removed members leave the live set. */
    private void commitAndDeliver(Group committer, StagedCommit sc) {
        byte[] message = sc.message();
        committer.merge(sc);
        List<Group> removed = new ArrayList<>();
        for (Group g : live) {
            if (g == committer) {
                continue;
            }
            StagedCommit seen = GroupFixture.receiveCommit(g, message);
            if (seen.removesMe()) {
                assertEquals(Group.Status.REMOVED, g.status());
                removed.add(g);
            }
        }
        live.removeAll(removed);
    }
}
