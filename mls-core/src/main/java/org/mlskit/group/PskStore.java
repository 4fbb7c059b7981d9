package org.mlskit.group;

/**
 * Where a group finds pre-shared keys (RFC 9420 §8.4): external PSKs by their psk_id, and
 * resumption PSKs of other groups. A group keeps its own recent resumption secrets.
 */
@FunctionalInterface
public interface PskStore {
    /** The secret for {@code pskId}, or null when it is unknown. */
    byte[] externalPsk(byte[] pskId);

    /**
     * The resumption PSK of another group's epoch (for a reinit, branch or application PSK naming
     * that group), or null. A group resolves its own epochs itself; see {@link Group#pskStoreWith}.
     */
    default byte[] resumptionPsk(byte[] groupId, long epoch) {
        return null;
    }

    /**
     * The group whose resumption PSKs this store resolves for {@code groupId}, if it holds one:
     * a joiner checks a ReInit or branch Welcome against it (RFC 9420 §11.2, §11.3).
     */
    default Group resumptionGroup(byte[] groupId) {
        return null;
    }

    PskStore NONE = id -> null;
}
