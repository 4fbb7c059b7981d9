package org.mlskit.js.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mlskit.group.PskStore;

/** A group's external PSKs, set from JavaScript (local policy: not part of the saved state). */
final class PskTable implements PskStore {
    private final List<byte[][]> entries = new ArrayList<>();

    void put(byte[] id, byte[] secret) {
        for (byte[][] e : entries) {
            if (Arrays.equals(e[0], id)) {
                e[1] = secret.clone();
                return;
            }
        }
        entries.add(new byte[][] {id.clone(), secret.clone()});
    }

    @Override
    public byte[] externalPsk(byte[] pskId) {
        for (byte[][] e : entries) {
            if (Arrays.equals(e[0], pskId)) {
                return e[1].clone();
            }
        }
        return null;
    }
}
