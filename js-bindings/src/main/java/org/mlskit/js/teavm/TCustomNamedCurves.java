package org.mlskit.js.teavm;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.mlskit.crypto.NistCurves;

/** TeaVM stand-in for BouncyCastle's {@code CustomNamedCurves}: the NIST curves MLS uses and nothing else. */
public final class TCustomNamedCurves {
    private TCustomNamedCurves() {
    }

    public static X9ECParameters getByName(String name) {
        return NistCurves.byName(name);
    }
}
