package org.mlskit.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one step of the engine asks of its host: calls to make, events for the application,
 * state to persist (key to bytes; null deletes the key) before acting on anything else, and
 * when to call {@link ClientEngine#tick} next (-1: no timer needed).
 */
public final class Output {
    public final List<DsCall> calls = new ArrayList<>();
    public final List<ClientEvent> events = new ArrayList<>();
    public final Map<String, byte[]> persist = new LinkedHashMap<>();
    public long wakeAt = -1;

    void wake(long at) {
        if (wakeAt < 0 || at < wakeAt) {
            wakeAt = at;
        }
    }
}
