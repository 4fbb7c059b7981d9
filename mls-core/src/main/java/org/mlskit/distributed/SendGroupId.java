package org.mlskit.distributed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * The group id of a send group: {@code opaque "mmls-send-group"<V> || opaque session_id<V> ||
 * opaque owner_id<V>}, so that anyone holding an id (a receiver, a third party checking evidence)
 * can tell whose send group, in which session, it names.
 */
public final class SendGroupId {
    private static final byte[] LABEL = "mmls-send-group".getBytes(StandardCharsets.UTF_8);

    private SendGroupId() {
    }

    public static byte[] of(byte[] sessionId, String owner) {
        return new TlsWriter(64).opaque(LABEL).opaque(sessionId).utf8(owner).toByteArray();
    }

    /** The owner a send group id names, or null when {@code groupId} is not one. */
    public static String owner(byte[] groupId) {
        try {
            TlsReader in = new TlsReader(groupId);
            if (!Arrays.equals(in.opaque(), LABEL)) {
                return null;
            }
            in.opaque();
            String owner = in.utf8();
            in.finish();
            return owner;
        } catch (MlsException e) {
            return null;
        }
    }

    /** The session a send group id belongs to, or null when {@code groupId} is not one. */
    static byte[] session(byte[] groupId) {
        try {
            TlsReader in = new TlsReader(groupId);
            if (!Arrays.equals(in.opaque(), LABEL)) {
                return null;
            }
            return in.opaque();
        } catch (MlsException e) {
            return null;
        }
    }
}
