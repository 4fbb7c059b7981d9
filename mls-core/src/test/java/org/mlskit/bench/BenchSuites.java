package org.mlskit.bench;

import org.mlskit.crypto.CipherSuite;

/** Maps a KEM name used as a JMH {@code @Param} to an RFC 9420 suite that uses that KEM. */
final class BenchSuites {
    private BenchSuites() {
    }

    static CipherSuite forKem(String kem) {
        switch (kem) {
            case "X25519":
                return CipherSuite.of(0x0001); // MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519
            case "P256":
                return CipherSuite.of(0x0002); // MLS_128_DHKEMP256_AES128GCM_SHA256_P256
            case "X448":
                return CipherSuite.of(0x0004); // MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448
            case "P521":
                return CipherSuite.of(0x0005); // MLS_256_DHKEMP521_AES256GCM_SHA512_P521
            case "P384":
                return CipherSuite.of(0x0007); // MLS_256_DHKEMP384_AES256GCM_SHA384_P384
            default:
                throw new IllegalArgumentException("unknown KEM " + kem);
        }
    }
}
