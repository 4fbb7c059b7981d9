package org.mlskit.distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;

/**
 * Participants for the Multi-MLS tests: identities, and for each participant one KeyPackage per
 * other participant's send group (a directory the tests hand out), and their sessions.
 */
final class Peers {
    static final CipherSuite SUITE = CipherSuite.of(1);
    static final byte[] SESSION = "test-session".getBytes(StandardCharsets.UTF_8);

    final RandomSource random;
    final Map<String, Identity> identities = new LinkedHashMap<>();
    /** owner -> participant -> that participant's KeyPackage for the owner's send group. */
    final Map<String, Map<String, KeyPackage>> directory = new HashMap<>();
    final Map<String, MultiSession> sessions = new LinkedHashMap<>();
    final Map<String, List<SessionEvent>> events = new HashMap<>();

    Peers(RandomSource random) {
        this.random = random;
    }

    Peers() {
        this(new SecureRandomSource());
    }

    /** Creates participants {@code names}, each with a KeyPackage for every name in {@code all}. */
    void create(List<String> names, List<String> all, MultiSessionConfig config) {
        for (String n : names) {
            identities.put(n, Identity.generate(SUITE, Credential.basic(n.getBytes(StandardCharsets.UTF_8)), random));
        }
        for (String n : names) {
            Identity id = identities.get(n);
            List<KeyPackageBundle> bundles = new ArrayList<>();
            for (String owner : all) {
                if (owner.equals(n)) {
                    continue;
                }
                KeyPackageBundle b = KeyPackageBundle.create(id, System.currentTimeMillis() / 1000, random);
                bundles.add(b);
                directory.computeIfAbsent(owner, o -> new HashMap<>()).put(n, b.keyPackage());
            }
            sessions.put(n, MultiSession.create(id, SESSION, bundles, config, random));
            events.put(n, new ArrayList<>());
        }
    }

    /** KeyPackages of {@code members} for {@code owner}'s send group. */
    List<KeyPackage> keyPackagesFor(String owner, List<String> members) {
        List<KeyPackage> out = new ArrayList<>();
        for (String m : members) {
            if (!m.equals(owner)) {
                out.add(directory.get(owner).get(m));
            }
        }
        return out;
    }

    MultiSession get(String name) {
        return sessions.get(name);
    }
}
