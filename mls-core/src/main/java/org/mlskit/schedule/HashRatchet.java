package org.mlskit.schedule;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;

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
        if (generation == -1) {
            throw new MlsException(ErrorCode.GENERATION_OUT_OF_RANGE, "ratchet exhausted at generation 2^32 - 1");
        }
        return advance();
    }

    /** For receiving: the key of {@code gen}, derived forward or taken from the skipped keys. */
    public RatchetKey forGeneration(int gen) {
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

    private RatchetKey advance() {
        int nk = suite.aead().keyLength();
        int nn = suite.aead().nonceLength();
        RatchetKey k = new RatchetKey(generation, suite.deriveTreeSecret(secret, "key", generation, nk),
                suite.deriveTreeSecret(secret, "nonce", generation, nn));
        byte[] nextSecret = suite.deriveTreeSecret(secret, "secret", generation, suite.kdf().length());
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

    /** Zeroes the chain secret and every retained key. */
    void erase() {
        Arrays.fill(secret, (byte) 0);
        for (RatchetKey k : skipped.values()) {
            k.erase();
        }
        skipped.clear();
    }
}
