package org.mlskit.js.api;

import static org.mlskit.js.api.JsObjects.object;
import static org.mlskit.js.api.JsObjects.put;
import static org.mlskit.js.api.JsObjects.putBytes;
import static org.mlskit.js.api.JsObjects.putInt;
import static org.mlskit.js.api.JsObjects.putNumber;
import static org.mlskit.js.api.JsObjects.putString;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.distributed.LogSummary;
import org.mlskit.distributed.MultiSession;
import org.mlskit.group.CommitOptions;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.Member;
import org.mlskit.group.MessageInfo;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.js.JsErrors;
import org.mlskit.js.SFrameJs;
import org.mlskit.js.WebRandomSource;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.keys.KeyPackageValidation;
import org.mlskit.schedule.PreSharedKeyId;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/**
 * The npm package's native layer (TeaVM main class of the pkg-js and pkg-wasm-gc builds). Every
 * export takes and returns plain values: numbers, strings, Uint8Arrays, plain objects, and
 * integer handles of the Java objects JS holds (see {@link Handles}). The public API is the ES
 * module in src/main/js, which checks arguments before they get here. Core errors leave as JS
 * errors with the stable code (see {@link JsErrors}). Further families (SFrame) add their
 * exports beside these.
 */
public final class Exports {
    private static WebRandomSource random;

    private Exports() {
    }

    public static void main(String[] args) {
        // Exports only; nothing runs at load.
    }

    private static WebRandomSource random() {
        if (random == null) {
            random = new WebRandomSource();
        }
        return random;
    }

    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (MlsException e) {
            throw JsErrors.rethrow(e);
        }
    }

    private static void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ---------------------------------------------------------------- handles

    @JSExport
    public static void free(int handle) {
        Handles.free(handle);
    }

    /** How many Java objects JS holds (for leak checks). */
    @JSExport
    public static int liveHandles() {
        return Handles.live();
    }

    @JSExport
    public static JSObject cipherSuites() {
        JSObject a = JsObjects.array();
        for (CipherSuite s : CipherSuite.all()) {
            JSObject o = object();
            putInt(o, "id", s.id());
            putString(o, "name", s.name());
            JsObjects.push(a, o);
        }
        return a;
    }

    // ---------------------------------------------------------------- clients and KeyPackages

    /** A basic credential; {@code signaturePrivateKey} empty for a fresh key pair. */
    @JSExport
    public static int clientCreate(int suite, byte[] identity, byte[] signaturePrivateKey) {
        return call(() -> Handles.put(client(CipherSuite.of(suite), Credential.basic(identity), signaturePrivateKey)));
    }

    /** An X.509 credential (DER chain, leaf first) for the key pair of {@code signaturePrivateKey}, which its leaf certifies. */
    @JSExport
    public static int clientCreateX509(int suite, JSObject certificates, byte[] signaturePrivateKey) {
        return call(() -> {
            List<byte[]> chain = new ArrayList<>();
            for (int i = 0; i < JsObjects.length(certificates); i++) {
                chain.add(JsObjects.bytesAt(certificates, i));
            }
            return Handles.put(client(CipherSuite.of(suite), Credential.x509(chain), signaturePrivateKey));
        });
    }

    private static Identity client(CipherSuite suite, Credential credential, byte[] signaturePrivateKey) {
        return signaturePrivateKey.length == 0 ? Identity.generate(suite, credential, random())
                : Identity.of(suite, credential, signaturePrivateKey);
    }

    @JSExport
    public static int clientLoad(byte[] state) {
        return call(() -> Handles.put(Identity.fromBytes(state)));
    }

    @JSExport
    public static byte[] clientSave(int client) {
        return call(() -> Handles.client(client).toBytes());
    }

    @JSExport
    public static JSObject clientInfo(int client) {
        return call(() -> {
            Identity id = Handles.client(client);
            JSObject o = object();
            putInt(o, "cipherSuite", id.suite().id());
            put(o, "credential", Results.credential(id.credential()));
            putBytes(o, "signaturePublicKey", id.signaturePublicKey());
            put(o, "capabilities", Results.capabilities(id.capabilities()));
            return o;
        });
    }

    /**
     * What a device registered outside mlskit/client proves to an mlskit delivery service:
     * {@code {signature, credential}}, the signed challenge (org.mlskit.client.Proof) and the
     * encoded credential, as the client engine's REGISTER sends them.
     */
    @JSExport
    public static JSObject clientDsProof(int client, byte[] challenge, String user, String device) {
        return call(() -> {
            Identity id = Handles.client(client);
            JSObject o = object();
            putBytes(o, "signature", org.mlskit.client.Proof.sign(id, challenge, user, device));
            putBytes(o, "credential", new org.mlskit.codec.TlsWriter().write(id.credential()).toByteArray());
            return o;
        });
    }

    /** {@code notBefore}/{@code notAfter} in seconds since 1970; a negative {@code notBefore} means the default lifetime. */
    @JSExport
    public static int keyPackageCreate(int client, double notBefore, double notAfter, boolean lastResort) {
        return call(() -> {
            Identity id = Handles.client(client);
            long from = notBefore < 0 ? now() - 3600 : (long) notBefore;
            long to = notBefore < 0 ? now() + KeyPackageBundle.DEFAULT_LIFETIME_SECONDS : (long) notAfter;
            return Handles.put(KeyPackageBundle.create(id, from, to, new ArrayList<>(), new ArrayList<>(), lastResort, random()));
        });
    }

    @JSExport
    public static int keyPackageLoad(byte[] state) {
        return call(() -> Handles.put(KeyPackageBundle.fromBytes(state)));
    }

    @JSExport
    public static byte[] keyPackageSave(int keyPackage) {
        return call(() -> Handles.keyPackage(keyPackage).toBytes());
    }

    @JSExport
    public static JSObject keyPackageInfo(int keyPackage) {
        return call(() -> Results.keyPackage(Handles.keyPackage(keyPackage).keyPackage()));
    }

    /** Decodes and validates a published KeyPackage (signatures, keys, lifetime now). */
    @JSExport
    public static JSObject keyPackageInspect(byte[] message) {
        return call(() -> {
            KeyPackage kp = Inputs.keyPackage(message);
            KeyPackageValidation.validate(CipherSuite.of(kp.cipherSuite), kp, now());
            return Results.keyPackage(kp);
        });
    }

    /** The public header of any MLSMessage (see {@link MessageInfo}). */
    @JSExport
    public static JSObject inspectMessage(byte[] message) {
        return call(() -> Results.messageInfo(MessageInfo.inspect(message)));
    }

    // ---------------------------------------------------------------- creating, joining, saving groups

    /** {@code appData} [{componentId, data}] becomes an app_data_dictionary extension (with the others, if any). */
    @JSExport
    public static int groupCreate(int client, byte[] groupId, JSObject extensions, JSObject appData, JSObject config) {
        return call(() -> {
            PskTable psks = new PskTable();
            GroupConfig c = Inputs.config(config, psks);
            List<Extension> ext = Inputs.extensions(extensions);
            if (JsObjects.length(appData) > 0) {
                ext.add(Inputs.appData(appData).toExtension());
            }
            return Handles.put(new GroupSlot(Group.create(Handles.client(client), groupId, ext, c, random()), psks));
        });
    }

    /** {@code ratchetTree} empty when the Welcome carries it; {@code resumptionFrom} 0 or the group a ReInit/branch came from. */
    @JSExport
    public static int groupJoin(int client, byte[] welcome, int keyPackage, byte[] ratchetTree, JSObject config,
            int resumptionFrom) {
        return call(() -> {
            PskTable psks = new PskTable();
            GroupConfig c = Inputs.config(config, psks);
            GroupConfig joinConfig = resumptionFrom == 0 ? c
                    : c.withPskStore(Group.pskStoreWith(psks, Handles.group(resumptionFrom).group));
            Group g = Group.join(welcome, Handles.keyPackage(keyPackage), Handles.client(client),
                    ratchetTree.length == 0 ? null : ratchetTree, joinConfig, random());
            g.setConfig(c);
            return Handles.put(new GroupSlot(g, psks));
        });
    }

    /**
     * Returns {@code {group: handle, commit: Uint8Array}}; {@code psks} lists external PSK ids to
     * include, {@code selfRemoves} pending SelfRemove proposal messages to commit by reference.
     */
    @JSExport
    public static JSObject groupJoinExternal(int client, byte[] groupInfo, byte[] ratchetTree, int resyncLeaf, JSObject psks,
            JSObject selfRemoves, byte[] authenticatedData, JSObject config) {
        return call(() -> {
            PskTable table = new PskTable();
            GroupConfig c = Inputs.config(config, table);
            List<PreSharedKeyId> ids = new ArrayList<>();
            for (int i = 0; i < JsObjects.length(psks); i++) {
                ids.add(PreSharedKeyId.external(JsObjects.bytesAt(psks, i), random().bytes(Handles.client(client).suite().kdf().length())));
            }
            List<byte[]> removes = new ArrayList<>();
            for (int i = 0; i < JsObjects.length(selfRemoves); i++) {
                removes.add(JsObjects.bytesAt(selfRemoves, i));
            }
            Group.ExternalJoin j = Group.joinExternally(groupInfo, Handles.client(client),
                    ratchetTree.length == 0 ? null : ratchetTree, resyncLeaf, ids, removes, authenticatedData, c, random());
            JSObject o = object();
            putInt(o, "group", Handles.put(new GroupSlot(j.group, table)));
            putBytes(o, "commit", j.commit());
            return o;
        });
    }

    @JSExport
    public static int groupLoad(byte[] state, JSObject config) {
        return call(() -> {
            PskTable psks = new PskTable();
            return Handles.put(new GroupSlot(Group.fromBytes(state, Inputs.config(config, psks), random()), psks));
        });
    }

    @JSExport
    public static byte[] groupSave(int group) {
        return call(() -> Handles.group(group).group.toBytes());
    }

    @JSExport
    public static void groupSetExternalPsk(int group, byte[] id, byte[] secret) {
        run(() -> Handles.group(group).psks.put(id, secret));
    }

    // ---------------------------------------------------------------- reading a group

    @JSExport
    public static JSObject groupInfo(int group) {
        return call(() -> {
            Group g = Handles.group(group).group;
            JSObject o = object();
            putBytes(o, "groupId", g.groupId());
            putNumber(o, "epoch", g.epoch());
            putInt(o, "cipherSuite", g.suite().id());
            putInt(o, "myLeafIndex", g.myLeafIndex());
            putString(o, "status", g.status().name());
            putInt(o, "memberCount", g.memberCount());
            return o;
        });
    }

    @JSExport
    public static JSObject groupMembers(int group) {
        return call(() -> Results.members(Handles.group(group).group.members()));
    }

    /** The member at {@code leaf}, or null. */
    @JSExport
    public static JSObject groupMember(int group, int leaf) {
        return call(() -> {
            Member m = Handles.group(group).group.member(leaf);
            return m == null ? null : Results.member(m);
        });
    }

    @JSExport
    public static JSObject groupAppData(int group) {
        return call(() -> Results.appData(Handles.group(group).group.appData()));
    }

    @JSExport
    public static JSObject groupContext(int group) {
        return call(() -> Results.groupContext(Handles.group(group).group.context()));
    }

    @JSExport
    public static byte[] groupTreeHash(int group) {
        return call(() -> Handles.group(group).group.treeHash());
    }

    @JSExport
    public static JSObject groupExtensions(int group) {
        return call(() -> Results.extensions(Handles.group(group).group.extensions()));
    }

    @JSExport
    public static byte[] groupExport(int group, String label, byte[] context, int length) {
        return call(() -> Handles.group(group).group.export(label, context, length));
    }

    @JSExport
    public static byte[] groupEpochAuthenticator(int group) {
        return call(() -> Handles.group(group).group.epochAuthenticator());
    }

    @JSExport
    public static byte[] groupRatchetTree(int group) {
        return call(() -> Handles.group(group).group.ratchetTree());
    }

    @JSExport
    public static byte[] groupGroupInfo(int group, boolean withRatchetTree, boolean withExternalPub) {
        return call(() -> Handles.group(group).group.groupInfo(withRatchetTree, withExternalPub));
    }

    /** The committed ReInit once the group is REINIT_PENDING, else null. */
    @JSExport
    public static JSObject groupPendingReInit(int group) {
        return call(() -> {
            Group g = Handles.group(group).group;
            return g.pendingReInit() == null ? null : Results.reInit(g.pendingReInit());
        });
    }

    // ---------------------------------------------------------------- messages

    @JSExport
    public static byte[] groupEncrypt(int group, byte[] data, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.encrypt(data, authenticatedData));
    }

    @JSExport
    public static JSObject groupProcess(int group, byte[] message) {
        return call(() -> Results.processed(Handles.group(group).group.process(message)));
    }

    // ---------------------------------------------------------------- proposals

    @JSExport
    public static byte[] groupProposeAdd(int group, byte[] keyPackage, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeAdd(Inputs.keyPackage(keyPackage), authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeRemove(int group, int leaf, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeRemove(leaf, authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeUpdate(int group, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeUpdate(authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeExternalPsk(int group, byte[] pskId, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeExternalPsk(pskId, authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeResumptionPsk(int group, double epoch, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeResumptionPsk((long) epoch, authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeGroupContextExtensions(int group, JSObject extensions, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeGroupContextExtensions(Inputs.extensions(extensions),
                authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeSelfRemove(int group, byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeSelfRemove(authenticatedData));
    }

    /** {@code remove}: propose removing the component's entry ({@code data} is ignored). */
    @JSExport
    public static byte[] groupProposeAppDataUpdate(int group, int componentId, byte[] data, boolean remove,
            byte[] authenticatedData) {
        return call(() -> remove ? Handles.group(group).group.proposeAppDataRemove(componentId, authenticatedData)
                : Handles.group(group).group.proposeAppDataUpdate(componentId, data, authenticatedData));
    }

    @JSExport
    public static byte[] groupProposeReInit(int group, byte[] newGroupId, int suite, JSObject extensions,
            byte[] authenticatedData) {
        return call(() -> Handles.group(group).group.proposeReInit(newGroupId, CipherSuite.of(suite),
                Inputs.extensions(extensions), authenticatedData));
    }

    // ---------------------------------------------------------------- commits

    private static JSObject staged(StagedCommit c) {
        return Results.staged(c, Handles.put(c));
    }

    /** Each commit export takes {@code options} as {@link Inputs#commitOptions} reads them, plus by-value {@code appData}. */
    private static StagedCommit commit(int group, List<Proposal> byValue, JSObject options, boolean forcePath) {
        List<Proposal> all = new ArrayList<>(byValue);
        all.addAll(Inputs.appDataUpdates(options));
        CommitOptions o = Inputs.commitOptions(options);
        return Handles.group(group).group.commit(all, forcePath ? o.withForcePath(true) : o);
    }

    @JSExport
    public static JSObject groupAdd(int group, JSObject keyPackages, JSObject options) {
        return call(() -> {
            List<Proposal> ps = new ArrayList<>();
            for (KeyPackage kp : Inputs.keyPackages(keyPackages)) {
                ps.add(new Proposal.Add(kp));
            }
            return staged(commit(group, ps, options, false));
        });
    }

    @JSExport
    public static JSObject groupRemove(int group, JSObject leaves, JSObject options) {
        return call(() -> {
            List<Proposal> ps = new ArrayList<>();
            for (int leaf : Inputs.ints(leaves)) {
                ps.add(new Proposal.Remove(leaf));
            }
            return staged(commit(group, ps, options, false));
        });
    }

    @JSExport
    public static JSObject groupUpdate(int group, JSObject options) {
        return call(() -> staged(commit(group, new ArrayList<>(), options, true)));
    }

    /** Commits the cached proposals (and {@code options.appData}). */
    @JSExport
    public static JSObject groupCommit(int group, JSObject options) {
        return call(() -> staged(commit(group, new ArrayList<>(), options, false)));
    }

    @JSExport
    public static void groupMerge(int group, int staged) {
        run(() -> Handles.group(group).group.merge(Handles.staged(staged)));
    }

    @JSExport
    public static void groupDiscard(int group, int staged) {
        run(() -> Handles.group(group).group.discard(Handles.staged(staged)));
    }

    // ---------------------------------------------------------------- ReInit and branch

    private static JSObject successor(Group.Successor s, PskTable psks) {
        JSObject o = object();
        putInt(o, "group", Handles.put(new GroupSlot(s.group, psks)));
        putBytes(o, "welcome", s.welcome());
        return o;
    }

    /** After a committed ReInit: the successor group (in the client's suite) and its Welcome. */
    @JSExport
    public static JSObject groupReInitialize(int group, int client, JSObject keyPackages) {
        return call(() -> {
            GroupSlot slot = Handles.group(group);
            return successor(slot.group.reInitialize(Handles.client(client), Inputs.keyPackages(keyPackages)), slot.psks);
        });
    }

    @JSExport
    public static JSObject groupBranch(int group, byte[] newGroupId, JSObject extensions, JSObject keyPackages) {
        return call(() -> {
            GroupSlot slot = Handles.group(group);
            return successor(slot.group.branch(newGroupId, Inputs.extensions(extensions), Inputs.keyPackages(keyPackages)),
                    slot.psks);
        });
    }

    // ---------------------------------------------------------------- SFrame (mlskit/sframe)

    @JSExport
    public static int sframeContextCreate(int suite, int replayWindow) {
        return SFrameJs.contextCreate(suite, replayWindow);
    }

    @JSExport
    public static void sframeContextAddSendKey(int context, String kid, byte[] baseKey) {
        SFrameJs.contextAddSendKey(context, kid, baseKey);
    }

    @JSExport
    public static void sframeContextAddReceiveKey(int context, String kid, byte[] baseKey) {
        SFrameJs.contextAddReceiveKey(context, kid, baseKey);
    }

    @JSExport
    public static byte[] sframeContextEncrypt(int context, String kid, byte[] metadata, byte[] plaintext) {
        return SFrameJs.contextEncrypt(context, kid, metadata, plaintext);
    }

    @JSExport
    public static byte[] sframeContextDecrypt(int context, byte[] metadata, byte[] frame) {
        return SFrameJs.contextDecrypt(context, metadata, frame);
    }

    @JSExport
    public static int sframeKeysCreate(int suite, int epochBits, double graceMillis, int replayWindow) {
        return SFrameJs.keysCreate(suite, epochBits, graceMillis, replayWindow);
    }

    /** The MLS group's current epoch into the key manager (RFC 9605 §5.2). */
    @JSExport
    public static void sframeKeysOnEpoch(int keys, int group) {
        Group g = call(() -> Handles.group(group).group);
        SFrameJs.keysOnEpoch(keys, g);
    }

    @JSExport
    public static String sframeKeysCurrentEpoch(int keys) {
        return SFrameJs.keysCurrentEpoch(keys);
    }

    @JSExport
    public static int sframeKeysOpenStream(int keys) {
        return SFrameJs.keysOpenStream(keys);
    }

    @JSExport
    public static String sframeStreamContextId(int stream) {
        return SFrameJs.streamContextId(stream);
    }

    @JSExport
    public static byte[] sframeStreamEncrypt(int stream, byte[] metadata, byte[] plaintext) {
        return SFrameJs.streamEncrypt(stream, metadata, plaintext);
    }

    @JSExport
    public static byte[] sframeKeysDecrypt(int keys, byte[] metadata, byte[] frame) {
        return SFrameJs.keysDecrypt(keys, metadata, frame);
    }

    @JSExport
    public static String sframeKeysLastFrame(int keys) {
        return SFrameJs.keysLastFrame(keys);
    }

    @JSExport
    public static void sframeRelease(int handle) {
        SFrameJs.release(handle);
    }

    // ---------------------------------------------------------------- the messaging client (mlskit/client)

    /** A new device's engine; {@code config} may carry {keyPackages, lowWater}. */
    @JSExport
    public static int engineCreate(String user, String device, int suite, JSObject config) {
        return call(() -> ClientExports.create(user, device, suite, config, random()));
    }

    /** An engine from its persisted state: {@code keys[i]} held {@code values[i]}. */
    @JSExport
    public static int engineRestore(JSObject keys, JSObject values, JSObject config) {
        return call(() -> ClientExports.restore(keys, values, config, random()));
    }

    @JSExport
    public static JSObject engineStart(int engine, double now) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).start((long) now)));
    }

    @JSExport
    public static JSObject engineReply(int engine, double now, JSObject reply) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).reply((long) now, ClientExports.reply(reply))));
    }

    @JSExport
    public static JSObject engineEntries(int engine, double now, JSObject entries) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).entries((long) now, ClientExports.entries(entries))));
    }

    @JSExport
    public static JSObject engineLive(int engine, double now, double seq) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).live((long) now, (long) seq)));
    }

    @JSExport
    public static JSObject engineTick(int engine, double now) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).tick((long) now)));
    }

    @JSExport
    public static JSObject engineCreateGroup(int engine, double now) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).createGroup((long) now)));
    }

    @JSExport
    public static JSObject engineInvite(int engine, double now, byte[] groupId, String user) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).invite((long) now, groupId, user)));
    }

    @JSExport
    public static JSObject engineRemoveUser(int engine, double now, byte[] groupId, String user) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).removeUser((long) now, groupId, user)));
    }

    @JSExport
    public static JSObject engineUpdate(int engine, double now, byte[] groupId) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).update((long) now, groupId)));
    }

    @JSExport
    public static JSObject engineLeave(int engine, double now, byte[] groupId) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).leave((long) now, groupId)));
    }

    @JSExport
    public static JSObject engineSend(int engine, double now, byte[] groupId, byte[] plaintext) {
        return call(() -> ClientExports.output(ClientExports.engine(engine).send((long) now, groupId, plaintext)));
    }

    /** {user, device, ready, cursor, token}. */
    @JSExport
    public static JSObject engineInfo(int engine) {
        return call(() -> ClientExports.info(ClientExports.engine(engine)));
    }

    @JSExport
    public static JSObject engineGroups(int engine) {
        return call(() -> ClientExports.groups(ClientExports.engine(engine)));
    }

    /** {groupId, epoch, epochAuthenticator, members: [{leaf, identity}], pendingIntents}, or null. */
    @JSExport
    public static JSObject engineGroup(int engine, byte[] groupId) {
        return call(() -> ClientExports.group(ClientExports.engine(engine), groupId));
    }

    /** {epoch, secret, myLeaf, memberLeaves} of the group's current epoch, or null (see ClientExports). */
    @JSExport
    public static JSObject engineExportSecret(int engine, byte[] groupId, String label, byte[] context, int length) {
        return call(() -> ClientExports.exportSecret(ClientExports.engine(engine), groupId, label, context, length));
    }

    // ---------------------------------------------------------------- Multi-MLS (mlskit/mmls)

    /** A participant named by the client's basic credential: {handle, keyPackages} (see MmlsExports). */
    @JSExport
    public static JSObject mmlsCreate(int client, byte[] sessionId, int keyPackages, JSObject config) {
        return call(() -> MmlsExports.create(Handles.client(client), sessionId, keyPackages, config, now(), random()));
    }

    @JSExport
    public static int mmlsLoad(byte[] state, JSObject config) {
        return call(() -> Handles.put(MultiSession.fromBytes(state, MmlsExports.config(config), random())));
    }

    @JSExport
    public static byte[] mmlsSave(int session) {
        return call(() -> MmlsExports.session(session).toBytes());
    }

    /** INIT with the others' KeyPackages (MLSMessages) for this participant's send group. */
    @JSExport
    public static JSObject mmlsStart(int session, JSObject keyPackages) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).start(Inputs.keyPackages(keyPackages))));
    }

    @JSExport
    public static JSObject mmlsAdd(int session, byte[] keyPackage) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).add(Inputs.keyPackage(keyPackage))));
    }

    @JSExport
    public static JSObject mmlsRemove(int session, String participant) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).remove(participant)));
    }

    @JSExport
    public static JSObject mmlsUpdate(int session) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).update()));
    }

    @JSExport
    public static JSObject mmlsCommit(int session) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).commit()));
    }

    @JSExport
    public static JSObject mmlsProtect(int session, byte[] data) {
        return call(() -> MmlsExports.step(MmlsExports.session(session).protect(data)));
    }

    /** One log entry of anyone's log, in any order; bytes that are not an entry are MALFORMED and change nothing. */
    @JSExport
    public static JSObject mmlsReceive(int session, byte[] entry) {
        return call(() -> MmlsExports.receive(MmlsExports.session(session), entry));
    }

    /** {id, cipherSuite, groupId, roster, senders, equivocators, pending}. */
    @JSExport
    public static JSObject mmlsInfo(int session) {
        return call(() -> MmlsExports.info(MmlsExports.session(session)));
    }

    @JSExport
    public static JSObject mmlsMembers(int session, String owner) {
        return call(() -> MmlsExports.members(MmlsExports.session(session), owner));
    }

    /** The epoch of owner's send group here, or -1 when not a member. */
    @JSExport
    public static double mmlsEpoch(int session, String owner) {
        return call(() -> (double) MmlsExports.session(session).epoch(owner));
    }

    @JSExport
    public static byte[] mmlsEpochAuthenticator(int session, String owner) {
        return call(() -> MmlsExports.session(session).epochAuthenticator(owner));
    }

    @JSExport
    public static byte[] mmlsExportFrom(int session, String owner, String label, byte[] context, int length) {
        return call(() -> MmlsExports.session(session).exportFrom(owner, label, context, length));
    }

    /** The signature key of a log's author as this session knows it, or null. */
    @JSExport
    public static byte[] mmlsAuthorKey(int session, String author) {
        return call(() -> MmlsExports.session(session).book().key(author));
    }

    /** What this session holds of every log (LogSummary bytes), for anti-entropy. */
    @JSExport
    public static byte[] mmlsSummary(int session) {
        return call(() -> LogSummary.toBytes(MmlsExports.session(session).book().summary()));
    }

    /** The entries a peer that sent {@code summary} lacks. */
    @JSExport
    public static JSObject mmlsMissingFor(int session, byte[] summary) {
        return call(() -> MmlsExports.missingFor(MmlsExports.session(session), summary));
    }

    @JSExport
    public static boolean mmlsVerifyEquivocation(int suite, byte[] authorKey, String kind, byte[] first, byte[] second) {
        return call(() -> MmlsExports.verifyEquivocation(suite, authorKey, kind, first, second));
    }
}
