package org.mlskit.sframe;

/** A decrypted frame and what its KID says about it: the MLS epoch, the sender's leaf and its stream context. */
public final class ReceivedFrame {
    public final byte[] plaintext;
    public final long epoch;
    public final int senderLeaf;
    /** The sender's stream context id (unsigned). */
    public final long contextId;
    public final long kid;
    public final long ctr;

    ReceivedFrame(byte[] plaintext, long epoch, int senderLeaf, long contextId, long kid, long ctr) {
        this.plaintext = plaintext;
        this.epoch = epoch;
        this.senderLeaf = senderLeaf;
        this.contextId = contextId;
        this.kid = kid;
        this.ctr = ctr;
    }
}
