package org.mlskit.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.PrivateMessage;

/** GroupConfig.paddingBlock: PrivateMessage plaintexts are padded to a multiple of the block. */
class PaddingTest {
    /** Every RFC suite's AEAD (AES-GCM, ChaCha20-Poly1305) has a 16-byte tag. */
    private static final int AEAD_TAG = 16;

    @ParameterizedTest
    @MethodSource("org.mlskit.group.GroupFixture#fastSuites")
    void ciphertextLengthsFollowThePaddingBlock(CipherSuite cs) {
        for (int block : new int[] {0, 32, 100}) {
            java.util.List<Group> all = GroupFixture.group(cs, 2, GroupConfig.DEFAULT.withPaddingBlock(block));
            Group a = all.get(0);
            Group b = all.get(1);
            Set<Integer> lengths = new TreeSet<>();
            for (int n = 0; n < 80; n++) {
                byte[] message = a.encrypt(new byte[n], null);
                int plaintext = ciphertextOf(message).length - AEAD_TAG;
                if (block > 0) {
                    assertEquals(0, plaintext % block, "block " + block + ", " + n + " bytes");
                }
                lengths.add(plaintext);
                assertEquals(n, b.process(message).applicationData().length);
            }
            if (block == 0) {
                assertTrue(lengths.size() >= 50, "unpadded lengths follow the data: " + lengths);
            } else {
                assertTrue(lengths.size() <= 80 / block + 2, "block " + block + " gives few lengths: " + lengths);
            }
            // Handshake messages are padded too, and still processed.
            GroupConfig config = a.config();
            StagedCommit sc = a.update();
            if (block > 0) {
                assertEquals(0, (ciphertextOf(sc.message()).length - AEAD_TAG) % block);
            }
            GroupFixture.deliver(a, sc, b);
            GroupFixture.assertAgree(a, b);
            assertEquals(config.paddingBlock, block);
        }
    }

    private static byte[] ciphertextOf(byte[] message) {
        return ((PrivateMessage) MlsMessage.fromBytes(message).body).ciphertext;
    }
}
