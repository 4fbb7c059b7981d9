package org.mlskit.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The result of one input to a {@link MultiSession}: own log entries to publish, and events. */
public final class Step {
    public final List<LogEntry> publish;
    public final List<SessionEvent> events;
    /** For {@link MultiSession#receive}: whether the entry was new here (worth relaying to others). */
    public final boolean received;

    Step(List<LogEntry> publish, List<SessionEvent> events, boolean received) {
        this.received = received;
        this.publish = Collections.unmodifiableList(new ArrayList<>(publish));
        this.events = Collections.unmodifiableList(new ArrayList<>(events));
    }
}
