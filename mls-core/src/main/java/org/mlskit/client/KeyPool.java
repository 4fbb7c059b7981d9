package org.mlskit.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.util.encoders.Hex;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/**
 * This device's KeyPackages with their private keys, by KeyPackageRef: made here, uploaded to the
 * DS, found again when a Welcome names one. A one-time KeyPackage is forgotten once used; last
 * resort ones stay until they expire (a Welcome may still be on its way to an older one).
 */
final class KeyPool {
    private final Map<String, KeyPackageBundle> bundles = new LinkedHashMap<>();

    /** Makes {@code n} KeyPackages (and a last resort one if asked); returns them as MLSMessages to upload. */
    List<byte[]> make(Identity identity, int n, boolean lastResort, long nowSeconds, long lifetimeSeconds,
            RandomSource random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n + (lastResort ? 1 : 0); i++) {
            KeyPackageBundle b = KeyPackageBundle.create(identity, nowSeconds - 3600, nowSeconds + lifetimeSeconds,
                    new ArrayList<Extension>(), new ArrayList<Extension>(), lastResort && i == n, random);
            bundles.put(Hex.toHexString(b.keyPackage().ref(identity.suite())), b);
            out.add(new MlsMessage(WireFormat.KEY_PACKAGE, b.keyPackage()).toBytes());
        }
        return out;
    }

    /** The bundle a Welcome names, or null. */
    KeyPackageBundle find(List<byte[]> refs) {
        for (byte[] r : refs) {
            KeyPackageBundle b = bundles.get(Hex.toHexString(r));
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    /** Forgets a used one-time KeyPackage (its private keys are erased). */
    void used(KeyPackageBundle b, Identity identity) {
        if (!KeyPackageBundle.isLastResort(b.keyPackage())) {
            bundles.remove(Hex.toHexString(b.keyPackage().ref(identity.suite())));
            b.erase();
        }
    }

    /** Drops expired KeyPackages. */
    void expire(long nowSeconds) {
        for (Iterator<KeyPackageBundle> it = bundles.values().iterator(); it.hasNext(); ) {
            KeyPackageBundle b = it.next();
            if (Long.compareUnsigned(b.keyPackage().leafNode.lifetime.notAfter, nowSeconds) < 0) {
                b.erase();
                it.remove();
            }
        }
    }

    boolean isEmpty() {
        return bundles.isEmpty();
    }

    void encode(TlsWriter out) {
        int mark = out.beginVector();
        for (KeyPackageBundle b : bundles.values()) {
            out.opaque(b.toBytes());
        }
        out.endVector(mark);
    }

    void decode(TlsReader in, Identity identity) {
        TlsReader v = in.vector();
        while (v.hasRemaining()) {
            KeyPackageBundle b = KeyPackageBundle.fromBytes(v.opaque());
            bundles.put(Hex.toHexString(b.keyPackage().ref(identity.suite())), b);
        }
    }
}
