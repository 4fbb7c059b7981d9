package org.mlskit.group;

import org.mlskit.keys.Credential;
import org.mlskit.keys.LeafNode;

/** A member as the application sees it: its leaf index and the credential and key it signs with. */
public final class Member {
    public final int leafIndex;
    public final Credential credential;
    private final byte[] signatureKey;
    private final byte[] encryptionKey;

    Member(int leafIndex, LeafNode leaf) {
        this.leafIndex = leafIndex;
        this.credential = leaf.credential;
        this.signatureKey = leaf.signatureKey;
        this.encryptionKey = leaf.encryptionKey;
    }

    public byte[] signatureKey() {
        return signatureKey.clone();
    }

    /** The leaf's current HPKE key; it changes with each update, so it tells one update from another. */
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public String toString() {
        return "Member(" + leafIndex + ")";
    }
}
