package org.mlskit.js.api;

import java.util.HashMap;
import java.util.Map;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
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

    private static Object get(int h, String what) {
        Object o = OBJECTS.get(h);
        if (o == null) {
            throw new MlsException(ErrorCode.INVALID_STATE, "this " + what + " was freed");
        }
        return o;
    }

    private static MlsException wrongKind(String what) {
        return new MlsException(ErrorCode.INVALID_ARGUMENT, "expected a " + what);
    }

    static Identity client(int h) {
        Object o = get(h, "Client");
        if (o instanceof Identity) {
            return (Identity) o;
        }
        throw wrongKind("Client");
    }

    static KeyPackageBundle keyPackage(int h) {
        Object o = get(h, "KeyPackage");
        if (o instanceof KeyPackageBundle) {
            return (KeyPackageBundle) o;
        }
        throw wrongKind("KeyPackage");
    }

    static GroupSlot group(int h) {
        Object o = get(h, "Group");
        if (o instanceof GroupSlot) {
            return (GroupSlot) o;
        }
        throw wrongKind("Group");
    }

    static StagedCommit staged(int h) {
        Object o = get(h, "StagedCommit");
        if (o instanceof StagedCommit) {
            return (StagedCommit) o;
        }
        throw wrongKind("StagedCommit");
    }
}
