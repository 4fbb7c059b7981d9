package org.mlskit.ds.mailbox;

import java.util.Base64;

import org.mlskit.ds.relay.Relay;

/**
 * One mailbox entry: its sequence number (the cursor), its kind ({@code messages.kind}) and the
 * stored bytes: an MLSMessage, or for a relayed payload the sender's names and the payload.
 */
public final class Entry {
    private final long seq;
    private final int kind;
    private final byte[] message;
    private String json;

    public Entry(long seq, int kind, byte[] message) {
        this.seq = seq;
        this.kind = kind;
        this.message = message;
    }

    public long seq() {
        return seq;
    }

    public byte[] message() {
        return message;
    }

    /**
     * {@code {"seq":N,"message":"BASE64"}}, or {@code {"seq":N,"relay":"BASE64","from":"user/device"}}
     * for a relayed payload; encoded once and sent as it is to every recipient.
     */
    public synchronized String json() {
        if (json == null) {
            Base64.Encoder b64 = Base64.getEncoder();
            json = kind == Relay.KIND_RELAY
                    ? "{\"seq\":" + seq + ",\"relay\":\"" + b64.encodeToString(Relay.payload(message)) + "\",\"from\":\""
                            + Relay.from(message) + "\"}"
                    : "{\"seq\":" + seq + ",\"message\":\"" + b64.encodeToString(message) + "\"}";
        }
        return json;
    }
}
