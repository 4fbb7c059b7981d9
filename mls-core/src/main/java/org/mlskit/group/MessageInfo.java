package org.mlskit.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.framing.ContentType;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;
import org.mlskit.framing.PublicMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.KeyPackage;

/**
 * What anyone can read of an MLSMessage without a group's keys (RFC 9420 §6): its wire format,
 * and for group messages the group id, epoch and content type; the sender of a PublicMessage;
 * the KeyPackageRefs a Welcome has entries for. A delivery service routes and orders by it, and
 * a client picks the group (or the KeyPackage) to process a message with.
 */
public final class MessageInfo {
    /** A {@link WireFormat} code. */
    public final int wireFormat;
    /** A {@link ContentType} code for PublicMessage and PrivateMessage; 0 otherwise. */
    public final int contentType;
    /** The group of a group message or GroupInfo; null for a Welcome or a KeyPackage. */
    private final byte[] groupId;
    /** The epoch of a group message or GroupInfo; -1 otherwise. */
    public final long epoch;
    /** The sender of a PublicMessage (a PrivateMessage's is encrypted); null otherwise. */
    public final Sender sender;
    /** The cipher suite of a Welcome, GroupInfo or KeyPackage; -1 for group messages (the group knows it). */
    public final int cipherSuite;
    private final List<byte[]> keyPackageRefs;

    private MessageInfo(int wireFormat, int contentType, byte[] groupId, long epoch, Sender sender, int cipherSuite,
            List<byte[]> keyPackageRefs) {
        this.wireFormat = wireFormat;
        this.contentType = contentType;
        this.groupId = groupId;
        this.epoch = epoch;
        this.sender = sender;
        this.cipherSuite = cipherSuite;
        this.keyPackageRefs = keyPackageRefs;
    }

    /** Decodes the message's public header; MALFORMED when the bytes are not an MLSMessage. */
    public static MessageInfo inspect(byte[] message) {
        MlsMessage m = MlsMessage.fromBytes(message);
        switch (m.wireFormat) {
            case WireFormat.PUBLIC_MESSAGE: {
                PublicMessage pm = (PublicMessage) m.body;
                return new MessageInfo(m.wireFormat, pm.content.contentType, pm.content.groupId, pm.content.epoch,
                        pm.content.sender, -1, Collections.<byte[]>emptyList());
            }
            case WireFormat.PRIVATE_MESSAGE: {
                PrivateMessage pm = (PrivateMessage) m.body;
                return new MessageInfo(m.wireFormat, pm.contentType, pm.groupId, pm.epoch, null, -1,
                        Collections.<byte[]>emptyList());
            }
            case WireFormat.WELCOME: {
                Welcome w = (Welcome) m.body;
                List<byte[]> refs = new ArrayList<>();
                for (Welcome.Secrets s : w.secrets) {
                    refs.add(s.newMember.clone());
                }
                return new MessageInfo(m.wireFormat, 0, null, -1, null, w.cipherSuite, refs);
            }
            case WireFormat.GROUP_INFO: {
                GroupContext c = ((GroupInfo) m.body).groupContext;
                return new MessageInfo(m.wireFormat, 0, c.groupId(), c.epoch(), null, c.cipherSuite(),
                        Collections.<byte[]>emptyList());
            }
            default:
                return new MessageInfo(m.wireFormat, 0, null, -1, null, ((KeyPackage) m.body).cipherSuite,
                        Collections.<byte[]>emptyList());
        }
    }

    public byte[] groupId() {
        return groupId == null ? null : groupId.clone();
    }

    /** The KeyPackageRefs a Welcome has entries for (compare with {@code KeyPackage.ref}); empty for other messages. */
    public List<byte[]> keyPackageRefs() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] r : keyPackageRefs) {
            out.add(r.clone());
        }
        return Collections.unmodifiableList(out);
    }

    /** Whether a Welcome has an entry for {@code keyPackage} (so joining with it will not fail NOT_FOR_US). */
    public boolean isFor(KeyPackage keyPackage) {
        if (wireFormat != WireFormat.WELCOME || keyPackage.cipherSuite != cipherSuite) {
            return false;
        }
        byte[] ref = keyPackage.ref(org.mlskit.crypto.CipherSuite.of(cipherSuite));
        for (byte[] r : keyPackageRefs) {
            if (java.util.Arrays.equals(r, ref)) {
                return true;
            }
        }
        return false;
    }
}
