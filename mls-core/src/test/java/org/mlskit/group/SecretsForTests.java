package org.mlskit.group;

/** For tests outside this package: secrets of a group's current epoch, to look for them in saved state. */
public final class SecretsForTests {
    private SecretsForTests() {
    }

    public static byte[] encryptionSecret(Group g) {
        return g.state().secrets.encryptionSecret();
    }

    public static int leafCount(Group g) {
        return g.state().secretTree.leafCount();
    }

    /** Whether any stored value holds {@code needle} anywhere: a secret that must be gone is not. */
    public static boolean anyHolds(java.util.Map<String, byte[]> store, byte[] needle) {
        for (byte[] v : store.values()) {
            outer:
            for (int i = 0; i + needle.length <= v.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (v[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
