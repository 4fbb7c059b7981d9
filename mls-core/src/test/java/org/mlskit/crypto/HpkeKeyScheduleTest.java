package org.mlskit.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.mlskit.crypto.CryptoTestSupport.RANDOM;
import static org.mlskit.crypto.CryptoTestSupport.assertMls;

import java.util.stream.Stream;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.ErrorCode;

/**
 * mlskit computes HPKE's DHKEM and key schedule itself (so that a long info is hashed once for
 * many recipients); these tests hold it to BouncyCastle's HPKE byte for byte, in both directions,
 * for every suite, with short and long infos.
 */
class HpkeKeyScheduleTest {
    static Stream<CipherSuite> suites() {
        return CryptoTestSupport.suites();
    }

    private static HPKE bc(CipherSuite cs) {
        int kdf = cs.hash() == HashAlgorithm.SHA256 ? 1 : cs.hash() == HashAlgorithm.SHA384 ? 2 : 3;
        return new HPKE(HPKE.mode_base, (short) cs.kem().id(), (short) kdf, (short) cs.aead().hpkeId());
    }

    /** Replays fixed bytes, so that mlskit's seal uses the ephemeral key BouncyCastle is given. */
    private static RandomSource replaying(byte[] bytes) {
        return out -> System.arraycopy(bytes, 0, out, 0, out.length);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void sealIsByteIdenticalToBouncyCastle(CipherSuite cs) throws Exception {
        HPKE bc = bc(cs);
        for (int infoLength : new int[] {0, 40, 200_000}) {
            byte[] info = RANDOM.bytes(infoLength);
            byte[] aad = RANDOM.bytes(7);
            byte[] pt = RANDOM.bytes(61);
            KeyPair recipient = cs.hpke().generateKeyPair(RANDOM);
            byte[] ikmE = RANDOM.bytes(cs.kem().privateKeyLength());
            AsymmetricCipherKeyPair kpE = bc.deriveKeyPair(ikmE);
            HPKEContextWithEncapsulation expected = bc.setupBaseS(bc.deserializePublicKey(recipient.publicKey()), info, kpE);
            byte[] expectedCt = expected.seal(aad, pt);

            Hpke.Info prepared = cs.hpke().info(info);
            for (int round = 0; round < 2; round++) {
                HpkeCiphertext ct = cs.hpke().seal(recipient.publicKey(), prepared, aad, pt, replaying(ikmE));
                assertArrayEquals(expected.getEncapsulation(), ct.kemOutput());
                assertArrayEquals(expectedCt, ct.ciphertext());
            }
            HpkeCiphertext plainForm = cs.hpke().seal(recipient.publicKey(), info, aad, pt, replaying(ikmE));
            assertArrayEquals(expectedCt, plainForm.ciphertext());
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void opensWhatBouncyCastleSealsAndTheReverse(CipherSuite cs) throws Exception {
        HPKE bc = bc(cs);
        byte[] info = RANDOM.bytes(1000);
        byte[] pt = RANDOM.bytes(33);
        KeyPair recipient = cs.hpke().generateKeyPair(RANDOM);
        AsymmetricCipherKeyPair bcRecipient = bc.deserializePrivateKey(recipient.privateKey(), recipient.publicKey());

        HPKEContextWithEncapsulation s = bc.setupBaseS(bcRecipient.getPublic(), info, bc.deriveKeyPair(RANDOM.bytes(32)));
        byte[] ct = s.seal(new byte[0], pt);
        assertArrayEquals(pt, cs.hpke().open(recipient.privateKey(), s.getEncapsulation(), info, new byte[0], ct));
        assertArrayEquals(pt, cs.hpke().open(recipient.privateKey(), recipient.publicKey(), s.getEncapsulation(),
                cs.hpke().info(info), new byte[0], ct));

        HpkeCiphertext mine = cs.hpke().seal(recipient.publicKey(), cs.hpke().info(info), new byte[0], pt, RANDOM);
        HPKEContext r = bc.setupBaseR(mine.kemOutput(), bcRecipient, info);
        assertArrayEquals(pt, r.open(new byte[0], mine.ciphertext()));

        // Another info is another key schedule.
        byte[] otherInfo = info.clone();
        otherInfo[999] ^= 1;
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.hpke().open(recipient.privateKey(), mine.kemOutput(), otherInfo,
                new byte[0], mine.ciphertext()));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void encryptWithLabelUnderAPreparedContextEqualsThePlainForm(CipherSuite cs) {
        byte[] context = RANDOM.bytes(5000);
        byte[] pt = RANDOM.bytes(32);
        KeyPair recipient = cs.hpke().generateKeyPair(RANDOM);
        byte[] ikmE = RANDOM.bytes(cs.kem().privateKeyLength());
        HpkeCiphertext a = cs.encryptWithLabel(recipient.publicKey(), "Welcome", context, pt, replaying(ikmE));
        HpkeCiphertext b = cs.encryptWithLabel(recipient.publicKey(), cs.encryptContext("Welcome", context), pt, replaying(ikmE));
        assertArrayEquals(a.kemOutput(), b.kemOutput());
        assertArrayEquals(a.ciphertext(), b.ciphertext());
        assertArrayEquals(pt, cs.decryptWithLabel(recipient.privateKey(), "Welcome", context, b.kemOutput(), b.ciphertext()));
        assertMls(ErrorCode.DECRYPTION_FAILED, () -> cs.decryptWithLabel(recipient.privateKey(), "Welcomf", context,
                b.kemOutput(), b.ciphertext()));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aContextPreparedForAnotherSuiteIsRejected(CipherSuite cs) {
        CipherSuite other = CipherSuite.of(cs.id() % 7 + 1);
        KeyPair recipient = cs.hpke().generateKeyPair(RANDOM);
        Hpke.Info foreign = other.encryptContext("Welcome", new byte[3]);
        assertMls(ErrorCode.INVALID_ARGUMENT, () -> cs.encryptWithLabel(recipient.publicKey(), foreign, new byte[1], RANDOM));
    }
}
