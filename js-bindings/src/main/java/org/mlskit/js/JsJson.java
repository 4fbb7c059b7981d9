package org.mlskit.js;

import org.mlskit.vectors.JsonValue;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/** {@link JsonValue} over a value the runtime's {@code JSON.parse} produced. */
final class JsJson implements JsonValue {
    private final JSObject value;

    private JsJson(JSObject value) {
        this.value = value;
    }

    static JsonValue wrap(JSObject v) {
        return isNullish(v) ? null : new JsJson(v);
    }

    @JSBody(params = "v", script = "return v === null || v === undefined;")
    private static native boolean isNullish(JSObject v);

    @JSBody(params = {"o", "k"}, script = "return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : null;")
    private static native JSObject member(JSObject o, String k);

    @JSBody(params = "a", script = "return a.length;")
    private static native int len(JSObject a);

    @JSBody(params = {"a", "i"}, script = "return a[i];")
    private static native JSObject item(JSObject a, int i);

    @JSBody(params = "v", script = "if (typeof v !== 'string') throw new TypeError('expected a JSON string'); return v;")
    private static native String str(JSObject v);

    @JSBody(params = "v", script = "if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError('expected a JSON integer'); return v;")
    private static native double num(JSObject v);

    @Override
    public JsonValue get(String key) {
        return wrap(member(value, key));
    }

    @Override
    public int length() {
        return len(value);
    }

    @Override
    public JsonValue at(int i) {
        return wrap(item(value, i));
    }

    @Override
    public String asString() {
        return str(value);
    }

    @Override
    public long asLong() {
        return (long) num(value);
    }
}
