package org.mlskit.fuzz;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;

/** What one input did: accepted, rejected with a typed error, or a bug (anything else). */
public final class Outcome {
    public enum Kind { ACCEPTED, REJECTED, FAILED }

    public final Kind kind;
    /** For REJECTED. */
    public final ErrorCode code;
    /**
     * For FAILED: what broke, e.g. "java.lang.NullPointerException at Joining.derivePathKeys"; for
     * REJECTED: the exception's message.
     */
    public final String detail;

    private Outcome(Kind kind, ErrorCode code, String detail) {
        this.kind = kind;
        this.code = code;
        this.detail = detail;
    }

    static final Outcome ACCEPTED = new Outcome(Kind.ACCEPTED, null, null);

    static Outcome rejected(ErrorCode code, String message) {
        return new Outcome(Kind.REJECTED, code, message);
    }

    static Outcome failed(String detail) {
        return new Outcome(Kind.FAILED, null, detail);
    }

    /**
     * The oracle for anything thrown: a typed {@link MlsException} with a specific code is a
     * rejection; an untyped exception, an error (OutOfMemoryError, StackOverflowError) or a code
     * named INTERNAL is a bug.
     */
    static Outcome of(Throwable t) {
        if (t instanceof MlsException) {
            ErrorCode code = ((MlsException) t).code();
            if (code != null && !"INTERNAL".equals(code.name())) {
                return rejected(code, t.getMessage());
            }
        }
        return failed(describe(t));
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; trace != null && i < trace.length && i < 4; i++) {
            sb.append(i == 0 ? " at " : " < ").append(trace[i].getClassName()).append('.').append(trace[i].getMethodName())
                    .append(':').append(trace[i].getLineNumber());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        switch (kind) {
            case ACCEPTED:
                return "accepted";
            case REJECTED:
                return "rejected:" + code;
            default:
                return "FAILED:" + detail;
        }
    }
}
