package org.mlskit.group;

import java.util.Collections;
import java.util.List;

import org.mlskit.codec.DecodeException;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.Extension;

/** The GroupContext of RFC 9420 §8.1: what every member agrees on in an epoch. Immutable. */
public final class GroupContext implements Encodable {
    /** ProtocolVersion mls10. */
    public static final int MLS10 = 1;

    private final int cipherSuite;
    private final byte[] groupId;
    private final long epoch;
    private final byte[] treeHash;
    private final byte[] confirmedTranscriptHash;
    private final List<Extension> extensions;

    public GroupContext(int cipherSuite, byte[] groupId, long epoch, byte[] treeHash, byte[] confirmedTranscriptHash,
            List<Extension> extensions) {
        this.cipherSuite = cipherSuite;
        this.groupId = groupId.clone();
        this.epoch = epoch;
        this.treeHash = treeHash.clone();
        this.confirmedTranscriptHash = confirmedTranscriptHash.clone();
        this.extensions = Collections.unmodifiableList(new java.util.ArrayList<>(extensions));
    }

    public int cipherSuite() {
        return cipherSuite;
    }

    public byte[] groupId() {
        return groupId.clone();
    }

    public long epoch() {
        return epoch;
    }

    public byte[] treeHash() {
        return treeHash.clone();
    }

    public byte[] confirmedTranscriptHash() {
        return confirmedTranscriptHash.clone();
    }

    public List<Extension> extensions() {
        return extensions;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(MLS10).u16(cipherSuite).opaque(groupId).u64(epoch).opaque(treeHash).opaque(confirmedTranscriptHash);
        Extension.encodeList(out, extensions);
    }

    public static GroupContext decode(TlsReader in) {
        int at = in.position();
        int version = in.u16();
        if (version != MLS10) {
            throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at, "protocol version " + version);
        }
        int suite = in.u16();
        byte[] groupId = in.opaque();
        long epoch = in.u64();
        byte[] treeHash = in.opaque();
        byte[] cth = in.opaque();
        return new GroupContext(suite, groupId, epoch, treeHash, cth, Extension.decodeList(in));
    }
}
