package org.mlskit.sframe;

/**
 * One frame-cipher benchmark case, shared by the JMH benchmarks and the TeaVM bench script so both
 * measure the same thing: {@link #encrypt()} is {@link SFrameSender#encrypt} (header, counter,
 * AEAD) of a {@code size}-byte frame with no metadata; {@link #decrypt()} is header decoding,
 * authentication and decryption of one such frame ({@link SFrameKey#decrypt}, without the replay
 * window, whose cost is a few bit operations). Keys are derived once, as in a call.
 */
public final class SFrameBench {
    private static final byte[] NONE = new byte[0];

    private final SFrameSender sender;
    private final SFrameKey receiver;
    private final byte[] plaintext;
    private final byte[] frame;

    public SFrameBench(SFrameSuite suite, int size) {
        byte[] base = new byte[suite.nk()];
        for (int i = 0; i < base.length; i++) {
            base[i] = (byte) (i * 7 + 1);
        }
        long kid = 0x15; // a one-byte KID, as in a small MLS call
        sender = new SFrameSender(SFrameKey.derive(suite, kid, base));
        receiver = SFrameKey.derive(suite, kid, base);
        plaintext = new byte[size];
        for (int i = 0; i < size; i++) {
            plaintext[i] = (byte) i;
        }
        frame = sender.encrypt(NONE, plaintext);
        if (!java.util.Arrays.equals(plaintext, decrypt())) {
            throw new IllegalStateException("SFrame round trip failed for " + suite);
        }
    }

    public byte[] encrypt() {
        return sender.encrypt(NONE, plaintext);
    }

    public byte[] decrypt() {
        return receiver.decrypt(frame, NONE);
    }
}
