package org.mlskit.js.api;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.client.ClientEngine;
import org.mlskit.distributed.MultiSession;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackageBundle;

/**
 * The Java objects JavaScript holds, by integer handle. The JS layer keeps the handle in its
 * wrapper object and releases it with {@code free()} (or a FinalizationRegistry); a freed or
 * unknown handle is an {@code INVALID_STATE} error, never a crash.
 */
final class Handles {
    private static final Map<Integer, Object> OBJECTS = new HashMap<>();
    private static int next = 1;

    private Handles() {
    }

    static int put(Object o) {
        int h = next++;
        OBJECTS.put(h, o);
        return h;
    }

    static void free(int h) {
        OBJECTS.remove(h);
    }

    static int live() {
        return OBJECTS.size();
    }

    /** The object behind {@code h}, which must be a {@code what} (checked by {@code is}). */
    private static Object get(int h, String what, Predicate<Object> is) {
        Object o = OBJECTS.get(h);
        if (o == null) {
            throw new MlsException(ErrorCode.INVALID_STATE, "this " + what + " was freed");
        }
        if (!is.test(o)) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "expected a " + what);
        }
        return o;
    }

    static Identity client(int h) {
        return (Identity) get(h, "Client", o -> o instanceof Identity);
    }

    static KeyPackageBundle keyPackage(int h) {
        return (KeyPackageBundle) get(h, "KeyPackage", o -> o instanceof KeyPackageBundle);
    }

    static GroupSlot group(int h) {
        return (GroupSlot) get(h, "Group", o -> o instanceof GroupSlot);
    }

    static ClientEngine engine(int h) {
        return (ClientEngine) get(h, "MlsClient engine", o -> o instanceof ClientEngine);
    }

    static MultiSession mmls(int h) {
        return (MultiSession) get(h, "MmlsSession", o -> o instanceof MultiSession);
    }

    static StagedCommit staged(int h) {
        return (StagedCommit) get(h, "StagedCommit", o -> o instanceof StagedCommit);
    }
}
