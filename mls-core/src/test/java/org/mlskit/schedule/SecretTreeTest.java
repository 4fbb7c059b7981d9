package org.mlskit.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;

class SecretTreeTest {
    private static final CipherSuite CS = CipherSuite.of(1);

    private static SecretTree tree(RatchetPolicy p) {
        return new SecretTree(CS, new byte[32], 8, p);
    }

    @Test
    void senderAndReceiverAgreeInAnyOrder() {
        SecretTree sender = tree(RatchetPolicy.DEFAULT);
        SecretTree receiver = tree(RatchetPolicy.DEFAULT);
        RatchetKey[] sent = new RatchetKey[5];
        for (int i = 0; i < 5; i++) {
            sent[i] = sender.applicationRatchet(3).next();
            assertEquals(i, sent[i].generation());
        }
        for (int i : new int[] {4, 0, 2, 1, 3}) {
            assertArrayEquals(sent[i].key(), receiver.applicationRatchet(3).forGeneration(i).key());
        }
    }

    @Test
    void aUsedKeyIsGoneSoAReplayIsADuplicate() {
        SecretTree t = tree(RatchetPolicy.DEFAULT);
        t.handshakeRatchet(0).forGeneration(2);
        t.handshakeRatchet(0).forGeneration(0);
        MlsException e = assertThrows(MlsException.class, () -> t.handshakeRatchet(0).forGeneration(2));
        assertEquals(ErrorCode.DUPLICATE_MESSAGE, e.code());
        e = assertThrows(MlsException.class, () -> t.handshakeRatchet(0).forGeneration(0));
        assertEquals(ErrorCode.DUPLICATE_MESSAGE, e.code());
        t.handshakeRatchet(0).forGeneration(1);
    }

    @Test
    void forwardDistanceAndOutOfOrderWindowAreBounded() {
        SecretTree t = tree(new RatchetPolicy(10, 2));
        MlsException e = assertThrows(MlsException.class, () -> t.applicationRatchet(1).forGeneration(11));
        assertEquals(ErrorCode.GENERATION_OUT_OF_RANGE, e.code());
        // The failed jump changed nothing: generation 0 is still available.
        assertEquals(0, t.applicationRatchet(1).generation());
        t.applicationRatchet(1).forGeneration(10);
        // Only the two most recent skipped keys (8, 9) are kept.
        t.applicationRatchet(1).forGeneration(9);
        assertEquals(ErrorCode.DUPLICATE_MESSAGE,
                assertThrows(MlsException.class, () -> t.applicationRatchet(1).forGeneration(7)).code());
    }

    @Test
    void leavesAreIndependentAndOutOfRangeLeavesRejected() {
        SecretTree t = tree(RatchetPolicy.DEFAULT);
        byte[] a = t.applicationRatchet(0).next().key();
        byte[] b = t.applicationRatchet(7).next().key();
        assertEquals(false, java.util.Arrays.equals(a, b));
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MlsException.class, () -> t.applicationRatchet(8)).code());
    }
}
