package org.mlskit.crypto;

/**
 * Counts the public-key operations of the crypto layer, so a benchmark can say how many of each
 * an MLS operation performed and how far its cost is from the sum of those primitives.
 *
 * <ul>
 *   <li>{@code hpkeSeal}, {@code hpkeOpen}: {@link Hpke#seal} and {@link Hpke#open} (each one
 *       DHKEM Encap or Decap: for seal an ephemeral key derivation and one DH, for open one
 *       DH, plus recomputing the recipient's public key when the caller does not supply it). The ephemeral key
 *       inside a seal is not counted as a {@code deriveKeyPair}.</li>
 *   <li>{@code deriveKeyPair}: {@link Hpke#deriveKeyPair}, which {@link Hpke#generateKeyPair}
 *       also goes through (node keys from path secrets, fresh leaf keys).</li>
 *   <li>{@code sign}, {@code verify}: {@link SignatureScheme#sign} and {@link SignatureScheme#verify}.</li>
 * </ul>
 *
 * <p>Plain static counters without synchronisation: TeaVM's outputs have one thread, and on the
 * JVM the counts are only meaningful for a single-threaded run (the benchmarks read them from one
 * thread around one operation). Counting never changes what the crypto layer does.
 */
public final class OperationCounter {
    public static int hpkeSeal;
    public static int hpkeOpen;
    public static int deriveKeyPair;
    public static int sign;
    public static int verify;

    private OperationCounter() {
    }

    /** Sets every counter to zero. */
    public static void reset() {
        hpkeSeal = 0;
        hpkeOpen = 0;
        deriveKeyPair = 0;
        sign = 0;
        verify = 0;
    }

    /** The counters as {@code seal=S open=O derive=D sign=G verify=V}. */
    public static String snapshot() {
        return "seal=" + hpkeSeal + " open=" + hpkeOpen + " derive=" + deriveKeyPair + " sign=" + sign + " verify=" + verify;
    }
}
