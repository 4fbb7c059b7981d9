package org.mlskit.framing;

import org.mlskit.codec.Codec;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.group.GroupContext;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.Welcome;
import org.mlskit.keys.KeyPackage;

/** MLSMessage (RFC 9420 §6): the envelope of everything sent on the wire, tagged by wire format. */
public final class MlsMessage implements Encodable {
    public final int wireFormat;
    /** The body: a PublicMessage, PrivateMessage, Welcome, GroupInfo or KeyPackage. */
    public final Encodable body;

    public MlsMessage(int wireFormat, Encodable body) {
        this.wireFormat = wireFormat;
        this.body = body;
    }

    @Override
    public void encode(TlsWriter out) {
        out.u16(GroupContext.MLS10).u16(wireFormat);
        body.encode(out);
    }

    public static MlsMessage decode(TlsReader in) {
        int at = in.position();
        int version = in.u16();
        if (version != GroupContext.MLS10) {
            throw Codec.invalid(in, at, "protocol version " + version);
        }
        at = in.position();
        int wf = in.u16();
        switch (wf) {
            case WireFormat.PUBLIC_MESSAGE:
                return new MlsMessage(wf, PublicMessage.decode(in));
            case WireFormat.PRIVATE_MESSAGE:
                return new MlsMessage(wf, PrivateMessage.decode(in));
            case WireFormat.WELCOME:
                return new MlsMessage(wf, Welcome.decode(in));
            case WireFormat.GROUP_INFO:
                return new MlsMessage(wf, GroupInfo.decode(in));
            case WireFormat.KEY_PACKAGE:
                return new MlsMessage(wf, KeyPackage.decode(in));
            default:
                throw Codec.invalid(in, at, "wire format " + wf);
        }
    }

    /** Decodes a whole message; trailing bytes are malformed. */
    public static MlsMessage fromBytes(byte[] data) {
        return Codec.decodeAll(data, MlsMessage::decode);
    }
}
