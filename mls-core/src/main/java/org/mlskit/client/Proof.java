package org.mlskit.client;

import org.mlskit.codec.TlsWriter;
import org.mlskit.keys.Identity;

/**
 * The device's proof of its signature key to the DS: SignWithLabel(key, "mlskit DS challenge",
 * {challenge, user, device}) (delivery-service/README.md, "Devices and tokens").
 */
public final class Proof {
    public static final String LABEL = "mlskit DS challenge";

    private Proof() {
    }

    public static byte[] content(byte[] challenge, String user, String device) {
        return new TlsWriter().opaque(challenge).utf8(user).utf8(device).toByteArray();
    }

    public static byte[] sign(Identity identity, byte[] challenge, String user, String device) {
        return identity.sign(LABEL, content(challenge, user, device));
    }
}
