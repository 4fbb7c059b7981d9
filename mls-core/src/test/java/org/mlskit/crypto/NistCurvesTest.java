package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our three NIST curves are BouncyCastle's registry entries, point for point. */
class NistCurvesTest {
    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "P-521", "secp256r1", "secp384r1", "secp521r1"})
    void sameDomainAsBouncyCastlesRegistry(String name) {
        X9ECParameters ours = NistCurves.byName(name);
        X9ECParameters theirs = CustomNamedCurves.getByName(name);
        assertSame(theirs.getCurve().getClass(), ours.getCurve().getClass());
        assertTrue(theirs.getCurve().equals(ours.getCurve()));
        assertEquals(theirs.getN(), ours.getN());
        assertEquals(theirs.getH(), ours.getH());
        assertEquals(theirs.getG().getAffineXCoord().toBigInteger(), ours.getG().getAffineXCoord().toBigInteger());
        assertEquals(theirs.getG().getAffineYCoord().toBigInteger(), ours.getG().getAffineYCoord().toBigInteger());
        assertTrue(ours.getG().multiply(ours.getN()).isInfinity(), "G has order n");
    }

    @Test
    void otherNamesAreUnknown() {
        assertNull(NistCurves.byName("secp256k1"));
        assertNull(NistCurves.byName("P-224"));
        assertNull(NistCurves.byName("curve25519"));
    }
}
