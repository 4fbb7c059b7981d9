package org.mlskit.group;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.schedule.PskSecret;

/** Looks up the PSKs a commit or Welcome names and combines them into psk_secret (§8.4). */
final class Psks {
    private Psks() {
    }

    /** psk_secret for a member of {@code group} (its own epochs resolve its resumption PSKs); null without PSKs. */
    static byte[] secret(Group group, List<PreSharedKeyId> ids) {
        return secret(group.suite(), Group.pskStoreWith(group.config().pskStore, group), ids);
    }

    static byte[] secret(CipherSuite suite, PskStore store, List<PreSharedKeyId> ids) {
        if (ids.isEmpty()) {
            return null;
        }
        List<byte[]> values = new ArrayList<>();
        for (PreSharedKeyId id : ids) {
            byte[] v = id.type() == PreSharedKeyId.EXTERNAL ? store.externalPsk(id.pskId())
                    : store.resumptionPsk(id.groupId(), id.epoch());
            if (v == null) {
                throw new MlsException(ErrorCode.MISSING_PSK, id.type() == PreSharedKeyId.EXTERNAL
                        ? "unknown external PSK" : "no resumption PSK for epoch " + Long.toUnsignedString(id.epoch())
                        + " of the named group");
            }
            values.add(v);
        }
        return PskSecret.compute(suite, ids, values);
    }
}
