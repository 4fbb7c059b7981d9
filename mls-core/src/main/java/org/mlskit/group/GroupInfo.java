package org.mlskit.group;

import java.util.List;

import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.keys.Extension;

/** GroupInfo (RFC 9420 §12.4.3): the group's state as a joiner needs it, signed by a member. */
public final class GroupInfo implements Encodable {
    public final GroupContext groupContext;
    public final List<Extension> extensions;
    public final byte[] confirmationTag;
    public final int signer;
    public final byte[] signature;

    public GroupInfo(GroupContext groupContext, List<Extension> extensions, byte[] confirmationTag, int signer,
            byte[] signature) {
        this.groupContext = groupContext;
        this.extensions = extensions;
        this.confirmationTag = confirmationTag;
        this.signer = signer;
        this.signature = signature;
    }

    /** GroupInfoTBS. */
    public byte[] toBeSigned() {
        TlsWriter w = new TlsWriter(256);
        groupContext.encode(w);
        Extension.encodeList(w, extensions);
        w.opaque(confirmationTag).u32(signer);
        return w.toByteArray();
    }

    public boolean verify(CipherSuite suite, byte[] signerKey) {
        return suite.verifyWithLabel(signerKey, "GroupInfoTBS", toBeSigned(), signature);
    }

    @Override
    public void encode(TlsWriter out) {
        groupContext.encode(out);
        Extension.encodeList(out, extensions);
        out.opaque(confirmationTag).u32(signer).opaque(signature);
    }

    public static GroupInfo decode(TlsReader in) {
        GroupContext ctx = GroupContext.decode(in);
        List<Extension> ext = Extension.decodeList(in);
        byte[] tag = in.opaque();
        int signer = in.u32();
        return new GroupInfo(ctx, ext, tag, signer, in.opaque());
    }
}
