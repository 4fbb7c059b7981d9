package org.mlskit.interop.server;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mlskit.group.PskStore;

/** External PSKs a harness client was given with StorePSK, by psk_id; shared by every state of one lineage. */
final class MapPskStore implements PskStore {
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    void put(byte[] pskId, byte[] secret) {
        secrets.put(HexFormat.of().formatHex(pskId), secret.clone());
    }

    @Override
    public byte[] externalPsk(byte[] pskId) {
        byte[] s = secrets.get(HexFormat.of().formatHex(pskId));
        return s == null ? null : s.clone();
    }
}
