package org.mlskit.ds.rooms;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.mlskit.ds.api.DsError;
import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Principal;
import org.mlskit.ds.store.Database;
import org.mlskit.ds.store.Statements;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;

/**
 * Rooms: one ordered log per MLS group (the MIMI hub's job). The DS orders handshakes by the
 * epoch in their framing: a commit for epoch E is accepted only while the room is at E, the first
 * one wins and moves the room to E+1. Membership (which devices receive what) follows the roster
 * of each accepted commit's GroupInfo: a device receives the room's messages from the commit
 * after the one that added it up to and including the one that removed it.
 *
 * <p>Every check that depends on the room's state runs inside the write transaction, so two DS
 * instances on one PostgreSQL agree on who won.
 */
public final class Rooms {
    /** {@code messages.kind} of a Welcome (group messages keep their content type, 1 to 3). */
    public static final int KIND_WELCOME = 0;

    private final Database db;

    public Rooms(Database db) {
        this.db = db;
    }

    /** Where a message went in the log: the room's epoch after it and the message's sequence number. */
    public record Accepted(long epoch, long seq) {
    }

    /** A member as the room sees it. */
    public record Member(String user, String device, int leaf) {
    }

    public record State(long epoch, List<Member> members) {
    }

    /** Creates the room of a new group from its creator's GroupInfo (any epoch; usually 0). */
    public CompletableFuture<Accepted> create(Principal p, byte[] groupId, byte[] body) {
        GroupInfoView gi = GroupInfoView.parse(body);
        if (!Arrays.equals(gi.groupId, groupId)) {
            throw new DsError(DsError.Code.BAD_REQUEST, "the GroupInfo is of another group than the URL names");
        }
        long now = Accounts.now();
        return db.write(tx -> {
            if (tx.queryLong(0, "SELECT 1 FROM rooms WHERE group_id = ?", groupId) == 1) {
                throw new DsError(DsError.Code.GROUP_EXISTS, "this group id is taken");
            }
            Map<Long, Integer> roster = resolve(tx, gi);
            requireSigner(roster, gi, p);
            tx.updateRoom(groupId, "INSERT INTO rooms (group_id, suite, epoch, epoch_from, group_info, created) VALUES (?, ?, ?, 0, ?, ?)",
                    groupId, gi.suite, gi.epoch, gi.bytes, now);
            for (Map.Entry<Long, Integer> e : roster.entrySet()) {
                tx.updateRoom(groupId, "INSERT INTO memberships (group_id, dev, leaf, from_id, until_id) VALUES (?, ?, ?, 0, NULL)",
                        groupId, e.getKey(), e.getValue());
            }
            return new Accepted(gi.epoch, 0);
        });
    }

    /** Accepts a commit bundle if the room is still at the commit's epoch. */
    public CompletableFuture<Accepted> commit(Principal p, byte[] groupId, byte[] body) {
        Submission.Bundle b = Submission.bundle(body);
        Submission c = b.commit();
        sameGroup(groupId, c);
        boolean external = c.sender != null && c.sender.type == Sender.NEW_MEMBER_COMMIT;
        long now = Accounts.now();
        return db.write(tx -> {
            long epoch = currentEpoch(tx, groupId, c.epoch, true);
            if (external) {
                requireOutsiderAllowed(tx, p, groupId, "join this group by external commit");
            } else {
                checkSender(tx, p, groupId, c);
            }
            Map<Long, Integer> next = resolve(tx, b.groupInfo());
            requireSigner(next, b.groupInfo(), p);
            Set<Long> welcomed = new LinkedHashSet<>();
            for (byte[] ref : b.welcomeRefs()) {
                long dev = tx.queryLong(-1, "SELECT dev FROM key_packages WHERE ref = ?", ref);
                if (dev < 0) {
                    throw new DsError(DsError.Code.UNKNOWN_KEY_PACKAGE, "the Welcome is for a KeyPackage this DS did not serve");
                }
                if (!next.containsKey(dev)) {
                    throw new DsError(DsError.Code.BAD_REQUEST, "the Welcome is for a device the new GroupInfo's tree lacks");
                }
                welcomed.add(dev);
            }
            Map<Long, Integer> before = roster(tx, groupId);
            long seq = tx.insertMessageNow(groupId, ContentType.COMMIT, c.epoch, p.dev(), c.bytes, now, null);
            if (b.welcome() != null) {
                long w = tx.insertMessageNow(null, KIND_WELCOME, c.epoch + 1, p.dev(), b.welcome(), now,
                        welcomed.stream().mapToLong(Long::longValue).toArray());
                for (long dev : welcomed) {
                    tx.update("INSERT INTO direct (dev, msg) VALUES (?, ?)", dev, w);
                }
            }
            for (Map.Entry<Long, Integer> e : before.entrySet()) {
                if (!e.getValue().equals(next.get(e.getKey()))) {
                    // Removed (or moved to another leaf): it still receives this commit, which tells it so.
                    tx.updateRoom(groupId, "UPDATE memberships SET until_id = ? WHERE group_id = ? AND dev = ? AND until_id IS NULL",
                            seq + 1, groupId, e.getKey());
                }
            }
            for (Map.Entry<Long, Integer> e : next.entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey()))) {
                    tx.updateRoom(groupId, "INSERT INTO memberships (group_id, dev, leaf, from_id, until_id) VALUES (?, ?, ?, ?, NULL)",
                            groupId, e.getKey(), e.getValue(), seq + 1);
                }
            }
            tx.updateRoom(groupId, "UPDATE rooms SET epoch = ?, epoch_from = ?, group_info = ? WHERE group_id = ?",
                    epoch + 1, seq, b.groupInfo().bytes, groupId);
            return new Accepted(epoch + 1, seq);
        });
    }

    /** Accepts an application message (any epoch up to the room's) or a proposal (the room's epoch only). */
    public CompletableFuture<Accepted> send(Principal p, byte[] groupId, byte[] body) {
        Submission s = Submission.message(body);
        sameGroup(groupId, s);
        long now = Accounts.now();
        return db.write(tx -> {
            prefetch(tx, p, groupId, s);
            long epoch = currentEpoch(tx, groupId, s.epoch, s.contentType == ContentType.PROPOSAL);
            if (s.sender != null && s.sender.type == Sender.NEW_MEMBER_PROPOSAL) {
                requireOutsiderAllowed(tx, p, groupId, "propose to join this group");
            } else {
                checkSender(tx, p, groupId, s);
            }
            java.util.function.LongSupplier seq = tx.insertMessage(groupId, s.contentType, s.epoch, p.dev(), s.bytes, now);
            return (java.util.function.Supplier<Accepted>) () -> new Accepted(epoch, seq.getAsLong());
        }).thenApply(java.util.function.Supplier::get);
    }

    /**
     * The latest GroupInfo (MIMI "claim group key information"), for members and for other devices
     * of a member's user (a new device joining by external commit, or a device resyncing).
     */
    public byte[] groupInfo(Principal p, byte[] groupId) {
        return db.read(s -> {
            requireOutsiderAllowed(s, p, groupId, "read this group's GroupInfo");
            try (ResultSet rs = s.bind("SELECT group_info FROM rooms WHERE group_id = ?", groupId).executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
    }

    /** Epoch and members, for members. */
    public State state(Principal p, byte[] groupId) {
        return db.read(s -> {
            long epoch = s.queryLong(-1, "SELECT epoch FROM rooms WHERE group_id = ?", groupId);
            if (epoch < 0) {
                throw notFound();
            }
            List<Member> members = new ArrayList<>();
            boolean in = false;
            try (ResultSet rs = s.bind("SELECT d.user_id, d.device_id, ms.leaf, d.dev FROM memberships ms JOIN devices d"
                    + " ON d.dev = ms.dev WHERE ms.group_id = ? AND ms.until_id IS NULL ORDER BY ms.leaf", groupId).executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString(1), rs.getString(2), rs.getInt(3)));
                    in |= rs.getLong(4) == p.dev();
                }
            }
            if (!in) {
                throw new DsError(DsError.Code.NOT_MEMBER, "only members can read a group's state");
            }
            return new State(epoch, members);
        });
    }

    private static long currentEpoch(Statements tx, byte[] groupId, long epoch, boolean exact) throws SQLException {
        long current = -1;
        long from = 0;
        EpochOf key = new EpochOf(ByteBuffer.wrap(groupId));
        long[] known = (long[]) tx.fact(key);
        if (known != null) {
            current = known[0];
            from = known[1];
        } else {
            try (ResultSet rs = tx.bind("SELECT epoch, epoch_from FROM rooms WHERE group_id = ?", groupId).executeQuery()) {
                if (rs.next()) {
                    current = rs.getLong(1);
                    from = rs.getLong(2);
                    tx.remember(key, new long[] {current, from});
                }
            }
        }
        if (current < 0) {
            throw notFound();
        }
        if (exact ? epoch != current : epoch > current) {
            throw new DsError(DsError.Code.WRONG_EPOCH, "the group is at epoch " + current + ", the message is for epoch "
                    + epoch + "; read your mailbox from sequence " + from + " to catch up")
                    .with("epoch", current).with("from", from);
        }
        return current;
    }

    /**
     * Reads a room's epoch and the sender's membership in one query (one round trip to
     * PostgreSQL instead of two) and remembers them as facts, which
     * {@link #currentEpoch} and {@link #checkSender} then use.
     */
    private static void prefetch(Statements tx, Principal p, byte[] groupId, Submission s) throws SQLException {
        EpochOf epochKey = new EpochOf(ByteBuffer.wrap(groupId));
        boolean byLeaf = s.sender != null && s.sender.type == Sender.MEMBER;
        if (s.sender != null && !byLeaf) {
            return;
        }
        Object memberKey = byLeaf ? new LeafOf(ByteBuffer.wrap(groupId), s.sender.index) : new MemberOf(ByteBuffer.wrap(groupId), p.dev());
        if (tx.fact(epochKey) != null && tx.fact(memberKey) != null) {
            return; // both known: no query at all
        }
        String member = byLeaf
                ? "(SELECT ms.dev FROM memberships ms WHERE ms.group_id = r.group_id AND ms.leaf = ? AND ms.until_id IS NULL)"
                : "(SELECT 1 FROM memberships ms WHERE ms.group_id = r.group_id AND ms.dev = ? AND ms.until_id IS NULL)";
        try (ResultSet rs = tx.bind("SELECT r.epoch, r.epoch_from, " + member + " FROM rooms r WHERE r.group_id = ?",
                byLeaf ? (Object) (long) s.sender.index : (Object) p.dev(), groupId).executeQuery()) {
            if (!rs.next()) {
                return; // currentEpoch reports the missing room
            }
            tx.remember(epochKey, new long[] {rs.getLong(1), rs.getLong(2)});
            long v = rs.getLong(3);
            if (!rs.wasNull()) {
                if (byLeaf) {
                    tx.remember(new LeafOf(ByteBuffer.wrap(groupId), s.sender.index), v);
                } else {
                    tx.remember(new MemberOf(ByteBuffer.wrap(groupId), p.dev()), Boolean.TRUE);
                }
            }
        }
    }

    /** The sender must be the authenticated device: by leaf for a PublicMessage, by membership for a PrivateMessage. */
    private static void checkSender(Statements tx, Principal p, byte[] groupId, Submission s) throws SQLException {
        if (s.sender == null) {
            MemberOf key = new MemberOf(ByteBuffer.wrap(groupId), p.dev());
            if (tx.fact(key) == null) {
                if (tx.queryLong(0, "SELECT 1 FROM memberships WHERE group_id = ? AND dev = ? AND until_id IS NULL",
                        groupId, p.dev()) == 1) {
                    tx.remember(key, Boolean.TRUE);
                }
            }
            if (tx.fact(key) == null) {
                throw new DsError(DsError.Code.NOT_MEMBER, p + " is not a member of this group");
            }
            return;
        }
        if (s.sender.type != Sender.MEMBER) {
            throw new DsError(DsError.Code.FORBIDDEN, "sender type " + s.sender.type + " is not accepted from devices here");
        }
        LeafOf key = new LeafOf(ByteBuffer.wrap(groupId), s.sender.index);
        Long holder = (Long) tx.fact(key);
        long dev = holder != null ? holder
                : tx.queryLong(-1, "SELECT dev FROM memberships WHERE group_id = ? AND leaf = ? AND until_id IS NULL",
                        groupId, s.sender.index);
        if (holder == null && dev >= 0) {
            tx.remember(key, dev);
        }
        if (dev != p.dev()) {
            throw new DsError(DsError.Code.NOT_MEMBER, "leaf " + s.sender.index + " of this group is not " + p);
        }
    }

    private static void requireOutsiderAllowed(Statements s, Principal p, byte[] groupId, String what) throws SQLException {
        if (s.queryLong(0, "SELECT 1 FROM rooms WHERE group_id = ?", groupId) != 1) {
            throw notFound();
        }
        if (s.queryLong(0, "SELECT 1 FROM memberships ms JOIN devices d ON d.dev = ms.dev WHERE ms.group_id = ?"
                + " AND ms.until_id IS NULL AND d.user_id = ?", groupId, p.user()) != 1) {
            throw new DsError(DsError.Code.NOT_MEMBER, "only devices of the group's users may " + what);
        }
    }

    /** The current members: device to leaf. */
    private static Map<Long, Integer> roster(Statements tx, byte[] groupId) throws SQLException {
        Map<Long, Integer> out = new HashMap<>();
        try (ResultSet rs = tx.bind("SELECT dev, leaf FROM memberships WHERE group_id = ? AND until_id IS NULL", groupId)
                .executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return out;
    }

    /** Maps each leaf of a GroupInfo's tree to a registered device by signature key and credential. */
    private static Map<Long, Integer> resolve(Statements tx, GroupInfoView gi) throws SQLException {
        Map<Long, Integer> out = new HashMap<>();
        for (GroupInfoView.Leaf leaf : gi.leaves) {
            long dev = -1;
            byte[] credential = null;
            try (ResultSet rs = tx.bind("SELECT dev, credential FROM devices WHERE key_canonical = ?", leaf.signatureKey())
                    .executeQuery()) {
                if (rs.next()) {
                    dev = rs.getLong(1);
                    credential = rs.getBytes(2);
                }
            }
            if (dev < 0 || !Arrays.equals(credential, leaf.credential())) {
                throw new DsError(DsError.Code.UNKNOWN_MEMBER, "leaf " + leaf.index() + " is not a device registered here"
                        + " (its signature key and credential must be the registered ones)");
            }
            if (out.put(dev, leaf.index()) != null) {
                throw new DsError(DsError.Code.INVALID_GROUP_INFO, "one device holds two leaves");
            }
        }
        return out;
    }

    /**
     * The GroupInfo sent with a commit (or a new room) must be signed by the submitting device:
     * the committer is the one member who can sign the next epoch's GroupInfo before anyone else
     * merged, so this authenticates the committer even when the commit is a PrivateMessage.
     */
    private static void requireSigner(Map<Long, Integer> roster, GroupInfoView gi, Principal p) {
        Integer leaf = roster.get(p.dev());
        if (leaf == null || leaf != gi.signer) {
            throw new DsError(DsError.Code.NOT_MEMBER, "the GroupInfo must be signed by the submitting device " + p
                    + " at its own leaf");
        }
    }

    private static void sameGroup(byte[] groupId, Submission s) {
        if (!Arrays.equals(groupId, s.groupId)) {
            throw new DsError(DsError.Code.BAD_REQUEST, "the message is of another group than the URL names");
        }
        if (s.wireFormat != WireFormat.PUBLIC_MESSAGE && s.wireFormat != WireFormat.PRIVATE_MESSAGE) {
            throw new DsError(DsError.Code.BAD_REQUEST, "not a group message");
        }
    }

    /** Keys of facts the writer remembers ({@link Statements#fact}): a room's epoch, a leaf's device, a member. */
    private record EpochOf(ByteBuffer room) implements Statements.RoomFact {
    }

    private record LeafOf(ByteBuffer room, long leaf) implements Statements.RoomFact {
    }

    private record MemberOf(ByteBuffer room, long dev) implements Statements.RoomFact {
    }

    private static DsError notFound() {
        return new DsError(DsError.Code.NOT_FOUND, "no such group");
    }
}
