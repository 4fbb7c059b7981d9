package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.array;
import static org.mlskit.js.api.JsObjects.bytes;
import static org.mlskit.js.api.JsObjects.object;
import static org.mlskit.js.api.JsObjects.push;
import static org.mlskit.js.api.JsObjects.put;
import static org.mlskit.js.api.JsObjects.putBool;
import static org.mlskit.js.api.JsObjects.putBytes;
import static org.mlskit.js.api.JsObjects.putInt;
import static org.mlskit.js.api.JsObjects.putNull;
import static org.mlskit.js.api.JsObjects.putNumber;
import static org.mlskit.js.api.JsObjects.putString;

import java.util.List;

import org.mlskit.framing.MlsMessage;
import org.mlskit.framing.Sender;
import org.mlskit.framing.WireFormat;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.group.GroupContext;
import org.mlskit.group.Member;
import org.mlskit.group.MessageInfo;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.keys.AppDataDictionary;
import org.mlskit.keys.Capabilities;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.PreSharedKeyId;
import org.teavm.jso.JSObject;

/** The core's results as plain JS objects (the shapes index.d.ts declares). */
final class Results {
    private Results() {
    }

    static JSObject credential(Credential c) {
        JSObject o = object();
        if (c.type() == Credential.X509) {
            putString(o, "type", "x509");
            JSObject chain = array();
            for (byte[] cert : c.certificates()) {
                push(chain, bytes(cert));
            }
            put(o, "certificates", chain);
        } else {
            putString(o, "type", c.type() == Credential.BASIC ? "basic" : "unknown");
            putBytes(o, "identity", c.type() == Credential.BASIC ? c.identity() : new byte[0]);
        }
        return o;
    }

    static JSObject member(Member m) {
        JSObject o = object();
        putInt(o, "leafIndex", m.leafIndex);
        put(o, "credential", credential(m.credential));
        putBytes(o, "identity", m.credential.type() == Credential.BASIC ? m.credential.identity() : new byte[0]);
        putBytes(o, "signatureKey", m.signatureKey());
        putBytes(o, "encryptionKey", m.encryptionKey());
        return o;
    }

    static JSObject members(List<Member> ms) {
        JSObject a = array();
        for (Member m : ms) {
            push(a, member(m));
        }
        return a;
    }

    static JSObject extensions(List<Extension> list) {
        JSObject a = array();
        for (Extension e : list) {
            JSObject o = object();
            putInt(o, "type", e.type());
            putBytes(o, "data", e.data());
            push(a, o);
        }
        return a;
    }

    static JSObject psk(PreSharedKeyId id) {
        JSObject o = object();
        if (id.type() == PreSharedKeyId.EXTERNAL) {
            putString(o, "type", "external");
            putBytes(o, "id", id.pskId());
        } else {
            putString(o, "type", "resumption");
            putString(o, "usage", id.usage() == PreSharedKeyId.USAGE_REINIT ? "reinit"
                    : id.usage() == PreSharedKeyId.USAGE_BRANCH ? "branch" : "application");
            putBytes(o, "groupId", id.groupId());
            putNumber(o, "epoch", id.epoch());
        }
        return o;
    }

    static JSObject reInit(Proposal.ReInit r) {
        JSObject o = object();
        putBytes(o, "groupId", r.groupId);
        putInt(o, "cipherSuite", r.cipherSuite);
        put(o, "extensions", extensions(r.extensions));
        return o;
    }

    static byte[] keyPackageMessage(KeyPackage kp) {
        return new MlsMessage(WireFormat.KEY_PACKAGE, kp).toBytes();
    }

    private static JSObject ints(int[] values) {
        JSObject a = array();
        for (int v : values) {
            JsObjects.push(a, JsObjects.number(v));
        }
        return a;
    }

    static JSObject capabilities(Capabilities c) {
        JSObject o = object();
        put(o, "versions", ints(c.versions));
        put(o, "cipherSuites", ints(c.cipherSuites));
        put(o, "extensions", ints(c.extensions));
        put(o, "proposals", ints(c.proposals));
        put(o, "credentials", ints(c.credentials));
        return o;
    }

    /** What anyone can see of a KeyPackage. */
    static JSObject keyPackage(KeyPackage kp) {
        JSObject o = object();
        putBytes(o, "message", keyPackageMessage(kp));
        putInt(o, "cipherSuite", kp.cipherSuite);
        putBytes(o, "ref", kp.ref(CipherSuite.of(kp.cipherSuite)));
        put(o, "capabilities", capabilities(kp.leafNode.capabilities));
        put(o, "credential", credential(kp.leafNode.credential));
        putBytes(o, "signatureKey", kp.leafNode.signatureKey);
        putBool(o, "lastResort", KeyPackageBundle.isLastResort(kp));
        if (kp.leafNode.lifetime != null) {
            putNumber(o, "notBefore", kp.leafNode.lifetime.notBefore);
            putNumber(o, "notAfter", kp.leafNode.lifetime.notAfter);
        }
        return o;
    }

    static JSObject proposal(Proposal p) {
        JSObject o = object();
        if (p instanceof Proposal.Add) {
            putString(o, "type", "add");
            put(o, "keyPackage", keyPackage(((Proposal.Add) p).keyPackage));
        } else if (p instanceof Proposal.Update) {
            putString(o, "type", "update");
            put(o, "credential", credential(((Proposal.Update) p).leafNode.credential));
        } else if (p instanceof Proposal.Remove) {
            putString(o, "type", "remove");
            putInt(o, "leafIndex", ((Proposal.Remove) p).removed);
        } else if (p instanceof Proposal.PreSharedKey) {
            putString(o, "type", "psk");
            put(o, "psk", psk(((Proposal.PreSharedKey) p).psk));
        } else if (p instanceof Proposal.ReInit) {
            putString(o, "type", "reinit");
            put(o, "reInit", reInit((Proposal.ReInit) p));
        } else if (p instanceof Proposal.GroupContextExtensions) {
            putString(o, "type", "groupContextExtensions");
            put(o, "extensions", extensions(((Proposal.GroupContextExtensions) p).extensions));
        } else if (p instanceof Proposal.SelfRemove) {
            putString(o, "type", "selfRemove");
        } else if (p instanceof Proposal.AppDataUpdate) {
            Proposal.AppDataUpdate u = (Proposal.AppDataUpdate) p;
            putString(o, "type", "appDataUpdate");
            putInt(o, "componentId", u.componentId);
            putBytes(o, "data", u.update);
        } else {
            putString(o, "type", "externalInit");
        }
        return o;
    }

    /** {@code [{componentId, data}]} in component order. */
    static JSObject appData(AppDataDictionary d) {
        JSObject a = array();
        for (int id : d.componentIds()) {
            JSObject o = object();
            putInt(o, "componentId", id);
            putBytes(o, "data", d.get(id));
            push(a, o);
        }
        return a;
    }

    static JSObject groupContext(GroupContext c) {
        JSObject o = object();
        putInt(o, "version", GroupContext.MLS10);
        putInt(o, "cipherSuite", c.cipherSuite());
        putBytes(o, "groupId", c.groupId());
        putNumber(o, "epoch", c.epoch());
        putBytes(o, "treeHash", c.treeHash());
        putBytes(o, "confirmedTranscriptHash", c.confirmedTranscriptHash());
        put(o, "extensions", extensions(c.extensions()));
        putBytes(o, "encoded", c.toBytes());
        return o;
    }

    private static final String[] WIRE_FORMATS = {"", "public", "private", "welcome", "groupInfo", "keyPackage"};
    private static final String[] CONTENT_TYPES = {"", "application", "proposal", "commit"};

    static JSObject messageInfo(MessageInfo m) {
        JSObject o = object();
        putString(o, "wireFormat", WIRE_FORMATS[m.wireFormat]);
        if (m.contentType == 0) {
            putNull(o, "contentType");
        } else {
            putString(o, "contentType", CONTENT_TYPES[m.contentType]);
        }
        putBytes(o, "groupId", m.groupId());
        if (m.epoch < 0) {
            putNull(o, "epoch");
        } else {
            putNumber(o, "epoch", m.epoch);
        }
        if (m.sender == null) {
            putNull(o, "sender");
        } else {
            put(o, "sender", sender(m.sender));
        }
        if (m.cipherSuite < 0) {
            putNull(o, "cipherSuite");
        } else {
            putInt(o, "cipherSuite", m.cipherSuite);
        }
        JSObject refs = array();
        for (byte[] r : m.keyPackageRefs()) {
            push(refs, bytes(r));
        }
        put(o, "keyPackageRefs", refs);
        return o;
    }

    static JSObject sender(Sender s) {
        JSObject o = object();
        switch (s.type) {
            case Sender.MEMBER:
                putString(o, "type", "member");
                break;
            case Sender.EXTERNAL:
                putString(o, "type", "external");
                break;
            case Sender.NEW_MEMBER_PROPOSAL:
                putString(o, "type", "newMemberProposal");
                break;
            default:
                putString(o, "type", "newMemberCommit");
                break;
        }
        putInt(o, "index", s.type == Sender.MEMBER || s.type == Sender.EXTERNAL ? s.index : -1);
        return o;
    }

    /** A staged commit's summary; {@code handle} is the JS handle for merge/discard. */
    static JSObject staged(StagedCommit c, int handle) {
        JSObject o = object();
        putInt(o, "handle", handle);
        putBytes(o, "message", c.message());
        putBytes(o, "welcome", c.welcome());
        putBool(o, "own", c.isOwn());
        putBool(o, "external", c.isExternal());
        putNumber(o, "newEpoch", c.newEpoch());
        putInt(o, "committerLeaf", c.committerLeaf());
        putBool(o, "removesMe", c.removesMe());
        put(o, "added", members(c.added()));
        put(o, "removed", members(c.removed()));
        put(o, "updated", members(c.updated()));
        JSObject psks = array();
        for (PreSharedKeyId id : c.psks()) {
            push(psks, psk(id));
        }
        put(o, "psks", psks);
        if (c.reInit() == null) {
            putNull(o, "reInit");
        } else {
            put(o, "reInit", reInit(c.reInit()));
        }
        putBool(o, "changesExtensions", c.changesExtensions());
        putBool(o, "hasUpdatePath", c.hasUpdatePath());
        return o;
    }

    static JSObject processed(ProcessedMessage m) {
        JSObject o = object();
        putNumber(o, "epoch", m.epoch);
        put(o, "sender", sender(m.sender));
        if (m.senderCredential == null) {
            putNull(o, "senderCredential");
        } else {
            put(o, "senderCredential", credential(m.senderCredential));
        }
        putBytes(o, "authenticatedData", m.authenticatedData());
        switch (m.kind) {
            case APPLICATION:
                putString(o, "kind", "application");
                putBytes(o, "data", m.applicationData());
                break;
            case PROPOSAL:
                putString(o, "kind", "proposal");
                put(o, "proposal", proposal(m.proposal));
                putBytes(o, "proposalRef", m.proposalRef());
                break;
            default:
                putString(o, "kind", "commit");
                put(o, "commit", staged(m.commit, Handles.put(m.commit)));
                break;
        }
        return o;
    }
}
