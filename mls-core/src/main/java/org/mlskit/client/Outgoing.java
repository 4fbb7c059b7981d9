package org.mlskit.client;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * An application message the user sent that the DS has not acknowledged yet. Its random id
 * travels as the message's authenticated data, so a message encrypted again (in a later epoch,
 * after a restart or a lost answer) is recognised by recipients that already have it.
 */
final class Outgoing {
    static final int ID_LENGTH = 16;

    final byte[] id;
    final byte[] plaintext;
    /** The PrivateMessage, or null until encrypted (while a commit is in flight). */
    byte[] ciphertext;
    long epoch = -1;
    /** Encrypted for the current attempt (not persisted: after a restart every message is posted again). */
    boolean inFlight;
    /** Its SEND call is out. */
    boolean posted;
    /** The SEND call out for it. */
    long callId = -1;

    Outgoing(byte[] id, byte[] plaintext) {
        this.id = id;
        this.plaintext = plaintext;
    }

    void encode(TlsWriter w) {
        w.opaque(id).opaque(plaintext).opaque(ciphertext == null ? new byte[0] : ciphertext).u64(epoch);
    }

    static Outgoing decode(TlsReader r) {
        Outgoing o = new Outgoing(r.opaque(), r.opaque());
        byte[] c = r.opaque();
        o.ciphertext = c.length == 0 ? null : c;
        o.epoch = r.u64();
        return o;
    }
}
