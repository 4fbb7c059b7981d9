package org.mlskit.interop.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.GroupInfo;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.RatchetTree;

import com.google.protobuf.ByteString;

/** Decoding what the harness sends (MLSMessages, trees, extension lists) and encoding what it gets back. */
final class Wire {
    private Wire() {
    }

    static ByteString bytes(byte[] b) {
        return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
    }

    static byte[] orNull(ByteString b) {
        return b.isEmpty() ? null : b.toByteArray();
    }

    static KeyPackage keyPackage(ByteString message) {
        MlsMessage m = MlsMessage.fromBytes(message.toByteArray());
        if (m.wireFormat != WireFormat.KEY_PACKAGE) {
            throw InteropException.badRequest("expected an MLSMessage(KeyPackage), got wire format " + m.wireFormat);
        }
        return (KeyPackage) m.body;
    }

    static byte[] keyPackageMessage(KeyPackage kp) {
        return new MlsMessage(WireFormat.KEY_PACKAGE, kp).toBytes();
    }

    static GroupInfo groupInfo(ByteString message) {
        MlsMessage m = MlsMessage.fromBytes(message.toByteArray());
        if (m.wireFormat != WireFormat.GROUP_INFO) {
            throw InteropException.badRequest("expected an MLSMessage(GroupInfo), got wire format " + m.wireFormat);
        }
        return (GroupInfo) m.body;
    }

    static CipherSuite suite(int id) {
        try {
            return CipherSuite.of(id);
        } catch (MlsException e) {
            throw InteropException.badRequest("unsupported cipher suite " + id + ": " + e.getMessage());
        }
    }

    static List<Extension> extensions(List<org.mlskit.interop.proto.Extension> in) {
        List<Extension> out = new ArrayList<>();
        for (org.mlskit.interop.proto.Extension e : in) {
            out.add(new Extension(e.getExtensionType(), e.getExtensionData().toByteArray()));
        }
        return out;
    }

    /** The ratchet tree given out of band, else the one in the GroupInfo's ratchet_tree extension. */
    static RatchetTree tree(GroupInfo info, ByteString outOfBand) {
        CipherSuite suite = suite(info.groupContext.cipherSuite());
        byte[] data = orNull(outOfBand);
        if (data == null) {
            for (Extension e : info.extensions) {
                if (e.type() == ExtensionType.RATCHET_TREE) {
                    data = e.data();
                }
            }
        }
        if (data == null) {
            throw InteropException.badRequest("no ratchet tree: neither given nor in the GroupInfo");
        }
        TlsReader r = new TlsReader(data);
        RatchetTree tree = RatchetTree.decode(suite, r);
        r.finish();
        return tree;
    }

    /** The leaf whose basic credential names {@code identity}, or -1. */
    static int leafOf(RatchetTree tree, byte[] identity) {
        for (int i = 0; i < tree.leafCount(); i++) {
            LeafNode leaf = tree.leaf(i);
            if (leaf != null && leaf.credential.type() == Credential.BASIC
                    && Arrays.equals(leaf.credential.identity(), identity)) {
                return i;
            }
        }
        return -1;
    }

    static String text(ByteString b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
