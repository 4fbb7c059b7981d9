package org.mlskit.schedule;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.Kdf;

/**
 * One hash ratchet of the secret tree (RFC 9420 §9.1): a chain of secrets, each yielding the key
 * and nonce of one generation. Secrets and keys are erased as soon as they are used (§9.2); keys
 * of skipped generations are kept, up to a bound, so that out-of-order messages still decrypt.
 */
public final class HashRatchet {
    private final CipherSuite suite;
    private final RatchetPolicy policy;
    private byte[] secret;
    /** Next generation the chain will produce (uint32 in an int; compared unsigned). */
    private int generation;
    /** Keys of generations skipped over, oldest first. */
    private final LinkedHashMap<Integer, RatchetKey> skipped = new LinkedHashMap<>();
    private boolean erased;

    HashRatchet(CipherSuite suite, byte[] secret, RatchetPolicy policy) {
        this.suite = suite;
        this.secret = secret;
        this.policy = policy;
    }

    /** The next generation a sender would use. */
    public int generation() {
        return generation;
    }

    /** For sending: the key of the current generation; the ratchet moves past it. */
    public RatchetKey next() {
        checkUsable(generation);
        return advance();
    }

    /** For receiving: the key of {@code gen}, derived forward or taken from the skipped keys. */
    public RatchetKey forGeneration(int gen) {
        checkUsable(gen);
        if (Integer.compareUnsigned(gen, generation) < 0) {
            RatchetKey k = skipped.remove(gen);
            if (k == null) {
                throw new MlsException(ErrorCode.DUPLICATE_MESSAGE, "the key of generation " + Integer.toUnsignedString(gen)
                        + " was already used or is older than the out-of-order window");
            }
            return k;
        }
        long distance = Integer.toUnsignedLong(gen) - Integer.toUnsignedLong(generation);
        if (distance > policy.maxForwardDistance()) {
            throw new MlsException(ErrorCode.GENERATION_OUT_OF_RANGE, "generation " + Integer.toUnsignedString(gen)
                    + " is " + distance + " ahead of " + Integer.toUnsignedString(generation) + "; the limit is "
                    + policy.maxForwardDistance());
        }
        while (generation != gen) {
            RatchetKey k = advance();
            skipped.put(k.generation(), k);
            trimSkipped();
        }
        return advance();
    }

    /**
     * For receiving without commitment: the key of {@code gen}, found or derived exactly as
     * {@link #forGeneration(int)} would, but the ratchet is left as it was. Call
     * {@link PendingKey#commit()} once the message decrypted and verified, so that the key is
     * consumed; or {@link PendingKey#discard()} when it did not, so that a forged or damaged
     * message burns neither this generation nor the skipped ones before it. Errors are those of
     * {@link #forGeneration(int)}.
     */
    public PendingKey prepare(int gen) {
        checkUsable(gen);
        if (Integer.compareUnsigned(gen, generation) < 0) {
            RatchetKey k = skipped.get(gen);
            if (k == null) {
                throw new MlsException(ErrorCode.DUPLICATE_MESSAGE, "the key of generation " + Integer.toUnsignedString(gen)
                        + " was already used or is older than the out-of-order window");
            }
            return new PendingKey(k, null, 0, null);
        }
        long distance = Integer.toUnsignedLong(gen) - Integer.toUnsignedLong(generation);
        if (distance > policy.maxForwardDistance()) {
            throw new MlsException(ErrorCode.GENERATION_OUT_OF_RANGE, "generation " + Integer.toUnsignedString(gen)
                    + " is " + distance + " ahead of " + Integer.toUnsignedString(generation) + "; the limit is "
                    + policy.maxForwardDistance());
        }
        // Derive along a copy of the chain; the live secret is untouched until commit.
        ArrayDeque<RatchetKey> passed = new ArrayDeque<>();
        byte[] s = secret.clone();
        int g = generation;
        while (g != gen) {
            Kdf.Expander e = suite.kdf().expander(s);
            passed.addLast(keyAt(e, g));
            if (passed.size() > policy.outOfOrderTolerance()) {
                passed.removeFirst().erase();
            }
            s = nextSecret(e, s, g);
            g++;
        }
        Kdf.Expander e = suite.kdf().expander(s);
        RatchetKey target = keyAt(e, g);
        return new PendingKey(target, nextSecret(e, s, g), g + 1, passed);
    }

    private RatchetKey keyAt(Kdf.Expander chainSecret, int gen) {
        return new RatchetKey(gen, suite.deriveTreeSecret(chainSecret, "key", gen, suite.aead().keyLength()),
                suite.deriveTreeSecret(chainSecret, "nonce", gen, suite.aead().nonceLength()));
    }

    /** The chain secret after {@code gen}; zeroes the one it was derived from. */
    private byte[] nextSecret(Kdf.Expander e, byte[] chainSecret, int gen) {
        byte[] n = suite.deriveTreeSecret(e, "secret", gen, suite.kdf().length());
        Arrays.fill(chainSecret, (byte) 0);
        return n;
    }

    /**
     * A receiving key looked up by {@link #prepare(int)} and not yet consumed. Exactly one of
     * {@link #commit()} and {@link #discard()} takes effect; later calls do nothing.
     */
    public final class PendingKey {
        private final RatchetKey key;
        /** For a derived key: the ratchet state to install on commit; null for a key taken from the skipped ones. */
        private final byte[] newSecret;
        private final int newGeneration;
        private final ArrayDeque<RatchetKey> passed;
        /** The live state this was derived from, to refuse a commit after the ratchet moved on. */
        private final byte[] baseSecret;
        private final int baseGeneration;
        private boolean done;

        private PendingKey(RatchetKey key, byte[] newSecret, int newGeneration, ArrayDeque<RatchetKey> passed) {
            this.key = key;
            this.newSecret = newSecret;
            this.newGeneration = newGeneration;
            this.passed = passed;
            this.baseSecret = secret;
            this.baseGeneration = generation;
        }

        public RatchetKey key() {
            return key;
        }

        /** Consumes the key (and, for a derived one, moves the ratchet past it, keeping skipped keys as forGeneration does). */
        public void commit() {
            if (done) {
                return;
            }
            done = true;
            if (newSecret == null) {
                if (skipped.get(key.generation()) != key) {
                    throw new MlsException(ErrorCode.DUPLICATE_MESSAGE, "the key of generation "
                            + Integer.toUnsignedString(key.generation()) + " was consumed in the meantime");
                }
                skipped.remove(key.generation());
                return;
            }
            if (erased || secret != baseSecret || generation != baseGeneration) {
                eraseDerived();
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "the ratchet moved between prepare and commit");
            }
            Arrays.fill(secret, (byte) 0);
            secret = newSecret;
            generation = newGeneration;
            for (RatchetKey k : passed) {
                skipped.put(k.generation(), k);
            }
            trimSkipped();
        }

        /** Leaves the ratchet as it was and erases whatever was derived for this lookup. */
        public void discard() {
            if (done) {
                return;
            }
            done = true;
            if (newSecret != null) {
                key.erase();
                eraseDerived();
            }
        }

        private void eraseDerived() {
            Arrays.fill(newSecret, (byte) 0);
            for (RatchetKey k : passed) {
                k.erase();
            }
        }
    }

    /** Refuses an erased ratchet, and generation 2^32 - 1, past which the uint32 counter would wrap. */
    private void checkUsable(int gen) {
        if (erased) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "this epoch's secrets were erased");
        }
        if (gen == -1) {
            throw new MlsException(ErrorCode.GENERATION_OUT_OF_RANGE, "generation 2^32 - 1 is never used");
        }
    }

    private RatchetKey advance() {
        int nk = suite.aead().keyLength();
        int nn = suite.aead().nonceLength();
        Kdf.Expander e = suite.kdf().expander(secret);
        RatchetKey k = new RatchetKey(generation, suite.deriveTreeSecret(e, "key", generation, nk),
                suite.deriveTreeSecret(e, "nonce", generation, nn));
        byte[] nextSecret = suite.deriveTreeSecret(e, "secret", generation, suite.kdf().length());
        Arrays.fill(secret, (byte) 0);
        secret = nextSecret;
        generation++;
        return k;
    }

    private void trimSkipped() {
        Iterator<Map.Entry<Integer, RatchetKey>> it = skipped.entrySet().iterator();
        while (skipped.size() > policy.outOfOrderTolerance() && it.hasNext()) {
            it.next().getValue().erase();
            it.remove();
        }
    }

    /** Saved state: chain secret, next generation, the retained skipped keys; an erased ratchet saves as erased. */
    void encode(TlsWriter out) {
        out.u8(erased ? 1 : 0);
        if (erased) {
            return;
        }
        out.opaque(secret).u32(generation);
        int mark = out.beginVector();
        for (RatchetKey k : skipped.values()) {
            out.u32(k.generation()).opaque(k.key()).opaque(k.nonce());
        }
        out.endVector(mark);
    }

    static HashRatchet decode(CipherSuite suite, RatchetPolicy policy, TlsReader in) {
        boolean erased = in.u8() != 0;
        HashRatchet r = new HashRatchet(suite, erased ? new byte[0] : in.opaque(), policy);
        if (erased) {
            r.erased = true;
            return r;
        }
        r.generation = in.u32();
        TlsReader keys = in.vector();
        while (keys.hasRemaining()) {
            RatchetKey k = new RatchetKey(keys.u32(), keys.opaque(), keys.opaque());
            r.skipped.put(k.generation(), k);
        }
        return r;
    }

    /** Zeroes the chain secret and every retained key; the ratchet is unusable afterwards. */
    void erase() {
        erased = true;
        Arrays.fill(secret, (byte) 0);
        for (RatchetKey k : skipped.values()) {
            k.erase();
        }
        skipped.clear();
    }
}
