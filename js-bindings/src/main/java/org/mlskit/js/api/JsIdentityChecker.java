package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.object;
import static org.mlskit.js.api.JsObjects.put;
import static org.mlskit.js.api.JsObjects.putBytes;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.keys.Credential;
import org.mlskit.keys.IdentityChecker;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * The application's credential validator (GroupOptions.credentialValidator) as the core's
 * {@link IdentityChecker}: called for every credential a group admits (adds, joins, updates,
 * commit paths, the members seen when joining). The JS layer wraps the callback so that it
 * returns '' to accept and a reason to refuse; a refusal is INVALID_CREDENTIAL. Two credentials
 * name the same client when their encodings are equal, as with the default checker.
 */
final class JsIdentityChecker implements IdentityChecker {
    private final JSObject hook;

    JsIdentityChecker(JSObject hook) {
        this.hook = hook;
    }

    @JSBody(params = {"f", "info"}, script = "var r = f(info); return r === undefined || r === null ? '' : String(r);")
    private static native String call(JSObject f, JSObject info);

    @Override
    public void validate(Credential credential, byte[] signatureKey) {
        JSObject info = object();
        put(info, "credential", Results.credential(credential));
        putBytes(info, "signatureKey", signatureKey);
        String reason = call(hook, info);
        if (!reason.isEmpty()) {
            throw new MlsException(ErrorCode.INVALID_CREDENTIAL, reason);
        }
    }

    @Override
    public byte[] clientId(Credential credential) {
        return credential.toBytes();
    }
}
