package org.mlskit.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.codec.TlsReader;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.ContentType;
import org.mlskit.framing.MlsMessage;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.MessageInfo;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.LeafNode;
import org.mlskit.tree.RatchetTree;

/**
 * An in-memory delivery service with the real one's rules (delivery-service/README.md): signed
 * challenges, one-time and last-resort KeyPackages, rooms that accept a commit only at their
 * epoch, membership from each commit's GroupInfo tree, Welcomes routed by KeyPackageRef, one
 * global sequence of mailbox entries. Tests drive engines against it through {@link Sim}.
 */
final class SimDs {
    static final class Room {
        long epoch;
        long epochFrom;
        byte[] groupInfo;
        Set<String> roster = new HashSet<>();
    }

    static final class Stored {
        final long seq;
        final byte[] groupId;
        final byte[] bytes;
        final Set<String> direct;

        Stored(long seq, byte[] groupId, byte[] bytes, Set<String> direct) {
            this.seq = seq;
            this.groupId = groupId;
            this.bytes = bytes;
            this.direct = direct;
        }
    }

    /** A membership range: the device receives the room's entries with from <= seq < until. */
    static final class Range {
        final String room;
        final long from;
        long until = Long.MAX_VALUE;

        Range(String room, long from) {
            this.room = room;
            this.from = from;
        }
    }

    final Map<String, byte[]> keys = new HashMap<>();
    final Map<String, Integer> suites = new HashMap<>();
    final Set<String> challenges = new HashSet<>();
    final Map<String, List<byte[]>> oneTime = new HashMap<>();
    final Map<String, byte[]> lastResort = new HashMap<>();
    final Map<String, String> refOwner = new HashMap<>();
    final Map<String, Room> rooms = new HashMap<>();
    final List<Stored> log = new ArrayList<>();
    final Map<String, List<Range>> ranges = new HashMap<>();
    private long seq;
    private int tokens;
    final Map<String, String> tokenOwner = new HashMap<>();
    /** Every plaintext-free byte the DS stored, for the test's plaintext scan. */
    final List<byte[]> stored = new ArrayList<>();

    /** Answers one call as the real DS would; {@code dev} is "user/device" of the caller. */
    DsReply handle(DsCall c, String dev) {
        switch (c.kind) {
            case CHALLENGE: {
                byte[] ch = (c.user + "/" + c.device + "/" + challenges.size()).getBytes(StandardCharsets.UTF_8);
                challenges.add(Hex.toHexString(ch));
                return DsReply.data(c.id, ch);
            }
            case REGISTER:
            case LOGIN: {
                String name = c.user + "/" + c.device;
                if (!challenges.remove(Hex.toHexString(c.challenge))) {
                    return DsReply.failed(c.id, "BAD_CHALLENGE", "unknown challenge");
                }
                if (c.kind == DsCall.Kind.REGISTER) {
                    if (keys.containsKey(name)) {
                        return DsReply.failed(c.id, "DEVICE_EXISTS", name);
                    }
                    keys.put(name, c.signatureKey);
                    suites.put(name, c.cipherSuite);
                } else if (!keys.containsKey(name)) {
                    return DsReply.failed(c.id, "NOT_FOUND", name);
                }
                CipherSuite cs = CipherSuite.of(suites.get(name));
                if (!cs.verifyWithLabel(keys.get(name), Proof.LABEL, Proof.content(c.challenge, c.user, c.device), c.signature)) {
                    if (c.kind == DsCall.Kind.REGISTER) {
                        keys.remove(name);
                    }
                    return DsReply.failed(c.id, "BAD_SIGNATURE", name);
                }
                String t = "token-" + (++tokens);
                tokenOwner.put(t, name);
                return DsReply.token(c.id, t, 4_000_000_000L);
            }
            case UPLOAD_KEY_PACKAGES: {
                for (byte[] m : c.messages) {
                    KeyPackage kp = (KeyPackage) MlsMessage.fromBytes(m).body;
                    refOwner.put(Hex.toHexString(kp.ref(CipherSuite.of(kp.cipherSuite))), dev);
                    if (KeyPackageBundle.isLastResort(kp)) {
                        lastResort.put(dev, m);
                        lastResortClaimed.remove(dev);
                    } else {
                        oneTime.computeIfAbsent(dev, k -> new ArrayList<>()).add(m);
                    }
                }
                return count(c.id, dev);
            }
            case KEY_PACKAGE_COUNT:
                return count(c.id, dev);
            case CLAIM: {
                List<DsReply.Claim> out = new ArrayList<>();
                for (String d : new java.util.TreeSet<>(keys.keySet())) {
                    if (!d.startsWith(c.user + "/") || d.equals(dev)) {
                        continue;
                    }
                    List<byte[]> free = oneTime.getOrDefault(d, new ArrayList<>());
                    if (!free.isEmpty()) {
                        out.add(new DsReply.Claim(d.substring(d.indexOf('/') + 1), "ok", free.remove(0)));
                    } else if (lastResort.containsKey(d)) {
                        lastResortClaimed.add(d);
                        out.add(new DsReply.Claim(d.substring(d.indexOf('/') + 1), "ok", lastResort.get(d)));
                    } else {
                        out.add(new DsReply.Claim(d.substring(d.indexOf('/') + 1), "keyMaterialExhausted", null));
                    }
                }
                return out.isEmpty() ? DsReply.failed(c.id, "NOT_FOUND", c.user) : DsReply.claims(c.id, out);
            }
            case CREATE_GROUP: {
                String key = Hex.toHexString(c.groupId);
                if (rooms.containsKey(key)) {
                    return DsReply.failed(c.id, "GROUP_EXISTS", key);
                }
                Room r = new Room();
                r.groupInfo = c.messages.get(0);
                r.epoch = MessageInfo.inspect(r.groupInfo).epoch;
                r.roster = roster(r.groupInfo);
                rooms.put(key, r);
                for (String d : r.roster) {
                    ranges.computeIfAbsent(d, k -> new ArrayList<>()).add(new Range(key, 0));
                }
                return DsReply.accepted(c.id, r.epoch, 0);
            }
            case COMMIT: {
                String key = Hex.toHexString(c.groupId);
                Room r = rooms.get(key);
                MessageInfo info = MessageInfo.inspect(c.messages.get(0));
                if (info.epoch != r.epoch) {
                    return DsReply.wrongEpoch(c.id, r.epoch, r.epochFrom);
                }
                byte[] gi = c.messages.get(c.messages.size() - 1);
                Set<String> next = roster(gi);
                boolean external = info.sender != null && info.sender.type == org.mlskit.framing.Sender.NEW_MEMBER_COMMIT;
                if (!external && !r.roster.contains(dev) || !next.contains(dev)) {
                    return DsReply.failed(c.id, "NOT_MEMBER", dev);
                }
                long s = append(c.groupId, c.messages.get(0), null);
                if (c.messages.size() == 3) {
                    Set<String> to = new HashSet<>();
                    for (byte[] ref : MessageInfo.inspect(c.messages.get(1)).keyPackageRefs()) {
                        to.add(refOwner.get(Hex.toHexString(ref)));
                    }
                    append(null, c.messages.get(1), to);
                }
                for (String d : r.roster) {
                    if (!next.contains(d)) {
                        for (Range g : ranges.get(d)) {
                            if (g.room.equals(key) && g.until == Long.MAX_VALUE) {
                                g.until = s + 1;
                            }
                        }
                    }
                }
                for (String d : next) {
                    if (!r.roster.contains(d)) {
                        ranges.computeIfAbsent(d, k -> new ArrayList<>()).add(new Range(key, s + 1));
                    }
                }
                r.roster = next;
                r.epoch++;
                r.epochFrom = s;
                r.groupInfo = gi;
                return DsReply.accepted(c.id, r.epoch, s);
            }
            case SEND: {
                String key = Hex.toHexString(c.groupId);
                Room r = rooms.get(key);
                MessageInfo info = MessageInfo.inspect(c.messages.get(0));
                if (!r.roster.contains(dev)) {
                    return DsReply.failed(c.id, "NOT_MEMBER", dev);
                }
                if (info.contentType == ContentType.PROPOSAL ? info.epoch != r.epoch : info.epoch > r.epoch) {
                    return DsReply.wrongEpoch(c.id, r.epoch, r.epochFrom);
                }
                return DsReply.accepted(c.id, r.epoch, append(c.groupId, c.messages.get(0), null));
            }
            case GROUP_INFO:
                return DsReply.data(c.id, rooms.get(Hex.toHexString(c.groupId)).groupInfo);
            case ACK:
                return DsReply.done(c.id);
            default:
                throw new IllegalStateException(c.kind.toString());
        }
    }

    final Set<String> lastResortClaimed = new HashSet<>();

    private DsReply count(long id, String dev) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        m.put(suites.get(dev), oneTime.getOrDefault(dev, new ArrayList<>()).size());
        return DsReply.count(id, m, lastResortClaimed.contains(dev));
    }

    private long append(byte[] groupId, byte[] bytes, Set<String> direct) {
        long s = ++seq;
        log.add(new Stored(s, groupId, bytes, direct));
        stored.add(bytes);
        return s;
    }

    /** The device's mailbox after {@code after}. */
    List<Entry> mailbox(String dev, long after, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Stored m : log) {
            if (m.seq <= after || out.size() == limit) {
                continue;
            }
            if (m.direct != null ? m.direct.contains(dev) : receives(dev, m)) {
                out.add(new Entry(m.seq, m.bytes));
            }
        }
        return out;
    }

    boolean receives(String dev, Stored m) {
        String key = Hex.toHexString(m.groupId);
        for (Range r : ranges.getOrDefault(dev, new ArrayList<>())) {
            if (r.room.equals(key) && r.from <= m.seq && m.seq < r.until) {
                return true;
            }
        }
        return false;
    }

    /** Devices that receive the entry {@code m}. */
    Set<String> recipients(Stored m) {
        if (m.direct != null) {
            return m.direct;
        }
        Set<String> out = new HashSet<>();
        for (String d : ranges.keySet()) {
            if (receives(d, m)) {
                out.add(d);
            }
        }
        return out;
    }

    /** "user/device" of every leaf of a GroupInfo's ratchet tree. */
    static Set<String> roster(byte[] groupInfo) {
        GroupInfo gi = (GroupInfo) MlsMessage.fromBytes(groupInfo).body;
        for (Extension e : gi.extensions) {
            if (e.type() == ExtensionType.RATCHET_TREE) {
                RatchetTree t = RatchetTree.decode(CipherSuite.of(gi.groupContext.cipherSuite()), new TlsReader(e.data()));
                Set<String> out = new HashSet<>();
                for (int i = 0; i < t.leafCount(); i++) {
                    LeafNode l = t.leaf(i);
                    if (l != null) {
                        out.add(new String(l.credential.identity(), StandardCharsets.UTF_8));
                    }
                }
                return out;
            }
        }
        throw new AssertionError("no ratchet tree");
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
