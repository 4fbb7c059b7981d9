package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mlskit.crypto.CryptoTestSupport.assertMls;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlskit.ErrorCode;

/** Code points, suite composition and the bounds of ExpandWithLabel. */
class CipherSuiteBadInputTest {

    static java.util.stream.Stream<CipherSuite> suites() {
        return CryptoTestSupport.suites();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, -1, 0x0a0a, 0xf000, 0xffff, 0x10001, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void unknownCodePointsAreUnsupported(int id) {
        assertMls(ErrorCode.UNSUPPORTED, () -> CipherSuite.of(id));
    }

    @Test
    void sevenSuitesInCodePointOrder() {
        CipherSuite[] all = CipherSuite.all();
        assertEquals(7, all.length);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < all.length; i++) {
            assertEquals(i + 1, all[i].id());
            assertSame(all[i], CipherSuite.of(i + 1));
            names.add(all[i].name());
        }
        assertEquals(7, names.size());
        // all() hands out a copy: changing it does not change the registry
        all[0] = null;
        assertEquals(1, CipherSuite.all()[0].id());
    }

    /** RFC 9420 §17.1: the components of each suite. */
    @Test
    void suiteComposition() {
        check(1, Kem.DHKEM_X25519_SHA256, Aead.AES_128_GCM, HashAlgorithm.SHA256, SignatureScheme.ED25519);
        check(2, Kem.DHKEM_P256_SHA256, Aead.AES_128_GCM, HashAlgorithm.SHA256, SignatureScheme.ECDSA_SECP256R1_SHA256);
        check(3, Kem.DHKEM_X25519_SHA256, Aead.CHACHA20_POLY1305, HashAlgorithm.SHA256, SignatureScheme.ED25519);
        check(4, Kem.DHKEM_X448_SHA512, Aead.AES_256_GCM, HashAlgorithm.SHA512, SignatureScheme.ED448);
        check(5, Kem.DHKEM_P521_SHA512, Aead.AES_256_GCM, HashAlgorithm.SHA512, SignatureScheme.ECDSA_SECP521R1_SHA512);
        check(6, Kem.DHKEM_X448_SHA512, Aead.CHACHA20_POLY1305, HashAlgorithm.SHA512, SignatureScheme.ED448);
        check(7, Kem.DHKEM_P384_SHA384, Aead.AES_256_GCM, HashAlgorithm.SHA384, SignatureScheme.ECDSA_SECP384R1_SHA384);
    }

    private static void check(int id, Kem kem, Aead aead, HashAlgorithm hash, SignatureScheme sig) {
        CipherSuite cs = CipherSuite.of(id);
        assertEquals(kem, cs.kem(), cs::name);
        assertEquals(aead, cs.aead(), cs::name);
        assertEquals(hash, cs.hash(), cs::name);
        assertEquals(sig, cs.signatureScheme(), cs::name);
        assertEquals(hash.length(), cs.kdf().length(), cs::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void expandWithLabelUpToTheHkdfLimit(CipherSuite cs) {
        int nh = cs.kdf().length();
        byte[] secret = CryptoTestSupport.RANDOM.bytes(nh);
        byte[] max = cs.expandWithLabel(secret, "limit", new byte[0], 255 * nh);
        assertEquals(255 * nh, max.length);
        byte[] short1 = cs.expandWithLabel(secret, "limit", new byte[0], nh);
        // the length is part of KDFLabel, so a shorter request is not a prefix of a longer one
        assertEquals(nh, short1.length);
        assertFalse(Arrays.equals(Arrays.copyOf(max, nh), short1));
        assertEquals(0, cs.expandWithLabel(secret, "limit", new byte[0], 0).length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void expandWithLabelBeyondTheHkdfLimitIsInvalidArgument(CipherSuite cs) {
        int nh = cs.kdf().length();
        byte[] secret = new byte[nh];
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.expandWithLabel(secret, "limit", new byte[0], 255 * nh + 1));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.expandWithLabel(secret, "limit", new byte[0], 0xffff));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.expandWithLabel(secret, "limit", new byte[0], 0x10000));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.expandWithLabel(secret, "limit", new byte[0], -1));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.deriveTreeSecret(secret, "key", 0, 255 * nh + 1));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.kdf().expand(secret, new byte[0], 255 * nh + 1));
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.kdf().expand(secret, new byte[0], -1));
    }
}
