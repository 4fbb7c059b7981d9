package org.mlskit.ds.store;

/**
 * A mailbox entry a write batch stored, handed to this instance's live fan-out after the commit
 * so it need not read back what it was just given.
 *
 * @param groupId the room; null for a Welcome or a relayed payload
 * @param kind the content type (1 to 3), 0 for a Welcome, {@code Relay.KIND_RELAY} for a relayed payload
 * @param to the devices a Welcome or relayed payload is for (null for a room's message)
 */
public record Written(long id, byte[] groupId, int kind, byte[] bytes, long[] to) {
}
