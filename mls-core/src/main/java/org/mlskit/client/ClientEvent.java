package org.mlskit.client;

import java.util.Collections;
import java.util.List;

/** What the engine tells the application. */
public final class ClientEvent {
    public enum Kind {
        /**
         * Once per run: signed in, and the DS answered that it holds KeyPackages of this device, so
         * others can invite it now (or an ERROR came first saying why they cannot).
         */
        READY,
        /** A group was created here or joined by Welcome or external commit. */
        JOINED,
        /** An application message: {@link #sender} ("user/device"), {@link #data}. */
        MESSAGE,
        /** The members changed: {@link #members} ("user/device" each, by leaf). */
        MEMBERS,
        /** The group moved to {@link #epoch}; {@link #data} = its epoch authenticator (RFC 9420 §8.7). */
        EPOCH,
        /** This device is no longer in the group. */
        REMOVED,
        /** Something failed: {@link #code}, {@link #text}; the state is unchanged. */
        ERROR,
        /** An own message or intent is durable at the DS ({@link #seq}). */
        SENT
    }

    public final Kind kind;
    public final byte[] groupId;
    public final String sender;
    public final byte[] data;
    public final long epoch;
    public final long seq;
    public final List<String> members;
    public final String code;
    public final String text;

    ClientEvent(Kind kind, byte[] groupId, String sender, byte[] data, long epoch, long seq, List<String> members, String code,
            String text) {
        this.kind = kind;
        this.groupId = groupId;
        this.sender = sender;
        this.data = data;
        this.epoch = epoch;
        this.seq = seq;
        this.members = members == null ? Collections.<String>emptyList() : members;
        this.code = code;
        this.text = text;
    }

    static ClientEvent of(Kind kind, byte[] groupId) {
        return new ClientEvent(kind, groupId, null, null, -1, -1, null, null, null);
    }

    static ClientEvent message(byte[] groupId, String sender, byte[] data, long epoch, long seq) {
        return new ClientEvent(Kind.MESSAGE, groupId, sender, data, epoch, seq, null, null, null);
    }

    static ClientEvent members(byte[] groupId, List<String> members, long epoch) {
        return new ClientEvent(Kind.MEMBERS, groupId, null, null, epoch, -1, members, null, null);
    }

    static ClientEvent epoch(byte[] groupId, long epoch, byte[] authenticator) {
        return new ClientEvent(Kind.EPOCH, groupId, null, authenticator, epoch, -1, null, null, null);
    }

    static ClientEvent error(byte[] groupId, String code, String text) {
        return new ClientEvent(Kind.ERROR, groupId, null, null, -1, -1, null, code, text);
    }

    /** An own message (its plaintext as {@code data}) or leave proposal ({@code data} null) is durable at the DS. */
    static ClientEvent sent(byte[] groupId, long seq, byte[] data) {
        return new ClientEvent(Kind.SENT, groupId, null, data, -1, seq, null, null, null);
    }

    @Override
    public String toString() {
        return kind + (code != null ? " " + code + ": " + text : "") + (sender != null ? " from " + sender : "");
    }
}
