package org.mlskit.js.teavm;

import org.teavm.extension.spi.substitution.SimpleSubstitutionPolicy;
import org.teavm.extension.spi.substitution.SubstitutionSink;

/**
 * Swaps BouncyCastle classes that are far heavier in a TeaVM build than what mlskit needs of them.
 * BouncyCastle's HPKE looks NIST curves up in {@code CustomNamedCurves}, whose registry defines some
 * thirty curves and so compiles all of them (and ASN.1 object identifiers) into the browser build;
 * {@link TCustomNamedCurves} knows the three MLS uses. The JVM keeps BouncyCastle's class.
 * TeaVM finds this policy through META-INF/services.
 */
public final class BouncyCastleSubstitutions extends SimpleSubstitutionPolicy {
    @Override
    public void contribute(SubstitutionSink sink) {
        sink.selectClasses(named("org.bouncycastle.crypto.ec.CustomNamedCurves"))
                .replacePackage("org.bouncycastle.crypto.ec", "org.mlskit.js.teavm")
                .simpleNamePrefix("T");
    }
}
