package org.mlskit.sframe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mlskit.group.Group;
import org.mlskit.group.Member;

/**
 * SFrame keys of one member of an MLS group, per RFC 9605 §5.2.
 *
 * <p>Each epoch gives {@code base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)}, shared
 * by the group; every (sender, stream) pair gets its own KID
 * {@code (context << (S + E)) + (leaf << E) + (epoch mod 2^E)}, and with it its own key and salt.
 * S is the smallest number of bits that holds every leaf index of the epoch; E
 * ({@code epochBits}) is the application's choice. At most 2^E epochs are held; an epoch is
 * erased when a newer one with the same low bits arrives, or when its grace period runs out.
 *
 * <p>Call {@link #onEpoch(Group)} after every merged commit (and once after creating or joining):
 * the new epoch becomes the one frames are encrypted with, and the previous one keeps decrypting
 * for {@code graceMillis} (by the injected {@link Clock}: no timers, no threads). Own keys
 * encrypt only, others' keys decrypt only, each with its own replay window. A rejected frame
 * changes nothing.
 */
public final class MlsSFrameKeys {
    /** The exporter label of RFC 9605 §5.2. */
    public static final String EXPORTER_LABEL = "SFrame 1.0 Base Key";
    public static final int DEFAULT_EPOCH_BITS = 4;
    public static final long DEFAULT_GRACE_MILLIS = 10_000;

    /** Milliseconds since some fixed origin; injected so tests and the JS bindings choose the source. */
    public interface Clock {
        long nowMillis();

        Clock SYSTEM = System::currentTimeMillis;
    }

    /** The keys of one epoch: its base key and the senders and receivers derived from it so far. */
    private static final class Epoch {
        final long epoch;
        final byte[] baseKey;
        final int myLeaf;
        /** The members' leaf indices, sorted (this member's included). */
        final int[] members;
        final int indexBits;
        final Map<Long, SFrameSender> senders = new HashMap<>();
        final Map<Long, SFrameReceiver> receivers = new HashMap<>();
        long expiresAt = Long.MAX_VALUE;
        boolean erased;

        Epoch(long epoch, byte[] baseKey, int myLeaf, int[] members) {
            this.epoch = epoch;
            this.baseKey = baseKey;
            this.myLeaf = myLeaf;
            this.members = members;
            long leaves = (long) members[members.length - 1] + 1;
            int s = 0;
            while ((1L << s) < leaves) {
                s++;
            }
            this.indexBits = s;
        }

        boolean isMember(long leaf) {
            return leaf <= Integer.MAX_VALUE && Arrays.binarySearch(members, (int) leaf) >= 0;
        }

        void erase() {
            erased = true;
            Arrays.fill(baseKey, (byte) 0);
            for (SFrameSender s : senders.values()) {
                s.erase();
            }
            for (SFrameReceiver r : receivers.values()) {
                r.erase();
            }
            senders.clear();
            receivers.clear();
        }
    }

    private final SFrameSuite suite;
    private final int epochBits;
    private final long graceMillis;
    private final int replayWindow;
    private final Clock clock;
    private final Epoch[] slots;
    private final Set<Long> streams = new HashSet<>();
    private Epoch current;
    private long nextStream;

    /** Defaults: E = 4 (16 epochs), a 10 s grace period, a 1,024-frame replay window, the system clock. */
    public MlsSFrameKeys(SFrameSuite suite) {
        this(suite, DEFAULT_EPOCH_BITS, DEFAULT_GRACE_MILLIS, ReplayWindow.DEFAULT_SIZE, Clock.SYSTEM);
    }

    /**
     * @param epochBits E, 1 to 16: low epoch bits in the KID; at most 2^E epochs are held
     * @param graceMillis how long an epoch keeps decrypting after the next one is installed (0: not at all)
     * @param replayWindow per-KID replay window, a power of two from 32 to 2^20
     */
    public MlsSFrameKeys(SFrameSuite suite, int epochBits, long graceMillis, int replayWindow, Clock clock) {
        if (epochBits < 1 || epochBits > 16) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "epoch bits " + epochBits + " not in 1..16");
        }
        if (graceMillis < 0) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "negative grace period");
        }
        new ReplayWindow(replayWindow); // validates the size
        this.suite = suite;
        this.epochBits = epochBits;
        this.graceMillis = graceMillis;
        this.replayWindow = replayWindow;
        this.clock = clock;
        this.slots = new Epoch[1 << epochBits];
    }

    public SFrameSuite suite() {
        return suite;
    }

    public int epochBits() {
        return epochBits;
    }

    /** The epoch frames are encrypted with, or -1 before the first {@link #onEpoch}. */
    public long currentEpoch() {
        return current == null ? -1 : current.epoch;
    }

    /** Epochs whose keys are still held (current and those within their grace period), oldest first. */
    public long[] heldEpochs() {
        long now = clock.nowMillis();
        long[] out = new long[slots.length];
        int n = 0;
        for (Epoch e : slots) {
            if (e != null && !e.erased && now < e.expiresAt) {
                out[n++] = e.epoch;
            }
        }
        long[] held = Arrays.copyOf(out, n);
        Arrays.sort(held);
        return held;
    }

    /** Installs the group's current epoch: its exporter base key, this member's leaf and the members' leaves. */
    public void onEpoch(Group group) {
        if (group.status() != Group.Status.ACTIVE) {
            throw new SFrameException(SFrameError.INVALID_STATE, "the group is " + group.status() + "; no new media keys");
        }
        List<Member> members = group.members();
        int[] leaves = new int[members.size()];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = members.get(i).leafIndex;
        }
        byte[] baseKey = group.export(EXPORTER_LABEL, new byte[0], suite.nk());
        try {
            installEpoch(group.epoch(), baseKey, group.myLeafIndex(), leaves);
        } finally {
            Arrays.fill(baseKey, (byte) 0);
        }
    }

    /**
     * Installs an epoch from its parts, for key managers fed by something other than an mls-core
     * {@link Group} (the JS bindings): {@code baseKey} must be the RFC 9605 §5.2 exporter output.
     * Installing the current epoch again with the same key does nothing (counters are kept); an
     * older epoch, or the current one with another key, is {@link SFrameError#INVALID_STATE}.
     */
    public void installEpoch(long epoch, byte[] baseKey, int myLeaf, int[] memberLeaves) {
        if (baseKey.length != suite.nk()) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "base key of " + baseKey.length + " bytes, "
                    + suite + " needs " + suite.nk());
        }
        if (current != null) {
            if (epoch == current.epoch && Arrays.equals(baseKey, current.baseKey)) {
                return;
            }
            if (Long.compareUnsigned(epoch, current.epoch) <= 0) {
                throw new SFrameException(SFrameError.INVALID_STATE, "epoch " + Long.toUnsignedString(epoch)
                        + " is not newer than the current epoch " + Long.toUnsignedString(current.epoch));
            }
        }
        if (myLeaf < 0) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "negative own leaf index");
        }
        int[] members = Arrays.copyOf(memberLeaves, memberLeaves.length + 1);
        members[memberLeaves.length] = myLeaf;
        Arrays.sort(members);
        if (members[0] < 0) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "negative leaf index " + members[0]);
        }
        long now = clock.nowMillis();
        Epoch next = new Epoch(epoch, baseKey.clone(), myLeaf, members);
        if (current != null) {
            current.expiresAt = graceMillis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + graceMillis;
        }
        int slot = slotOf(epoch);
        if (slots[slot] != null) {
            slots[slot].erase(); // RFC 9605 §5.2: an epoch with the same low bits replaces the old one
        }
        slots[slot] = next;
        current = next;
        eraseExpired(now);
    }

    private int slotOf(long epochOrKid) {
        return (int) epochOrKid & (slots.length - 1);
    }

    private void eraseExpired(long now) {
        for (Epoch e : slots) {
            if (e != null && !e.erased && now >= e.expiresAt) {
                e.erase();
            }
        }
    }

    /** Erases every key; the manager refuses to encrypt or decrypt until the next {@link #installEpoch}. */
    public void eraseAll() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].erase();
                slots[i] = null;
            }
        }
        current = null;
    }

    /** Opens an outgoing stream with the lowest context id this manager has not handed out. */
    public SFrameStream openStream() {
        while (streams.contains(nextStream)) {
            nextStream++;
        }
        return openStream(nextStream);
    }

    /** Opens an outgoing stream with a given context id; one that was already opened is {@link SFrameError#INVALID_STATE}. */
    public SFrameStream openStream(long contextId) {
        if (!streams.add(contextId)) {
            throw new SFrameException(SFrameError.INVALID_STATE, "stream context " + Long.toUnsignedString(contextId) + " already opened");
        }
        return new SFrameStream(this, contextId);
    }

    private Epoch requireCurrent() {
        if (current == null) {
            throw new SFrameException(SFrameError.INVALID_STATE, "no epoch installed");
        }
        return current;
    }

    /** The KID of (context, leaf) in {@code e}; {@link SFrameError#INVALID_ARGUMENT} if the context does not fit. */
    private long kid(Epoch e, long contextId, int leaf) {
        int shift = e.indexBits + epochBits;
        if (contextId != 0 && (contextId >>> (64 - shift)) != 0) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "context id " + Long.toUnsignedString(contextId)
                    + " does not fit the " + (64 - shift) + " bits the KID leaves for it");
        }
        if (leaf < 0 || leaf >= 1L << e.indexBits) {
            throw new SFrameException(SFrameError.INVALID_ARGUMENT, "leaf " + leaf + " does not fit the " + e.indexBits
                    + " index bits of epoch " + Long.toUnsignedString(e.epoch));
        }
        return contextId << shift | (long) leaf << epochBits | (e.epoch & (slots.length - 1));
    }

    long kidFor(long contextId) {
        Epoch e = requireCurrent();
        return kid(e, contextId, e.myLeaf);
    }

    /** The KID a member at {@code leaf} uses for stream {@code contextId} in the current epoch. */
    public long kidOf(int leaf, long contextId) {
        return kid(requireCurrent(), contextId, leaf);
    }

    byte[] encrypt(long contextId, byte[] metadata, byte[] plaintext) {
        Epoch e = requireCurrent();
        long kid = kid(e, contextId, e.myLeaf);
        SFrameSender s = e.senders.get(kid);
        if (s == null) {
            s = new SFrameSender(SFrameKey.derive(suite, kid, e.baseKey));
            e.senders.put(kid, s);
        }
        return s.encrypt(metadata, plaintext);
    }

    /**
     * Decrypts a frame of another member. {@link SFrameError#MALFORMED} for a broken header or a
     * frame shorter than the tag; {@link SFrameError#UNKNOWN_KEY} for a KID of no held epoch, of a
     * blank leaf or of this member; {@link SFrameError#EXPIRED_EPOCH} after the grace period;
     * {@link SFrameError#REPLAY}; {@link SFrameError#AUTHENTICATION_FAILED}.
     */
    public ReceivedFrame decrypt(byte[] metadata, byte[] frame) {
        SFrameHeader h = SFrameHeader.decode(frame);
        long kid = h.kid();
        Epoch e = slots[slotOf(kid)];
        if (e == null) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "KID " + Long.toUnsignedString(kid) + ": no epoch held with low bits "
                    + slotOf(kid));
        }
        long now = clock.nowMillis();
        if (e.erased || now >= e.expiresAt) {
            if (!e.erased) {
                e.erase(); // the time-driven erasure, due whether or not this frame had come
            }
            throw new SFrameException(SFrameError.EXPIRED_EPOCH, "KID " + Long.toUnsignedString(kid) + " is of epoch "
                    + Long.toUnsignedString(e.epoch) + ", whose keys are erased");
        }
        long leaf = (kid >>> epochBits) & ((1L << e.indexBits) - 1);
        long contextId = e.indexBits + epochBits == 64 ? 0 : kid >>> (e.indexBits + epochBits);
        if (leaf == e.myLeaf) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "KID " + Long.toUnsignedString(kid)
                    + " is this member's own: it encrypts only");
        }
        if (!e.isMember(leaf)) {
            throw new SFrameException(SFrameError.UNKNOWN_KEY, "KID " + Long.toUnsignedString(kid) + " names leaf " + leaf
                    + ", not a member in epoch " + Long.toUnsignedString(e.epoch));
        }
        SFrameReceiver r = e.receivers.get(kid);
        boolean fresh = r == null;
        if (fresh) {
            r = new SFrameReceiver(SFrameKey.derive(suite, kid, e.baseKey), replayWindow);
        }
        byte[] plaintext;
        try {
            plaintext = r.decrypt(h, frame, metadata);
        } catch (SFrameException ex) {
            if (fresh) {
                r.erase();
            }
            throw ex;
        }
        if (fresh) {
            e.receivers.put(kid, r); // kept only once a frame authenticated under it
        }
        return new ReceivedFrame(plaintext, e.epoch, (int) leaf, contextId, kid, h.ctr());
    }

    /** The key of {@code kid} in the epoch its low bits select, derived afresh (for tests that compare members). */
    SFrameKey deriveForTest(long kid) {
        Epoch e = slots[slotOf(kid)];
        return e == null || e.erased ? null : SFrameKey.derive(suite, kid, e.baseKey);
    }
}
