package org.mlskit.schedule;

import java.util.Arrays;

import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;

/**
 * The key schedule of RFC 9420 §8: from the previous epoch's init_secret, the commit_secret, the
 * PSK secret and the new GroupContext to the new epoch's secrets. Intermediate secrets are zeroed
 * once used.
 */
public final class KeySchedule {
    private KeySchedule() {
    }

    /**
     * A member's view: {@code commitSecret} null means no UpdatePath (the zero vector),
     * {@code pskSecret} null means no PSKs (the zero vector).
     */
    public static EpochSecrets next(CipherSuite suite, byte[] initSecret, byte[] commitSecret, byte[] pskSecret,
            GroupContext context) {
        byte[] extracted = suite.kdf().extract(initSecret, orZero(suite, commitSecret));
        byte[] joiner = suite.expandWithLabel(extracted, "joiner", context.toBytes(), suite.kdf().length());
        Arrays.fill(extracted, (byte) 0);
        return fromJoiner(suite, joiner, pskSecret, context);
    }

    /** A joiner's view (§8, from a Welcome): the joiner_secret and PSK secret are known directly. */
    public static EpochSecrets fromJoiner(CipherSuite suite, byte[] joinerSecret, byte[] pskSecret, GroupContext context) {
        byte[] member = suite.kdf().extract(joinerSecret, orZero(suite, pskSecret));
        byte[] welcome = suite.deriveSecret(member, "welcome");
        byte[] epoch = suite.expandWithLabel(member, "epoch", context.toBytes(), suite.kdf().length());
        Arrays.fill(member, (byte) 0);
        try {
            return new EpochSecrets(suite, joinerSecret.clone(), welcome, epoch);
        } finally {
            Arrays.fill(epoch, (byte) 0);
        }
    }

    /** welcome_secret from joiner_secret and psk_secret, for decrypting a Welcome's GroupInfo. */
    public static byte[] welcomeSecret(CipherSuite suite, byte[] joinerSecret, byte[] pskSecret) {
        byte[] member = suite.kdf().extract(joinerSecret, orZero(suite, pskSecret));
        try {
            return suite.deriveSecret(member, "welcome");
        } finally {
            Arrays.fill(member, (byte) 0);
        }
    }

    static byte[] orZero(CipherSuite suite, byte[] secret) {
        return secret != null ? secret : new byte[suite.kdf().length()];
    }
}
