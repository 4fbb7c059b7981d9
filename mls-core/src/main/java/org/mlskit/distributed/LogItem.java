package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * One MLS message in a log entry, with the public metadata a receiver needs to order it: which
 * send group and epoch it belongs to, who a Welcome is for, what a commit imports and which
 * proposals it commits by reference. Immutable.
 */
public final class LogItem {
    public static final int WELCOME = 1;
    public static final int COMMIT = 2;
    public static final int APPLICATION = 3;
    public static final int UPDATE_PROPOSAL = 4;

    /** An exporter PSK a commit imports: epoch {@code epoch} of {@code groupId}, whose commit hashes to {@code commitHash}. */
    public static final class Import {
        public final byte[] groupId;
        public final long epoch;
        public final byte[] commitHash;

        public Import(byte[] groupId, long epoch, byte[] commitHash) {
            this.groupId = groupId.clone();
            this.epoch = epoch;
            this.commitHash = commitHash.clone();
        }
    }

    /** A member's proposal (an MLSMessage) that the owner's commit includes by reference. */
    public static final class Bundled {
        public final String sender;
        private final byte[] message;

        public Bundled(String sender, byte[] message) {
            this.sender = sender;
            this.message = message.clone();
        }

        public byte[] message() {
            return message.clone();
        }
    }

    public final int kind;
    private final byte[] groupId;
    public final long epoch;
    private final byte[] message;
    /** A Welcome's joiners; the participants a commit removes. */
    public final List<String> recipients;
    public final List<Import> imports;
    public final List<Bundled> proposals;

    private LogItem(int kind, byte[] groupId, long epoch, byte[] message, List<String> recipients, List<Import> imports,
            List<Bundled> proposals) {
        if (kind < WELCOME || kind > UPDATE_PROPOSAL) {
            throw new MlsException(ErrorCode.MALFORMED, "unknown log item kind " + kind);
        }
        this.kind = kind;
        this.groupId = groupId.clone();
        this.epoch = epoch;
        this.message = message.clone();
        this.recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
        this.imports = Collections.unmodifiableList(new ArrayList<>(imports));
        this.proposals = Collections.unmodifiableList(new ArrayList<>(proposals));
    }

    static LogItem welcome(byte[] groupId, long epoch, byte[] welcome, List<String> recipients) {
        return new LogItem(WELCOME, groupId, epoch, welcome, recipients, List.of(), List.of());
    }

    static LogItem commit(byte[] groupId, long epoch, byte[] commit, List<Import> imports, List<Bundled> proposals) {
        return commit(groupId, epoch, commit, imports, proposals, List.of());
    }

    /**
     * A commit naming the participants it removes ({@code recipients} of a commit item): public
     * metadata, signed with the entry, so that a peer who joins the send group later, or never,
     * can follow removals it cannot decrypt (draft -02: every member removes whom an owner removed).
     */
    static LogItem commit(byte[] groupId, long epoch, byte[] commit, List<Import> imports, List<Bundled> proposals,
            List<String> removed) {
        return new LogItem(COMMIT, groupId, epoch, commit, removed, imports, proposals);
    }

    static LogItem application(byte[] groupId, long epoch, byte[] message) {
        return new LogItem(APPLICATION, groupId, epoch, message, List.of(), List.of(), List.of());
    }

    static LogItem updateProposal(byte[] groupId, long epoch, byte[] proposal) {
        return new LogItem(UPDATE_PROPOSAL, groupId, epoch, proposal, List.of(), List.of(), List.of());
    }

    public byte[] groupId() {
        return groupId.clone();
    }

    byte[] groupIdRef() {
        return groupId;
    }

    public byte[] message() {
        return message.clone();
    }

    byte[] messageRef() {
        return message;
    }

    void encode(TlsWriter w) {
        w.u8(kind).opaque(groupId).u64(epoch).opaque(message);
        int m = w.beginVector();
        for (String r : recipients) {
            w.utf8(r);
        }
        w.endVector(m);
        m = w.beginVector();
        for (Import i : imports) {
            w.opaque(i.groupId).u64(i.epoch).opaque(i.commitHash);
        }
        w.endVector(m);
        m = w.beginVector();
        for (Bundled b : proposals) {
            w.utf8(b.sender).opaque(b.message);
        }
        w.endVector(m);
    }

    static LogItem decode(TlsReader in) {
        int kind = in.u8();
        byte[] gid = in.opaque();
        long epoch = in.u64();
        byte[] msg = in.opaque();
        List<String> recipients = new ArrayList<>();
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            recipients.add(v.utf8());
        }
        List<Import> imports = new ArrayList<>();
        v = in.vector();
        while (v.hasRemaining()) {
            imports.add(new Import(v.opaque(), v.u64(), v.opaque()));
        }
        List<Bundled> proposals = new ArrayList<>();
        v = in.vector();
        while (v.hasRemaining()) {
            proposals.add(new Bundled(v.utf8(), v.opaque()));
        }
        return new LogItem(kind, gid, epoch, msg, recipients, imports, proposals);
    }
}
