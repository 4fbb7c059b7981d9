package org.mlskit.client;

/** One mailbox entry: its sequence number and its MLSMessage. */
public final class Entry {
    public final long seq;
    public final byte[] message;

    public Entry(long seq, byte[] message) {
        this.seq = seq;
        this.message = message;
    }
}
