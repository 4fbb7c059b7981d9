package org.mlskit.client;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.KeyPackage;

/**
 * A change the user asked for in one group. It stays queued until the DS accepted a commit that
 * carries it: a commit that lost a race is discarded and the intent staged again on the new epoch.
 */
final class Intent {
    enum Kind { INVITE, REMOVE, UPDATE, COMMIT_PENDING, RESYNC }

    final Kind kind;
    /** INVITE, REMOVE: the user. */
    final String user;
    /** INVITE: the KeyPackages claimed (kept across races: one-time ones cannot be claimed twice). */
    List<KeyPackage> keyPackages;

    Intent(Kind kind, String user) {
        this.kind = kind;
        this.user = user;
    }

    void encode(TlsWriter out) {
        out.u8(kind.ordinal()).utf8(user == null ? "" : user);
        int mark = out.beginVector();
        if (keyPackages != null) {
            for (KeyPackage kp : keyPackages) {
                out.write(kp);
            }
        }
        out.endVector(mark);
    }

    static Intent decode(TlsReader in) {
        Kind kind = Kind.values()[in.u8()];
        String user = in.utf8();
        Intent i = new Intent(kind, user.isEmpty() ? null : user);
        TlsReader v = in.vector();
        List<KeyPackage> kps = new ArrayList<>();
        while (v.hasRemaining()) {
            kps.add(KeyPackage.decode(v));
        }
        i.keyPackages = kps.isEmpty() ? null : kps;
        return i;
    }

    @Override
    public String toString() {
        return kind + (user != null ? " " + user : "");
    }
}
