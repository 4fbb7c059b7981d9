package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.at;
import static org.mlskit.js.api.JsObjects.bytesAt;
import static org.mlskit.js.api.JsObjects.get;
import static org.mlskit.js.api.JsObjects.getBool;
import static org.mlskit.js.api.JsObjects.getBytes;
import static org.mlskit.js.api.JsObjects.getInt;
import static org.mlskit.js.api.JsObjects.has;
import static org.mlskit.js.api.JsObjects.length;

import java.util.ArrayList;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.WireFormat;
import org.mlskit.group.CommitOptions;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.Proposal;
import org.mlskit.keys.AppDataDictionary;
import org.mlskit.keys.Extension;
import org.mlskit.keys.KeyPackage;
import org.teavm.jso.JSObject;

/** JS arguments (already shape-checked by the JS layer) turned into the core's types. */
final class Inputs {
    private Inputs() {
    }

    /** A KeyPackage from its MLSMessage encoding. */
    static KeyPackage keyPackage(byte[] message) {
        MlsMessage m = MlsMessage.fromBytes(message);
        if (m.wireFormat != WireFormat.KEY_PACKAGE) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "expected a KeyPackage message, got wire format " + m.wireFormat);
        }
        return (KeyPackage) m.body;
    }

    static List<KeyPackage> keyPackages(JSObject messages) {
        List<KeyPackage> out = new ArrayList<>();
        for (int i = 0; i < length(messages); i++) {
            out.add(keyPackage(bytesAt(messages, i)));
        }
        return out;
    }

    /** {@code [{type, data}]}. */
    static List<Extension> extensions(JSObject list) {
        List<Extension> out = new ArrayList<>();
        for (int i = 0; i < length(list); i++) {
            JSObject e = at(list, i);
            out.add(new Extension(getInt(e, "type"), getBytes(e, "data")));
        }
        return out;
    }

    static int[] ints(JSObject list) {
        int[] out = new int[length(list)];
        for (int i = 0; i < out.length; i++) {
            out[i] = JsObjects.intAt(list, i);
        }
        return out;
    }

    /**
     * Per-commit choices from {@code {handshakePublic?, ratchetTreeInWelcome?, forcePath, aad}}
     * (absent: the group's config).
     */
    static CommitOptions commitOptions(JSObject o) {
        CommitOptions c = CommitOptions.DEFAULT.withForcePath(getBool(o, "forcePath"));
        if (has(o, "handshakePublic")) {
            c = c.withWireFormat(getBool(o, "handshakePublic") ? WireFormat.PUBLIC_MESSAGE : WireFormat.PRIVATE_MESSAGE);
        }
        if (has(o, "ratchetTreeInWelcome")) {
            c = c.withRatchetTreeInWelcome(getBool(o, "ratchetTreeInWelcome"));
        }
        if (has(o, "aad")) {
            c = c.withAuthenticatedData(getBytes(o, "aad"));
        }
        return c;
    }

    /** AppDataUpdate proposals by value from {@code [{componentId, data}]} (data null: remove the component). */
    static List<Proposal> appDataUpdates(JSObject o) {
        List<Proposal> out = new ArrayList<>();
        if (!has(o, "appData")) {
            return out;
        }
        JSObject list = get(o, "appData");
        for (int i = 0; i < length(list); i++) {
            JSObject e = at(list, i);
            out.add(new Proposal.AppDataUpdate(getInt(e, "componentId"), has(e, "data") ? getBytes(e, "data") : null));
        }
        return out;
    }

    /** The app_data_dictionary from {@code [{componentId, data}]}. */
    static AppDataDictionary appData(JSObject list) {
        AppDataDictionary d = AppDataDictionary.EMPTY;
        for (int i = 0; i < length(list); i++) {
            JSObject e = at(list, i);
            int id = getInt(e, "componentId");
            if (d.contains(id)) {
                throw new MlsException(ErrorCode.INVALID_ARGUMENT, "component " + id + " appears twice");
            }
            d = d.with(id, getBytes(e, "data"));
        }
        return d;
    }

    /**
     * Local policy from {@code {retainedEpochs, paddingBlock, handshake: 'private'|'public',
     * ratchetTreeInWelcome, alwaysUpdatePath, externalPsks: [{id, secret}]}}; the PSKs go to
     * {@code psks}, which the returned config reads.
     */
    static GroupConfig config(JSObject o, PskTable psks) {
        GroupConfig c = GroupConfig.DEFAULT.withPskStore(psks);
        if (has(o, "retainedEpochs")) {
            c = c.withRetainedEpochs(getInt(o, "retainedEpochs"));
        }
        if (has(o, "paddingBlock")) {
            c = c.withPaddingBlock(getInt(o, "paddingBlock"));
        }
        if (has(o, "handshakePublic")) {
            c = c.withHandshakeWireFormat(getBool(o, "handshakePublic") ? WireFormat.PUBLIC_MESSAGE : WireFormat.PRIVATE_MESSAGE);
        }
        if (has(o, "ratchetTreeInWelcome")) {
            c = c.withRatchetTreeInWelcome(getBool(o, "ratchetTreeInWelcome"));
        }
        if (has(o, "alwaysUpdatePath")) {
            c = c.withAlwaysUpdatePath(getBool(o, "alwaysUpdatePath"));
        }
        if (has(o, "credentialHook")) {
            c = c.withIdentityChecker(new JsIdentityChecker(get(o, "credentialHook")));
        }
        if (has(o, "externalPsks")) {
            JSObject list = get(o, "externalPsks");
            for (int i = 0; i < length(list); i++) {
                JSObject e = at(list, i);
                psks.put(getBytes(e, "id"), getBytes(e, "secret"));
            }
        }
        return c;
    }
}
