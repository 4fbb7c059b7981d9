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
}
