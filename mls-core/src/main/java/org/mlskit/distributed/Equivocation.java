package org.mlskit.distributed;

import java.util.Arrays;

import org.mlskit.crypto.CipherSuite;

/**
 * Proof that an author signed two things that cannot both be honest: two different entries at one
 * position of its log, or two different commits for one epoch of its own send group. The two
 * signed entries are the whole proof; {@link #verify} needs only the author's signature key.
 */
public final class Equivocation {
    public enum Kind {
        /** Two different entries with the same seq in the author's log. */
        SAME_POSITION,
        /** Two different commits of the author's send group for the same epoch. */
        SAME_EPOCH
    }

    public final Kind kind;
    public final LogEntry first;
    public final LogEntry second;

    Equivocation(Kind kind, LogEntry first, LogEntry second) {
        this.kind = kind;
        this.first = first;
        this.second = second;
    }

    public String author() {
        return first.author;
    }

    /** Whether the two entries, alone, prove that the holder of {@code authorKey} equivocated. */
    public boolean verify(CipherSuite suite, byte[] authorKey) {
        return verify(suite, authorKey, kind, first, second);
    }

    public static boolean verify(CipherSuite suite, byte[] authorKey, Kind kind, LogEntry a, LogEntry b) {
        if (!a.author.equals(b.author) || a.sameAs(b) || !a.verify(suite, authorKey) || !b.verify(suite, authorKey)) {
            return false;
        }
        if (kind == Kind.SAME_POSITION) {
            return a.seq == b.seq;
        }
        for (LogItem x : a.items) {
            if (x.kind != LogItem.COMMIT || !a.author.equals(SendGroupId.owner(x.groupIdRef()))) {
                continue;
            }
            for (LogItem y : b.items) {
                if (y.kind == LogItem.COMMIT && y.epoch == x.epoch && Arrays.equals(y.groupIdRef(), x.groupIdRef())
                        && !Arrays.equals(y.messageRef(), x.messageRef())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return kind + " by " + author() + ": " + first + " / " + second;
    }
}
