package org.mlskit.ds.mailbox;

import java.util.Base64;

/** One mailbox entry: its sequence number (the cursor) and the MLSMessage bytes. */
public final class Entry {
    private final long seq;
    private final byte[] message;
    private String json;

    public Entry(long seq, byte[] message) {
        this.seq = seq;
        this.message = message;
    }

    public long seq() {
        return seq;
    }

    public byte[] message() {
        return message;
    }

    /** {@code {"seq":N,"message":"BASE64"}}, encoded once and sent as it is to every recipient. */
    public synchronized String json() {
        if (json == null) {
            json = "{\"seq\":" + seq + ",\"message\":\"" + Base64.getEncoder().encodeToString(message) + "\"}";
        }
        return json;
    }
}
