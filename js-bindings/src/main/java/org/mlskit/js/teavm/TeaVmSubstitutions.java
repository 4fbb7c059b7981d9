package org.mlskit.js.teavm;

import org.teavm.extension.spi.substitution.SimpleSubstitutionPolicy;
import org.teavm.extension.spi.substitution.SubstitutionSink;

/**
 * Classes that TeaVM builds compile in place of others; the JVM keeps the originals.
 * <ul>
 *   <li>BouncyCastle's HPKE looks NIST curves up in {@code CustomNamedCurves}, whose registry
 *       defines some thirty curves and so compiles all of them (and ASN.1 object identifiers)
 *       into the browser build; {@link TCustomNamedCurves} knows the three MLS uses.</li>
 *   <li>mls-core's {@code Hmac} is the JDK's {@code Mac} (SHA-2 intrinsics on the JVM), which
 *       TeaVM does not have; {@link THmac} is BouncyCastle's HMac.</li>
 * </ul>
 * TeaVM finds this policy through META-INF/services.
 */
public final class TeaVmSubstitutions extends SimpleSubstitutionPolicy {
    @Override
    public void contribute(SubstitutionSink sink) {
        sink.selectClasses(named("org.bouncycastle.crypto.ec.CustomNamedCurves"))
                .replacePackage("org.bouncycastle.crypto.ec", "org.mlskit.js.teavm")
                .simpleNamePrefix("T");
        sink.selectClasses(named("org.mlskit.crypto.Hmac"))
                .replacePackage("org.mlskit.crypto", "org.mlskit.js.teavm")
                .simpleNamePrefix("T");
    }
}
