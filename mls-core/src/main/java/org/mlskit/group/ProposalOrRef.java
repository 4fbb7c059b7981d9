package org.mlskit.group;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** A proposal carried in a Commit by value, or by reference to one sent earlier (RFC 9420 §12.4). */
public final class ProposalOrRef implements Encodable {
    public static final int PROPOSAL = 1;
    public static final int REFERENCE = 2;

    public final Proposal proposal;
    public final byte[] reference;

    private ProposalOrRef(Proposal proposal, byte[] reference) {
        this.proposal = proposal;
        this.reference = reference;
    }

    public static ProposalOrRef byValue(Proposal p) {
        return new ProposalOrRef(p, null);
    }

    public static ProposalOrRef byReference(byte[] ref) {
        return new ProposalOrRef(null, ref);
    }

    @Override
    public void encode(TlsWriter out) {
        if (proposal != null) {
            out.u8(PROPOSAL);
            proposal.encode(out);
        } else {
            out.u8(REFERENCE);
            out.opaque(reference);
        }
    }

    public static ProposalOrRef decode(TlsReader in) {
        int at = in.position();
        int type = in.u8();
        switch (type) {
            case PROPOSAL:
                return byValue(Proposal.decode(in));
            case REFERENCE:
                return byReference(in.opaque());
            default:
                throw Codec.invalid(in, at, "ProposalOrRefType " + type);
        }
    }
}
