package org.mlskit.schedule;

import org.mlskit.codec.DecodeException;
import org.mlskit.codec.Encodable;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/** PreSharedKeyID of RFC 9420 §8.4: an external PSK by id, or a resumption PSK by group and epoch. */
public final class PreSharedKeyId implements Encodable {
    public static final int EXTERNAL = 1;
    public static final int RESUMPTION = 2;

    /** ResumptionPSKUsage values. */
    public static final int USAGE_APPLICATION = 1;
    public static final int USAGE_REINIT = 2;
    public static final int USAGE_BRANCH = 3;

    private final int type;
    private final byte[] pskId;
    private final int usage;
    private final byte[] groupId;
    private final long epoch;
    private final byte[] nonce;

    private PreSharedKeyId(int type, byte[] pskId, int usage, byte[] groupId, long epoch, byte[] nonce) {
        this.type = type;
        this.pskId = pskId;
        this.usage = usage;
        this.groupId = groupId;
        this.epoch = epoch;
        this.nonce = nonce.clone();
    }

    public static PreSharedKeyId external(byte[] pskId, byte[] nonce) {
        return new PreSharedKeyId(EXTERNAL, pskId.clone(), 0, null, 0, nonce);
    }

    public static PreSharedKeyId resumption(int usage, byte[] groupId, long epoch, byte[] nonce) {
        return new PreSharedKeyId(RESUMPTION, null, usage, groupId.clone(), epoch, nonce);
    }

    public int type() {
        return type;
    }

    public byte[] pskId() {
        return pskId == null ? null : pskId.clone();
    }

    public int usage() {
        return usage;
    }

    public byte[] groupId() {
        return groupId == null ? null : groupId.clone();
    }

    public long epoch() {
        return epoch;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public void encode(TlsWriter out) {
        out.u8(type);
        if (type == EXTERNAL) {
            out.opaque(pskId);
        } else {
            out.u8(usage).opaque(groupId).u64(epoch);
        }
        out.opaque(nonce);
    }

    public static PreSharedKeyId decode(TlsReader in) {
        int at = in.position();
        int type = in.u8();
        if (type == EXTERNAL) {
            byte[] id = in.opaque();
            return external(id, in.opaque());
        }
        if (type == RESUMPTION) {
            int usageAt = in.position();
            int usage = in.u8();
            if (usage < USAGE_APPLICATION || usage > USAGE_BRANCH) {
                throw new DecodeException(DecodeException.Reason.INVALID_VALUE, usageAt, "ResumptionPSKUsage " + usage);
            }
            byte[] group = in.opaque();
            long epoch = in.u64();
            return resumption(usage, group, epoch, in.opaque());
        }
        throw new DecodeException(DecodeException.Reason.INVALID_VALUE, at, "PSKType " + type);
    }
}
