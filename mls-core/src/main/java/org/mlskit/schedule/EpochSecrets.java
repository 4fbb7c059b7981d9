package org.mlskit.schedule;

import java.util.Arrays;

import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.KeyPair;

/**
 * The secrets of one epoch (RFC 9420 §8, Table 4), derived from the epoch secret, which itself is
 * erased as soon as they exist. Following the deletion schedule (§9.2), joiner_secret and
 * welcome_secret are erased once the epoch is in use ({@link #eraseJoining()}: any Welcome into it
 * was sealed before), init_secret once the next epoch is derived from it ({@link #eraseInit()}),
 * and {@link #erase()} zeroes what remains when the epoch is dropped.
 */
public final class EpochSecrets {
    private final CipherSuite suite;
    private byte[] joinerSecret;
    private byte[] welcomeSecret;
    final byte[] senderDataSecret;
    final byte[] encryptionSecret;
    final byte[] exporterSecret;
    final byte[] externalSecret;
    final byte[] confirmationKey;
    final byte[] membershipKey;
    final byte[] resumptionPsk;
    final byte[] epochAuthenticator;
    private byte[] initSecret;

    EpochSecrets(CipherSuite suite, byte[] joinerSecret, byte[] welcomeSecret, byte[] epochSecret) {
        this.suite = suite;
        this.joinerSecret = joinerSecret;
        this.welcomeSecret = welcomeSecret;
        senderDataSecret = suite.deriveSecret(epochSecret, "sender data");
        encryptionSecret = suite.deriveSecret(epochSecret, "encryption");
        exporterSecret = suite.deriveSecret(epochSecret, "exporter");
        externalSecret = suite.deriveSecret(epochSecret, "external");
        confirmationKey = suite.deriveSecret(epochSecret, "confirm");
        membershipKey = suite.deriveSecret(epochSecret, "membership");
        resumptionPsk = suite.deriveSecret(epochSecret, "resumption");
        epochAuthenticator = suite.deriveSecret(epochSecret, "authentication");
        initSecret = suite.deriveSecret(epochSecret, "init");
    }

    private EpochSecrets(CipherSuite suite, byte[][] all) {
        this.suite = suite;
        joinerSecret = all[0];
        welcomeSecret = all[1];
        senderDataSecret = all[2];
        encryptionSecret = all[3];
        exporterSecret = all[4];
        externalSecret = all[5];
        confirmationKey = all[6];
        membershipKey = all[7];
        resumptionPsk = all[8];
        epochAuthenticator = all[9];
        initSecret = all[10];
    }

    private byte[][] all() {
        return new byte[][] {joinerSecret, welcomeSecret, senderDataSecret, encryptionSecret, exporterSecret,
            externalSecret, confirmationKey, membershipKey, resumptionPsk, epochAuthenticator, initSecret};
    }

    /** Saved state: every secret of the epoch, in Table 4's order (the epoch secret itself is gone). */
    public void encode(TlsWriter out) {
        encode(out, true);
    }

    /**
     * As {@link #encode(TlsWriter)}, optionally without encryption_secret: the secret tree holds
     * it (as its root) only until the root is expanded, and a record kept for the whole epoch must
     * not keep it longer (§9.2).
     */
    public void encode(TlsWriter out, boolean withEncryptionSecret) {
        encode(out, withEncryptionSecret, true);
    }

    /**
     * As {@link #encode(TlsWriter, boolean)}, optionally without init_secret too: a record kept
     * after the next epoch is derived must not keep it (§9.2), so it is saved apart.
     */
    public void encode(TlsWriter out, boolean withEncryptionSecret, boolean withInit) {
        for (byte[] s : all()) {
            boolean left = (s == encryptionSecret && !withEncryptionSecret) || (s == initSecret && !withInit);
            out.opaque(left ? new byte[0] : s);
        }
    }

    /** Puts back init_secret saved apart from the other secrets (an encoding without it). */
    public void restoreInit(byte[] secret) {
        if (initSecret.length > 0 || secret.length == 0) {
            throw new org.mlskit.MlsException(org.mlskit.ErrorCode.INVALID_STATE, "init_secret is held already or empty");
        }
        initSecret = secret.clone();
    }

    public static EpochSecrets decode(CipherSuite suite, TlsReader in) {
        byte[][] all = new byte[11][];
        for (int i = 0; i < all.length; i++) {
            all[i] = in.opaque();
        }
        return new EpochSecrets(suite, all);
    }

    public CipherSuite suite() {
        return suite;
    }

    public byte[] joinerSecret() {
        return held(joinerSecret, "joiner_secret");
    }

    public byte[] welcomeSecret() {
        return held(welcomeSecret, "welcome_secret");
    }

    public byte[] senderDataSecret() {
        return senderDataSecret.clone();
    }

    public byte[] encryptionSecret() {
        return encryptionSecret.clone();
    }

    public byte[] exporterSecret() {
        return exporterSecret.clone();
    }

    public byte[] externalSecret() {
        return externalSecret.clone();
    }

    public byte[] confirmationKey() {
        return confirmationKey.clone();
    }

    public byte[] membershipKey() {
        return membershipKey.clone();
    }

    public byte[] resumptionPsk() {
        return resumptionPsk.clone();
    }

    public byte[] epochAuthenticator() {
        return epochAuthenticator.clone();
    }

    /** init_secret of the next epoch. */
    public byte[] initSecret() {
        return held(initSecret, "init_secret");
    }

    /** The epoch is in use: joiner_secret and welcome_secret are consumed (§9.2). */
    public void eraseJoining() {
        joinerSecret = erased(joinerSecret);
        welcomeSecret = erased(welcomeSecret);
    }

    /** The next epoch was derived from init_secret: it is consumed (§9.2). */
    public void eraseInit() {
        initSecret = erased(initSecret);
    }

    /** Whether init_secret is still held (it is until the next epoch is derived). */
    public boolean holdsInit() {
        return initSecret.length > 0;
    }

    /** Whether joiner_secret and welcome_secret are still held (they are until the epoch is in use). */
    public boolean holdsJoining() {
        return joinerSecret.length > 0;
    }

    private static byte[] erased(byte[] secret) {
        Arrays.fill(secret, (byte) 0);
        return new byte[0];
    }

    /** A copy of a secret still held; an erased one (saved as empty) is an error, never an empty key. */
    private static byte[] held(byte[] secret, String name) {
        if (secret.length == 0) {
            throw new org.mlskit.MlsException(org.mlskit.ErrorCode.INVALID_STATE,
                    name + " of this epoch was erased after use (RFC 9420 §9.2)");
        }
        return secret.clone();
    }

    /** MLS-Exporter(Label, Context, Length) of §8.5. */
    public byte[] export(String label, byte[] context, int length) {
        byte[] derived = suite.deriveSecret(exporterSecret, label);
        try {
            return suite.expandWithLabel(derived, "exported", suite.hash(context), length);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** The external key pair of §8.3: KEM.DeriveKeyPair(external_secret). */
    public KeyPair externalKeyPair() {
        return suite.hpke().deriveKeyPair(externalSecret);
    }

    /** Zeroes every secret this object still holds. */
    public void erase() {
        for (byte[] s : all()) {
            Arrays.fill(s, (byte) 0);
        }
    }
}
