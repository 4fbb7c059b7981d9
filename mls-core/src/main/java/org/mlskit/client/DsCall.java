package org.mlskit.client;

import java.util.Collections;
import java.util.List;

/**
 * A request the engine asks its transport to make to the delivery service (delivery-service/
 * README.md names each endpoint). The transport answers every call with one {@link DsReply}
 * carrying the same {@link #id}, whether the server answered, refused or could not be reached.
 */
public final class DsCall {
    /** What to call. */
    public enum Kind {
        /** POST /v1/challenges {user, device}: reply {@link DsReply#data} = the challenge. */
        CHALLENGE,
        /** POST /v1/devices: reply token, expiresAt. */
        REGISTER,
        /** POST /v1/tokens: reply token, expiresAt. */
        LOGIN,
        /** POST /v1/key-packages with {@link #messages}: reply remaining, lastResort, rotateLastResort. */
        UPLOAD_KEY_PACKAGES,
        /** GET /v1/key-packages: reply remaining, lastResort, rotateLastResort. */
        KEY_PACKAGE_COUNT,
        /** POST /v1/users/{user}/key-packages/claim {cipherSuites: [{@link #cipherSuite}]}: reply claims. */
        CLAIM,
        /** PUT /v1/groups/{group} with {@link #messages} = [GroupInfo]: reply epoch, seq. */
        CREATE_GROUP,
        /** POST /v1/groups/{group}/commits with {@link #messages} = [commit, Welcome?, GroupInfo]: reply epoch, seq. */
        COMMIT,
        /** POST /v1/groups/{group}/messages with {@link #messages} = [message]: reply epoch, seq. */
        SEND,
        /** GET /v1/groups/{group}/group-info: reply data = the GroupInfo. */
        GROUP_INFO,
        /** POST /v1/mailbox/ack {upTo = after}. */
        ACK,
        /**
         * Open the mailbox WebSocket from {@link #after}; pushed entries go to {@code entries(...)} in
         * order, and the reply (any) comes when the socket has closed, after its last entry.
         */
        SUBSCRIBE
    }

    public final long id;
    public final Kind kind;
    /** Needs the bearer token of this device ({@link ClientEngine#token()}). */
    public final boolean authenticated;
    public final String user;
    public final String device;
    public final byte[] groupId;
    /** MLSMessages to send as the {@code message/mls} body, in order. */
    public final List<byte[]> messages;
    /** REGISTER: suite, signature key, credential, challenge and signature, as the JSON body fields. */
    public final int cipherSuite;
    public final byte[] signatureKey;
    public final byte[] credential;
    public final byte[] challenge;
    public final byte[] signature;
    /** SUBSCRIBE: the cursor; ACK: upTo. */
    public final long after;
    /** REGISTER of a further device of its user: the link ticket another device asked for (null otherwise). */
    public final String linkTicket;

    DsCall(long id, Kind kind, boolean authenticated, String user, String device, byte[] groupId, List<byte[]> messages,
            int cipherSuite, byte[] signatureKey, byte[] credential, byte[] challenge, byte[] signature, long after) {
        this(id, kind, authenticated, user, device, groupId, messages, cipherSuite, signatureKey, credential, challenge, signature,
                after, null);
    }

    DsCall(long id, Kind kind, boolean authenticated, String user, String device, byte[] groupId, List<byte[]> messages,
            int cipherSuite, byte[] signatureKey, byte[] credential, byte[] challenge, byte[] signature, long after,
            String linkTicket) {
        this.linkTicket = linkTicket;
        this.id = id;
        this.kind = kind;
        this.authenticated = authenticated;
        this.user = user;
        this.device = device;
        this.groupId = groupId;
        this.messages = messages == null ? Collections.<byte[]>emptyList() : messages;
        this.cipherSuite = cipherSuite;
        this.signatureKey = signatureKey;
        this.credential = credential;
        this.challenge = challenge;
        this.signature = signature;
        this.after = after;
    }

    static DsCall simple(long id, Kind kind, String user, String device, byte[] groupId, List<byte[]> messages, long after) {
        return new DsCall(id, kind, kind != Kind.CHALLENGE && kind != Kind.LOGIN && kind != Kind.REGISTER, user, device,
                groupId, messages, 0, null, null, null, null, after);
    }

    /** CLAIM of one KeyPackage per device of {@code user} in {@code suite}. */
    static DsCall claim(long id, String user, int suite) {
        return new DsCall(id, Kind.CLAIM, true, user, null, null, null, suite, null, null, null, null, 0);
    }

    @Override
    public String toString() {
        return "DsCall#" + id + " " + kind;
    }
}
