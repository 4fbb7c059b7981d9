package org.mlskit.distributed;

import org.mlskit.ErrorCode;

/** What a {@link MultiSession} tells its application. Immutable. */
public final class SessionEvent {
    public enum Kind {
        /** An application message from {@link #peer}, the owner of the send group it came in. */
        MESSAGE,
        /** This participant joined {@link #peer}'s send group. */
        JOINED,
        /** Membership of {@link #peer}'s send group changed (this participant's own: its roster). */
        ROSTER_CHANGED,
        /** {@link #peer} removed this participant from its send group. */
        REMOVED,
        /** This participant excised {@link #peer} from its send group: silent beyond the bound (MultiSessionConfig). */
        EXCISED,
        /** {@link #peer}'s log waits on a commit dependency not yet satisfiable (not an error). */
        WAITING,
        /** {@link #peer}'s commit imports an epoch from the branch of an equivocation this participant did not follow. */
        FORKED_DEPENDENCY,
        /** {@link #peer} equivocated; {@link #evidence} proves it. */
        EQUIVOCATION,
        /** An item of {@link #peer}'s log was refused ({@link #code} says why) and skipped. */
        REJECTED
    }

    public final Kind kind;
    public final String peer;
    private final byte[] data;
    public final Equivocation evidence;
    public final ErrorCode code;
    public final String detail;

    SessionEvent(Kind kind, String peer, byte[] data, Equivocation evidence, ErrorCode code, String detail) {
        this.kind = kind;
        this.peer = peer;
        this.data = data;
        this.evidence = evidence;
        this.code = code;
        this.detail = detail;
    }

    static SessionEvent of(Kind kind, String peer, String detail) {
        return new SessionEvent(kind, peer, null, null, null, detail);
    }

    /** The plaintext of a MESSAGE, else null. */
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public String toString() {
        return kind + "(" + peer + (code == null ? "" : " " + code) + (detail == null ? "" : " " + detail) + ")";
    }
}
