package org.mlskit.js;

import org.mlskit.MlsException;
import org.teavm.jso.JSBody;

/** Turns the core's typed errors into JS {@code Error}s whose {@code code} is the stable error code. */
public final class JsErrors {
    private JsErrors() {
    }

    @JSBody(params = {"code", "message"}, script = "var e = new Error(message); e.name = 'MlsError'; e.code = code; throw e;")
    private static native void throwJs(String code, String message);

    /** Throws the JS form of {@code e}; declared to return so callers can write {@code throw rethrow(e)}. */
    public static RuntimeException rethrow(MlsException e) {
        throwJs(e.code().name(), e.getMessage());
        return e;
    }
}
