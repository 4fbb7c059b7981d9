package org.mlskit.group;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.tree.UpdatePath;

/** A Commit (RFC 9420 §12.4): the proposals it applies and, optionally, an UpdatePath. */
public final class Commit implements Encodable {
    public final List<ProposalOrRef> proposals;
    /** Null when the commit has no path. */
    public final UpdatePath path;

    public Commit(List<ProposalOrRef> proposals, UpdatePath path) {
        this.proposals = proposals;
        this.path = path;
    }

    @Override
    public void encode(TlsWriter out) {
        Codec.writeList(out, proposals);
        out.optional(path);
    }

    public static Commit decode(TlsReader in) {
        List<ProposalOrRef> proposals = Codec.readList(in, ProposalOrRef::decode);
        return new Commit(proposals, in.present() ? UpdatePath.decode(in) : null);
    }
}
