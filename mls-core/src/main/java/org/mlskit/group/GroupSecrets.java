package org.mlskit.group;

import java.util.List;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.schedule.PreSharedKeyId;

/** GroupSecrets (RFC 9420 §12.4.3.1): what a Welcome encrypts to each new member. */
public final class GroupSecrets implements Encodable {
    public final byte[] joinerSecret;
    /** Null when the joiner's leaf shares no path node with the committer's. */
    public final byte[] pathSecret;
    public final List<PreSharedKeyId> psks;

    public GroupSecrets(byte[] joinerSecret, byte[] pathSecret, List<PreSharedKeyId> psks) {
        this.joinerSecret = joinerSecret;
        this.pathSecret = pathSecret;
        this.psks = psks;
    }

    @Override
    public void encode(TlsWriter out) {
        out.opaque(joinerSecret);
        if (pathSecret == null) {
            out.u8(0);
        } else {
            out.u8(1).opaque(pathSecret);
        }
        Codec.writeList(out, psks);
    }

    public static GroupSecrets decode(TlsReader in) {
        byte[] joiner = in.opaque();
        byte[] path = in.present() ? in.opaque() : null;
        return new GroupSecrets(joiner, path, Codec.readList(in, PreSharedKeyId::decode));
    }
}
