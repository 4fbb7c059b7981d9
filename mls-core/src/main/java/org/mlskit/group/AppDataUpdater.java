package org.mlskit.group;

import java.util.List;

/**
 * The application logic behind AppDataUpdate proposals (draft-ietf-mls-extensions): which
 * components it knows, and the new data of a component given its current data and the updates a
 * commit carries for it. Must be deterministic: every member computes the same GroupContext.
 */
public interface AppDataUpdater {
    /** Whether the application knows {@code componentId}; an AppDataUpdate for an unknown one is invalid. */
    boolean knows(int componentId);

    /**
     * The component's new data after {@code updates} (in commit order) on {@code current} (null
     * when the component has no entry yet); null rejects the updates, which makes the commit invalid.
     */
    byte[] apply(int componentId, byte[] current, List<byte[]> updates);

    /**
     * The default: every component is known and an update is the component's new value (the last
     * of a commit wins). Enough for group metadata such as a name or a description.
     */
    AppDataUpdater REPLACE = new AppDataUpdater() {
        @Override
        public boolean knows(int componentId) {
            return true;
        }

        @Override
        public byte[] apply(int componentId, byte[] current, List<byte[]> updates) {
            return updates.get(updates.size() - 1).clone();
        }
    };
}
