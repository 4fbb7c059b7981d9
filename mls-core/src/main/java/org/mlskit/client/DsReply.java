package org.mlskit.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The transport's answer to one {@link DsCall}: success with the fields its kind returns, or the
 * server's error code ({@code WRONG_EPOCH}, {@code NOT_MEMBER}, ...), or {@link #UNREACHABLE}
 * when no answer came (the engine retries what is safe to retry).
 */
public final class DsReply {
    /** The code of a call that got no answer (network down, timeout, server gone). */
    public static final String UNREACHABLE = "UNREACHABLE";

    public final long id;
    /** Null on success, else the error code. */
    public final String error;
    public final String message;
    public final String token;
    public final long expiresAt;
    public final long epoch;
    public final long seq;
    /** WRONG_EPOCH: the sequence number of the commit that started the room's epoch. */
    public final long from;
    /** CHALLENGE: the challenge; GROUP_INFO: the GroupInfo. */
    public final byte[] data;
    /** KeyPackage counts: unclaimed one-time KeyPackages per cipher suite. */
    public final Map<Integer, Integer> remaining;
    public final boolean rotateLastResort;
    public final List<Claim> claims;

    /** One device's result of a claim. */
    public static final class Claim {
        public final String device;
        /** {@code ok}, {@code keyMaterialExhausted} or {@code nothingCompatible}. */
        public final String status;
        public final byte[] keyPackage;

        public Claim(String device, String status, byte[] keyPackage) {
            this.device = device;
            this.status = status;
            this.keyPackage = keyPackage;
        }
    }

    private DsReply(long id, String error, String message, String token, long expiresAt, long epoch, long seq, long from,
            byte[] data, Map<Integer, Integer> remaining, boolean rotateLastResort, List<Claim> claims) {
        this.id = id;
        this.error = error;
        this.message = message;
        this.token = token;
        this.expiresAt = expiresAt;
        this.epoch = epoch;
        this.seq = seq;
        this.from = from;
        this.data = data;
        this.remaining = remaining == null ? Collections.<Integer, Integer>emptyMap() : remaining;
        this.rotateLastResort = rotateLastResort;
        this.claims = claims == null ? Collections.<Claim>emptyList() : claims;
    }

    public boolean ok() {
        return error == null;
    }

    public static DsReply failed(long id, String code, String message) {
        return new DsReply(id, code, message, null, 0, -1, -1, -1, null, null, false, null);
    }

    public static DsReply wrongEpoch(long id, long epoch, long from) {
        return new DsReply(id, "WRONG_EPOCH", "wrong epoch", null, 0, epoch, -1, from, null, null, false, null);
    }

    public static DsReply done(long id) {
        return new DsReply(id, null, null, null, 0, -1, -1, -1, null, null, false, null);
    }

    public static DsReply token(long id, String token, long expiresAt) {
        return new DsReply(id, null, null, token, expiresAt, -1, -1, -1, null, null, false, null);
    }

    public static DsReply data(long id, byte[] data) {
        return new DsReply(id, null, null, null, 0, -1, -1, -1, data, null, false, null);
    }

    public static DsReply accepted(long id, long epoch, long seq) {
        return new DsReply(id, null, null, null, 0, epoch, seq, -1, null, null, false, null);
    }

    public static DsReply count(long id, Map<Integer, Integer> remaining, boolean rotateLastResort) {
        return new DsReply(id, null, null, null, 0, -1, -1, -1, null, remaining, rotateLastResort, null);
    }

    public static DsReply claims(long id, List<Claim> claims) {
        return new DsReply(id, null, null, null, 0, -1, -1, -1, null, null, false, claims);
    }

    @Override
    public String toString() {
        return "DsReply#" + id + (error == null ? " ok" : " " + error);
    }
}
