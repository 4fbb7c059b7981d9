package org.mlskit.group;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.Sender;
import org.mlskit.keys.Identity;

/**
 * The versioned binary form of a whole {@link Group}, private keys included: current and
 * retained epochs, cached proposals, pending Update keys and a committed ReInit.
 */
final class SavedGroup {
    static final int STATE_VERSION = 1;

    private SavedGroup() {
    }

    /** See {@link Group#toBytes}. */
    static byte[] toBytes(Group g, boolean withoutStaged) {
        if (g.staged != null && !withoutStaged) {
            throw new MlsException(ErrorCode.INVALID_STATE, "merge or discard the staged commit before saving");
        }
        TlsWriter w = new TlsWriter(4096);
        w.u16(STATE_VERSION).u16(g.suite().id()).u8(g.status().ordinal());
        w.opaque(g.identity().toBytes());
        g.state().encode(w);
        w.u32(g.past.size());
        for (EpochState s : g.past) {
            s.encode(w);
        }
        SavedGroup.encodePending(w, g);
        return w.toByteArray();
    }

    /** See {@link Group#fromBytes}. */
    static Group fromBytes(byte[] data, GroupConfig config, RandomSource random) {
        try {
            TlsReader in = new TlsReader(data);
            int version = in.u16();
            if (version != STATE_VERSION) {
                throw new MlsException(ErrorCode.UNSUPPORTED, "saved group version " + version + "; this build reads "
                        + STATE_VERSION);
            }
            CipherSuite suite = CipherSuite.of(in.u16());
            int status = in.u8();
            if (status >= Group.Status.values().length) {
                throw new MlsException(ErrorCode.MALFORMED, "saved group status " + status);
            }
            Identity identity = Identity.fromBytes(in.opaque());
            Group g = new Group(suite, identity, config, random, EpochState.decode(suite, in));
            g.status = Group.Status.values()[status];
            for (int i = in.u32(); i > 0; i--) {
                g.past.addLast(EpochState.decode(suite, in));
            }
            SavedGroup.decodePending(in, g);
            in.finish();
            return g;
        } catch (DecodeException | ClassCastException e) {
            throw new MlsException(ErrorCode.MALFORMED, "not a saved group: " + e.getMessage());
        }
    }

    /** What a group holds between epochs' commits: cached proposals, pending Update keys, a committed ReInit. */
    static void encodePending(TlsWriter w, Group g) {
        w.u32(g.cached.size());
        for (ProposalList.Entry e : g.cached) {
            e.proposal.encode(w);
            e.sender.encode(w);
            w.opaque(e.ref);
        }
        w.u32(g.pendingUpdateKeys.size());
        for (byte[][] kp : g.pendingUpdateKeys) {
            w.opaque(kp[0]).opaque(kp[1]);
        }
        Proposal.ReInit reInit = g.pendingReInit();
        w.u8(reInit == null ? 0 : 1);
        if (reInit != null) {
            reInit.encode(w);
        }
    }

    static void decodePending(TlsReader in, Group g) {
        for (int i = in.u32(); i > 0; i--) {
            Proposal p = Proposal.decode(in);
            g.cached.add(new ProposalList.Entry(p, Sender.decode(in), in.opaque()));
        }
        for (int i = in.u32(); i > 0; i--) {
            g.pendingUpdateKeys.add(new byte[][] {in.opaque(), in.opaque()});
        }
        if (in.u8() == 1) {
            g.pendingReInit = (Proposal.ReInit) Proposal.decode(in);
        }
    }
}
