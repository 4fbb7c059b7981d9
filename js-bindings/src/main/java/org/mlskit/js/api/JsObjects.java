package org.mlskit.js.api;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * Plain JS objects and arrays built and read from Java. Bytes leave as {@code Uint8Array}s over a
 * copy; the JS layer has already checked the shape of everything that comes in.
 */
final class JsObjects {
    private JsObjects() {
    }

    @JSBody(script = "return {};")
    static native JSObject object();

    @JSBody(script = "return [];")
    static native JSObject array();

    @JSBody(params = "v", script = "return v;")
    static native JSObject number(int v);

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void push(JSObject a, JSObject v);

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void pushString(JSObject a, String v);

    @JSBody(params = "a", script = "a.push(null);")
    static native void pushNull(JSObject a);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void put(JSObject o, String k, JSObject v);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void putString(JSObject o, String k, String v);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void putInt(JSObject o, String k, int v);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void putNumber(JSObject o, String k, double v);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void putBool(JSObject o, String k, boolean v);

    @JSBody(params = {"o", "k"}, script = "o[k] = null;")
    static native void putNull(JSObject o, String k);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = new Uint8Array(v.buffer, v.byteOffset, v.length);")
    private static native void putInt8(JSObject o, String k, Int8Array v);

    @JSBody(params = "v", script = "return new Uint8Array(v.buffer, v.byteOffset, v.length);")
    private static native JSObject uint8(Int8Array v);

    /** Sets {@code o[k]} to a Uint8Array copy of {@code v}, or to null. */
    static void putBytes(JSObject o, String k, byte[] v) {
        if (v == null) {
            putNull(o, k);
        } else {
            putInt8(o, k, Int8Array.copyFromJavaArray(v));
        }
    }

    static JSObject bytes(byte[] v) {
        return uint8(Int8Array.copyFromJavaArray(v));
    }

    @JSBody(params = "a", script = "return a.length;")
    static native int length(JSObject a);

    @JSBody(params = "x", script = "return new Int8Array(x.buffer, x.byteOffset, x.byteLength);")
    private static native Int8Array int8View(JSObject x);

    /** Element {@code i} of an array of Uint8Arrays, copied. */
    static byte[] bytesAt(JSObject a, int i) {
        return int8View(at(a, i)).copyToJavaArray();
    }

    @JSBody(params = {"a", "i"}, script = "return a[i];")
    static native int intAt(JSObject a, int i);

    @JSBody(params = {"a", "i"}, script = "return a[i];")
    static native JSObject at(JSObject a, int i);

    @JSBody(params = {"o", "k"}, script = "return o[k];")
    static native int getInt(JSObject o, String k);

    @JSBody(params = {"a", "i"}, script = "return String(a[i]);")
    static native String stringAt(JSObject a, int i);

    @JSBody(params = {"o", "k"}, script = "return Number(o[k]);")
    static native double getNumber(JSObject o, String k);

    /** {@code o[k]} as a string; null when absent. */
    @JSBody(params = {"o", "k"}, script = "return o[k] === undefined || o[k] === null ? null : String(o[k]);")
    static native String getString(JSObject o, String k);

    @JSBody(params = {"o", "k"}, script = "return !!o[k];")
    static native boolean getBool(JSObject o, String k);

    @JSBody(params = {"o", "k"}, script = "return o[k] !== undefined && o[k] !== null;")
    static native boolean has(JSObject o, String k);

    @JSBody(params = {"o", "k"}, script = "return o[k];")
    static native JSObject get(JSObject o, String k);

    /** {@code o[k]}, a Uint8Array, copied. */
    static byte[] getBytes(JSObject o, String k) {
        return int8View(get(o, k)).copyToJavaArray();
    }
}
