package org.mlskit.ds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.ds.auth.ChallengeProof;
import org.mlskit.ds.client.DsClient;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.MessageInfo;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/** A device in tests: an MLS identity, its KeyPackages' private parts, its groups, and a DsClient. */
public final class TestDevice {
    static final SecureRandomSource RANDOM = new SecureRandomSource();
    public static final SecureRandomSource RANDOM_SOURCE = RANDOM;

    public final DsClient ds;
    public final Identity identity;
    private final Map<String, KeyPackageBundle> bundles = new HashMap<>();

    private TestDevice(DsClient ds) {
        this.ds = ds;
        this.identity = ds.identity();
    }

    /** A new device (not registered yet). */
    public static TestDevice of(String base, String user, String device, int suite) {
        Identity id = Identity.generate(CipherSuite.of(suite), ChallengeProof.credentialFor(user, device), RANDOM);
        return new TestDevice(new DsClient(base, user, device, id));
    }

    /** A new device of a new user, registered. */
    public static TestDevice registered(String base, String user, String device) {
        TestDevice d = of(base, user, device, 1);
        d.ds.register();
        return d;
    }

    /** Makes {@code n} KeyPackages (MLSMessages), keeping their private parts. */
    public List<byte[]> keyPackages(int n, boolean lastResort) {
        List<byte[]> out = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < n; i++) {
            KeyPackageBundle b = KeyPackageBundle.create(identity, now - 3600, now + 30L * 86400, List.of(), List.of(),
                    lastResort, RANDOM);
            bundles.put(Arrays.toString(b.keyPackage().ref(identity.suite())), b);
            out.add(new MlsMessage(WireFormat.KEY_PACKAGE, b.keyPackage()).toBytes());
        }
        return out;
    }

    /** Makes and uploads {@code n} one-time KeyPackages. */
    public void upload(int n) {
        ds.uploadKeyPackages(keyPackages(n, false));
    }

    public Group createGroup(byte[] groupId) {
        Group g = Group.create(identity, groupId, List.of(), GroupConfig.DEFAULT, RANDOM);
        ds.createGroup(groupId, g.groupInfo(true, true));
        return g;
    }

    /** Adds every claimed device of {@code users} to {@code g} through the DS; returns the Welcome. */
    public byte[] invite(Group g, String... users) {
        List<KeyPackage> kps = new ArrayList<>();
        for (String u : users) {
            for (DsClient.Claimed c : ds.claim(u, identity.suite().id())) {
                if (!c.ok()) {
                    throw new AssertionError(u + "/" + c.device() + ": " + c.status());
                }
                kps.add((KeyPackage) MlsMessage.fromBytes(c.keyPackage()).body);
            }
        }
        StagedCommit staged = g.add(kps);
        send(g, staged);
        return staged.welcome();
    }

    /** Sends an own staged commit with its GroupInfo; merges it only once the DS accepted it. */
    public DsClient.Accepted send(Group g, StagedCommit staged) {
        DsClient.Accepted a = ds.commit(g.groupId(), staged.message(), staged.welcome(), g.groupInfo(staged, true, true));
        g.merge(staged);
        return a;
    }

    /** Joins from a Welcome addressed to one of this device's KeyPackages. */
    public Group join(byte[] welcome) {
        MessageInfo info = MessageInfo.inspect(welcome);
        for (byte[] ref : info.keyPackageRefs()) {
            KeyPackageBundle b = bundles.get(Arrays.toString(ref));
            if (b != null) {
                return Group.join(welcome, b, identity, null, GroupConfig.DEFAULT, RANDOM);
            }
        }
        throw new AssertionError("the Welcome is for none of " + ds.user() + "/" + ds.device() + "'s KeyPackages");
    }
}
