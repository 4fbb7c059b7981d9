package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlskit.group.GroupFixture.RANDOM;
import static org.mlskit.group.GroupFixture.assertAgreeAndTalk;
import static org.mlskit.group.GroupFixture.deliver;
import static org.mlskit.group.GroupFixture.deliverProposal;
import static org.mlskit.group.GroupFixture.joiner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupFixture.Joiner;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;

/**
 * A ReInit that keeps the group id (§11.2 allows it; the MLS working group's interop scripts
 * change only the suite or the extensions): the successor's reinit PSK names the old group's
 * epoch under the same id, and must still resolve from the old group.
 */
class ReInitSameGroupIdTest {

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void reInitKeepingTheGroupId(CipherSuite cs) {
        List<Group> old = GroupFixture.group(cs, 2, GroupConfig.DEFAULT);
        Group a = old.get(0);
        Group b = old.get(1);
        CipherSuite next = CipherSuite.of(cs.id() % 3 + 1);
        deliverProposal(a.proposeReInit(a.groupId(), next, Collections.<Extension>emptyList(), null), a, old);
        deliver(a, a.commit(new ArrayList<>(), false, null), old);
        Joiner newB = joiner(Identity.generate(next, b.identity().credential(), RANDOM));
        Group.Successor successor = a.reInitialize(Identity.generate(next, a.identity().credential(), RANDOM),
                Collections.singletonList(newB.keyPackage()));
        assertArrayEquals(b.groupId(), successor.group.groupId());
        assertEquals(next, successor.group.suite());
        Group nb = newB.join(successor.welcome(), GroupConfig.DEFAULT.withPskStore(Group.pskStoreWith(PskStore.NONE, b)));
        List<Group> renewed = new ArrayList<>();
        renewed.add(successor.group);
        renewed.add(nb);
        assertAgreeAndTalk(renewed);
    }
}
