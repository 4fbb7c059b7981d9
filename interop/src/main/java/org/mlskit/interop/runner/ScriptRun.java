package org.mlskit.interop.runner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.mlskit.interop.proto.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;

/**
 * One script run for one cipher suite, one handshake setting and one assignment of clients to
 * actors, with the semantics of the working group's test runner (interop/test-runner): step
 * outputs are kept by step index, and later steps refer to them by that index. On top of the
 * runner's own checks (epoch authenticators agree after every commit and join, unprotect returns
 * what was protected), the group as the script leaves it is verified as test-scenarios.md asks:
 * every member in sync has the same state auth secret and exporter output, and a message each of
 * them protects is unprotected by the others.
 */
final class ScriptRun {
    private int suite;
    private final boolean encrypt;
    private final Map<String, RemoteClient> clients;
    private final Random random;

    private final Map<String, Integer> stateId = new LinkedHashMap<>();
    private final Map<String, Integer> transactionId = new HashMap<>();
    private final Map<String, Integer> signerId = new HashMap<>();
    private final List<Map<String, ByteString>> cache = new ArrayList<>();
    /** Who shares the group's latest epoch, as far as the script says; null after low-level steps. */
    private Set<String> synced = new LinkedHashSet<>();
    private ByteString latestAuthenticator;
    private int rpcs;

    ScriptRun(int suite, boolean encrypt, Map<String, RemoteClient> clients, long seed) {
        this.suite = suite;
        this.encrypt = encrypt;
        this.clients = clients;
        this.random = new Random(seed);
    }

    int rpcCount() {
        return rpcs;
    }

    /** Runs every step, then the final verification; throws {@link StepFailure} at the first failure. */
    void run(List<Step> script) {
        for (int i = 0; i < script.size(); i++) {
            cache.add(new HashMap<>());
        }
        try {
            for (int i = 0; i < script.size(); i++) {
                try {
                    step(i, script.get(i));
                } catch (RuntimeException e) {
                    throw new StepFailure(i, script.get(i).toString(), e);
                }
            }
            try {
                verifyGroup();
            } catch (RuntimeException e) {
                throw new StepFailure(script.size(), "verify group state", e);
            }
        } finally {
            free();
        }
    }

    /** A failed step: its index (the script's length for the final verification) and why. */
    static final class StepFailure extends RuntimeException {
        final int step;
        final String stepJson;

        StepFailure(int step, String stepJson, RuntimeException cause) {
            super("step " + step + " " + stepJson + ": " + describe(cause), cause);
            this.step = step;
            this.stepJson = stepJson;
        }

        private static String describe(RuntimeException e) {
            return e instanceof io.grpc.StatusRuntimeException ? e.getMessage() : e.toString();
        }
    }

    // ---------------------------------------------------------------- helpers

    private RemoteClient client(String actor) {
        RemoteClient c = clients.get(actor);
        if (c == null) {
            throw new IllegalArgumentException("no client for actor '" + actor + "'");
        }
        rpcs++;
        return c;
    }

    private int state(String actor) {
        Integer id = stateId.get(actor);
        if (id == null) {
            throw new IllegalArgumentException("actor '" + actor + "' has no group state");
        }
        return id;
    }

    private void put(int step, String key, ByteString value) {
        cache.get(step).put(key, value);
    }

    private ByteString get(int step, String key) {
        if (step < 0 || step >= cache.size() || !cache.get(step).containsKey(key)) {
            throw new IllegalArgumentException("no " + key + " at step " + step);
        }
        return cache.get(step).get(key);
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private ByteString randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    private static void agree(ByteString expected, ByteString got, String who) {
        if (!expected.equals(got)) {
            throw new IllegalStateException(who + " failed to agree on the epoch authenticator");
        }
        if (got.isEmpty()) {
            throw new IllegalStateException(who + " returned an empty epoch authenticator");
        }
    }

    private void synced(String... actors) {
        synced = new LinkedHashSet<>();
        for (String a : actors) {
            if (a != null) {
                synced.add(a);
            }
        }
    }

    /** The group id for a ReInit: the original one, with "++" when it changes (as the WG runner does). */
    private ByteString newGroupId(boolean change) {
        ByteString id = get(0, "group_id");
        return change ? id.concat(utf8("++")) : id;
    }

    /** Moves to another suite every actor's client supports: the next higher id, else the lowest. */
    private void changeSuite() {
        Set<Integer> common = null;
        for (RemoteClient c : clients.values()) {
            if (common == null) {
                common = new TreeSet<>(c.suites);
            } else {
                common.retainAll(c.suites);
            }
        }
        common.remove(suite);
        if (common.isEmpty()) {
            throw new IllegalStateException("no other cipher suite that all clients support");
        }
        Integer next = null;
        for (int s : common) {
            if (s > suite) {
                next = s;
                break;
            }
        }
        suite = next != null ? next : common.iterator().next();
    }

    private ProposalDescription description(JsonObject d) {
        String type = Step.get(d, "proposalType").getAsString();
        ProposalDescription.Builder b = ProposalDescription.newBuilder().setProposalType(utf8(type));
        switch (type) {
            case "add":
                return b.setKeyPackage(get(Step.get(d, "keyPackage").getAsInt(), "key_package")).build();
            case "remove":
                return b.setRemovedId(utf8(Step.get(d, "removed").getAsString())).build();
            case "externalPSK":
                return b.setPskId(get(Step.get(d, "pskID").getAsInt(), "psk_id")).build();
            case "resumptionPSK":
                return b.setEpochId(Step.get(d, "epochID").getAsLong()).build();
            case "groupContextExtensions":
                return b.addAllExtensions(Step.extensions(Step.get(d, "extensions"))).build();
            case "reinit": {
                b.addAllExtensions(Step.extensions(Step.get(d, "extensions")));
                if (bool(d, "changeCipherSuite")) {
                    changeSuite();
                }
                return b.setCipherSuite(suite).setGroupId(newGroupId(bool(d, "changeGroupID"))).build();
            }
            default:
                throw new IllegalArgumentException("unknown proposal type " + type);
        }
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = Step.get(o, key);
        return e != null && e.getAsBoolean();
    }

    private List<ByteString> proposals(List<Integer> steps) {
        List<ByteString> out = new ArrayList<>();
        for (int i : steps) {
            out.add(get(i, "proposal"));
        }
        return out;
    }

    private List<ProposalDescription> byValue(Step step) {
        List<ProposalDescription> out = new ArrayList<>();
        JsonElement e = step.get("byValue");
        if (e != null && e.isJsonArray()) {
            for (JsonElement d : e.getAsJsonArray()) {
                out.add(description(d.getAsJsonObject()));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- steps

    private void step(int i, Step s) {
        switch (s.action) {
            case "createGroup":
                createGroup(i, s);
                break;
            case "createKeyPackage": {
                CreateKeyPackageResponse r = client(s.actor).rpc().createKeyPackage(CreateKeyPackageRequest.newBuilder()
                        .setCipherSuite(suite).setIdentity(utf8(s.actor)).build());
                transactionId.put(s.actor, r.getTransactionId());
                put(i, "key_package", r.getKeyPackage());
                break;
            }
            case "joinGroup": {
                Integer tx = transactionId.get(s.actor);
                if (tx == null) {
                    throw new IllegalArgumentException("no transaction for " + s.actor);
                }
                JoinGroupResponse r = client(s.actor).rpc().joinGroup(JoinGroupRequest.newBuilder().setTransactionId(tx)
                        .setWelcome(get(s.integer("welcome"), "welcome")).setEncryptHandshake(encrypt)
                        .setIdentity(utf8(s.actor)).build());
                stateId.put(s.actor, r.getStateId());
                synced = null;
                break;
            }
            case "externalJoin":
                externalJoin(i, s);
                break;
            case "installExternalPSK":
                installExternalPsk(i, s);
                break;
            case "groupInfo": {
                GroupInfoResponse r = client(s.actor).rpc().groupInfo(GroupInfoRequest.newBuilder()
                        .setStateId(state(s.actor)).setExternalTree(s.flag("externalTree")).build());
                put(i, "group_info", r.getGroupInfo());
                put(i, "ratchet_tree", r.getRatchetTree());
                break;
            }
            case "addProposal":
                put(i, "proposal", client(s.actor).rpc().addProposal(AddProposalRequest.newBuilder()
                        .setStateId(state(s.actor)).setKeyPackage(get(s.integer("keyPackage"), "key_package")).build())
                        .getProposal());
                break;
            case "updateProposal":
                put(i, "proposal", client(s.actor).rpc().updateProposal(UpdateProposalRequest.newBuilder()
                        .setStateId(state(s.actor)).build()).getProposal());
                break;
            case "removeProposal":
                put(i, "proposal", client(s.actor).rpc().removeProposal(RemoveProposalRequest.newBuilder()
                        .setStateId(state(s.actor)).setRemovedId(utf8(s.string("removed"))).build()).getProposal());
                break;
            case "externalPSKProposal":
                put(i, "proposal", client(s.actor).rpc().externalPSKProposal(ExternalPSKProposalRequest.newBuilder()
                        .setStateId(state(s.actor)).setPskId(get(s.integer("pskID"), "psk_id")).build()).getProposal());
                break;
            case "resumptionPSKProposal":
                put(i, "proposal", client(s.actor).rpc().resumptionPSKProposal(ResumptionPSKProposalRequest.newBuilder()
                        .setStateId(state(s.actor)).setEpochId(s.integer("epochID")).build()).getProposal());
                break;
            case "groupContextExtensionsProposal":
                put(i, "proposal", client(s.actor).rpc().groupContextExtensionsProposal(
                        GroupContextExtensionsProposalRequest.newBuilder().setStateId(state(s.actor))
                                .addAllExtensions(Step.extensions(s.get("extensions"))).build()).getProposal());
                break;
            case "fullCommit":
                fullCommit(i, s);
                break;
            case "commit": {
                CommitResponse r = client(s.actor).rpc().commit(commitRequest(s));
                put(i, "commit", r.getCommit());
                put(i, "welcome", r.getWelcome());
                put(i, "ratchet_tree", r.getRatchetTree());
                synced = null;
                break;
            }
            case "handleCommit": {
                HandleCommitResponse r = client(s.actor).rpc().handleCommit(HandleCommitRequest.newBuilder()
                        .setStateId(state(s.actor)).addAllProposal(proposals(s.integers("byReference")))
                        .setCommit(get(s.integer("commit"), "commit")).build());
                stateId.put(s.actor, r.getStateId());
                synced = null;
                break;
            }
            case "handlePendingCommit": {
                HandleCommitResponse r = client(s.actor).rpc().handlePendingCommit(HandlePendingCommitRequest.newBuilder()
                        .setStateId(state(s.actor)).build());
                stateId.put(s.actor, r.getStateId());
                synced = null;
                break;
            }
            case "protect": {
                ByteString aad = utf8(nonNull(s.string("authenticatedData")));
                ByteString pt = utf8(nonNull(s.string("plaintext")));
                ProtectResponse r = client(s.actor).rpc().protect(ProtectRequest.newBuilder().setStateId(state(s.actor))
                        .setAuthenticatedData(aad).setPlaintext(pt).build());
                put(i, "authenticated_data", aad);
                put(i, "plaintext", pt);
                put(i, "ciphertext", r.getCiphertext());
                break;
            }
            case "unprotect": {
                int from = s.integer("ciphertext");
                UnprotectResponse r = client(s.actor).rpc().unprotect(UnprotectRequest.newBuilder()
                        .setStateId(state(s.actor)).setCiphertext(get(from, "ciphertext")).build());
                if (!r.getAuthenticatedData().equals(get(from, "authenticated_data"))) {
                    throw new IllegalStateException("incorrect authenticated data");
                }
                if (!r.getPlaintext().equals(get(from, "plaintext"))) {
                    throw new IllegalStateException("incorrect plaintext");
                }
                break;
            }
            case "reinit":
                new ReInitStep(this).run(s);
                break;
            case "branch":
                branch(s);
                break;
            case "newMemberAddProposal":
                newMemberAddProposal(i, s);
                break;
            case "addExternalSigner":
                addExternalSigner(i, s);
                break;
            case "externalSignerProposal":
                externalSignerProposal(i, s);
                break;
            default:
                throw new IllegalArgumentException("unknown action '" + s.action + "'");
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private void createGroup(int i, Step s) {
        ByteString groupId = utf8(UUID.nameUUIDFromBytes(randomBytes(16).toByteArray()).toString());
        CreateGroupResponse created = client(s.actor).rpc().createGroup(CreateGroupRequest.newBuilder()
                .setGroupId(groupId).setCipherSuite(suite).setEncryptHandshake(encrypt).setIdentity(utf8(s.actor)).build());
        stateId.put(s.actor, created.getStateId());
        put(i, "group_id", groupId);
        List<String> members = s.strings("members");
        synced(s.actor);
        if (members.isEmpty()) {
            latestAuthenticator = client(s.actor).rpc().stateAuth(StateAuthRequest.newBuilder()
                    .setStateId(state(s.actor)).build()).getStateAuthSecret();
            return;
        }
        List<Integer> txs = new ArrayList<>();
        CommitRequest.Builder commit = CommitRequest.newBuilder().setStateId(state(s.actor));
        for (String m : members) {
            CreateKeyPackageResponse kp = client(m).rpc().createKeyPackage(CreateKeyPackageRequest.newBuilder()
                    .setCipherSuite(suite).setIdentity(utf8(m)).build());
            txs.add(kp.getTransactionId());
            commit.addByValue(ProposalDescription.newBuilder().setProposalType(utf8("add")).setKeyPackage(kp.getKeyPackage()));
        }
        CommitResponse c = client(s.actor).rpc().commit(commit.build());
        ByteString auth = handlePending(s.actor);
        for (int k = 0; k < members.size(); k++) {
            String m = members.get(k);
            JoinGroupResponse j = client(m).rpc().joinGroup(JoinGroupRequest.newBuilder().setTransactionId(txs.get(k))
                    .setWelcome(c.getWelcome()).setEncryptHandshake(encrypt).setIdentity(utf8(m)).build());
            agree(auth, j.getEpochAuthenticator(), "joiner " + m);
            stateId.put(m, j.getStateId());
            synced.add(m);
        }
    }

    /** HandlePendingCommit at {@code actor}; its new epoch authenticator. */
    ByteString handlePending(String actor) {
        HandleCommitResponse r = client(actor).rpc().handlePendingCommit(HandlePendingCommitRequest.newBuilder()
                .setStateId(state(actor)).build());
        stateId.put(actor, r.getStateId());
        latestAuthenticator = r.getEpochAuthenticator();
        if (latestAuthenticator.isEmpty()) {
            throw new IllegalStateException(actor + " returned an empty epoch authenticator");
        }
        return latestAuthenticator;
    }

    private void externalJoin(int i, Step s) {
        boolean externalTree = s.flag("externalTree");
        GroupInfoResponse info = client(s.actor).rpc().groupInfo(GroupInfoRequest.newBuilder()
                .setStateId(state(s.actor)).setExternalTree(externalTree).build());
        put(i, "group_info", info.getGroupInfo());
        put(i, "ratchet_tree", info.getRatchetTree());
        String joiner = s.string("joiner");
        ExternalJoinRequest.Builder req = ExternalJoinRequest.newBuilder().setGroupInfo(info.getGroupInfo())
                .setRatchetTree(info.getRatchetTree()).setEncryptHandshake(encrypt).setIdentity(utf8(joiner))
                .setRemovePrior(s.flag("removePrior"));
        for (int psk : s.integers("psks")) {
            req.addPsks(PreSharedKey.newBuilder().setPskId(get(psk, "psk_id")).setPskSecret(get(psk, "psk_secret")));
        }
        ExternalJoinResponse joined = client(joiner).rpc().externalJoin(req.build());
        stateId.put(joiner, joined.getStateId());
        ByteString auth = joined.getEpochAuthenticator();
        latestAuthenticator = auth;
        put(i, "commit", joined.getCommit());
        put(i, "epoch_authenticator", auth);
        List<String> members = new ArrayList<>(s.strings("members"));
        members.add(s.actor);
        for (String m : members) {
            HandleCommitResponse r = client(m).rpc().handleCommit(HandleCommitRequest.newBuilder()
                    .setStateId(state(m)).setCommit(joined.getCommit()).build());
            agree(auth, r.getEpochAuthenticator(), "member " + m);
            stateId.put(m, r.getStateId());
        }
        synced(members.toArray(new String[0]));
        synced.add(joiner);
    }

    private void installExternalPsk(int i, Step s) {
        ByteString id = randomBytes(32);
        ByteString secret = randomBytes(32);
        put(i, "psk_id", id);
        put(i, "psk_secret", secret);
        for (String who : s.strings("clients")) {
            Integer target = stateId.containsKey(who) ? stateId.get(who) : transactionId.get(who);
            client(who).rpc().storePSK(StorePSKRequest.newBuilder().setStateOrTransactionId(target == null ? 0 : target)
                    .setPskId(id).setPskSecret(secret).build());
        }
    }

    private CommitRequest commitRequest(Step s) {
        return CommitRequest.newBuilder().setStateId(state(s.actor)).addAllByReference(proposals(s.integers("byReference")))
                .addAllByValue(byValue(s)).setForcePath(s.flag("force_path")).setExternalTree(s.flag("external_tree"))
                .build();
    }

    private void fullCommit(int i, Step s) {
        CommitRequest req = commitRequest(s);
        CommitResponse c = client(s.actor).rpc().commit(req);
        put(i, "welcome", c.getWelcome());
        put(i, "commit", c.getCommit());
        if (req.getExternalTree()) {
            if (c.getRatchetTree().isEmpty()) {
                throw new IllegalStateException("external_tree was asked but the commit came without a ratchet tree");
            }
            put(i, "ratchet_tree", c.getRatchetTree());
        }
        ByteString auth = handlePending(s.actor);
        put(i, "epoch_authenticator", auth);
        for (String m : s.strings("members")) {
            HandleCommitResponse r = client(m).rpc().handleCommit(HandleCommitRequest.newBuilder().setStateId(state(m))
                    .addAllProposal(req.getByReferenceList()).setCommit(c.getCommit()).build());
            agree(auth, r.getEpochAuthenticator(), "member " + m);
            stateId.put(m, r.getStateId());
        }
        List<String> joiners = s.strings("joiners");
        for (String j : joiners) {
            Integer tx = transactionId.get(j);
            if (tx == null) {
                throw new IllegalArgumentException("no transaction for " + j);
            }
            JoinGroupRequest.Builder jr = JoinGroupRequest.newBuilder().setTransactionId(tx).setWelcome(c.getWelcome())
                    .setEncryptHandshake(encrypt).setIdentity(utf8(j));
            if (req.getExternalTree()) {
                jr.setRatchetTree(c.getRatchetTree());
            }
            JoinGroupResponse r = client(j).rpc().joinGroup(jr.build());
            agree(auth, r.getEpochAuthenticator(), "joiner " + j);
            stateId.put(j, r.getStateId());
        }
        synced(s.actor);
        synced.addAll(s.strings("members"));
        synced.addAll(joiners);
    }

    private void branch(Step s) {
        List<String> members = s.strings("members");
        Map<String, Integer> txs = new HashMap<>();
        CreateBranchRequest.Builder req = CreateBranchRequest.newBuilder().setStateId(state(s.actor))
                .setGroupId(utf8(UUID.nameUUIDFromBytes(randomBytes(16).toByteArray()).toString()))
                .addAllExtensions(Step.extensions(s.get("extensions"))).setForcePath(s.flag("force_path"))
                .setExternalTree(s.flag("external_tree"));
        for (String m : members) {
            CreateKeyPackageResponse kp = client(m).rpc().createKeyPackage(CreateKeyPackageRequest.newBuilder()
                    .setCipherSuite(suite).setIdentity(utf8(m)).build());
            txs.put(m, kp.getTransactionId());
            req.addKeyPackages(kp.getKeyPackage());
        }
        CreateSubgroupResponse created = client(s.actor).rpc().createBranch(req.build());
        if (req.getExternalTree() && created.getRatchetTree().isEmpty()) {
            throw new IllegalStateException("external_tree was asked but the branch came without a ratchet tree");
        }
        ByteString auth = created.getEpochAuthenticator();
        latestAuthenticator = auth;
        stateId.put(s.actor, created.getStateId());
        Map<String, Integer> old = new HashMap<>();
        for (String m : members) {
            HandleBranchResponse r = client(m).rpc().handleBranch(HandleBranchRequest.newBuilder().setStateId(state(m))
                    .setTransactionId(txs.get(m)).setWelcome(created.getWelcome())
                    .setRatchetTree(req.getExternalTree() ? created.getRatchetTree() : ByteString.EMPTY).build());
            agree(auth, r.getEpochAuthenticator(), "member " + m);
            old.put(m, state(m));
            stateId.put(m, r.getStateId());
        }
        for (Map.Entry<String, Integer> e : old.entrySet()) {
            client(e.getKey()).rpc().free(FreeRequest.newBuilder().setStateId(e.getValue()).build());
        }
        synced(s.actor);
        synced.addAll(members);
    }

    private void newMemberAddProposal(int i, Step s) {
        GroupInfoResponse info = client(s.actor).rpc().groupInfo(GroupInfoRequest.newBuilder()
                .setStateId(state(s.actor)).build());
        String joiner = s.string("joiner");
        NewMemberAddProposalResponse r = client(joiner).rpc().newMemberAddProposal(NewMemberAddProposalRequest.newBuilder()
                .setGroupInfo(info.getGroupInfo()).setIdentity(utf8(joiner)).build());
        transactionId.put(joiner, r.getTransactionId());
        put(i, "proposal", r.getProposal());
    }

    private void addExternalSigner(int i, Step s) {
        String signer = s.string("signer");
        CreateExternalSignerResponse created = client(signer).rpc().createExternalSigner(
                CreateExternalSignerRequest.newBuilder().setCipherSuite(suite).setIdentity(utf8(signer)).build());
        signerId.put(signer, created.getSignerId());
        put(i, "proposal", client(s.actor).rpc().addExternalSigner(AddExternalSignerRequest.newBuilder()
                .setStateId(state(s.actor)).setExternalSender(created.getExternalSender()).build()).getProposal());
    }

    private void externalSignerProposal(int i, Step s) {
        String member = s.string("member");
        GroupInfoResponse info = client(member).rpc().groupInfo(GroupInfoRequest.newBuilder()
                .setStateId(state(member)).setExternalTree(true).build());
        Integer signer = signerId.get(s.actor);
        if (signer == null) {
            throw new IllegalArgumentException("'" + s.actor + "' is not an external signer");
        }
        ProposalDescription d = description(s.get("description").getAsJsonObject());
        put(i, "proposal", client(s.actor).rpc().externalSignerProposal(ExternalSignerProposalRequest.newBuilder()
                .setSignerId(signer).setGroupInfo(info.getGroupInfo()).setRatchetTree(info.getRatchetTree())
                .setDescription(d).build()).getProposal());
    }

    // ---------------------------------------------------------------- what ReInitStep needs

    RemoteClient clientOf(String actor) {
        return client(actor);
    }

    int stateOf(String actor) {
        return state(actor);
    }

    void setState(String actor, int id) {
        stateId.put(actor, id);
    }

    int suite() {
        return suite;
    }

    ByteString reinitGroupId(boolean change) {
        return newGroupId(change);
    }

    void changeCipherSuite() {
        changeSuite();
    }

    ByteString proposalAt(int step) {
        return get(step, "proposal");
    }

    void settled(Set<String> members, ByteString authenticator) {
        synced = new LinkedHashSet<>(members);
        latestAuthenticator = authenticator;
    }

    static void checkAgree(ByteString expected, ByteString got, String who) {
        agree(expected, got, who);
    }

    // ---------------------------------------------------------------- verification and cleanup

    /** test-scenarios.md's "verify group state" over the members the script left in sync. */
    private void verifyGroup() {
        if (synced == null || synced.isEmpty()) {
            return;
        }
        List<String> members = new ArrayList<>(synced);
        ByteString context = utf8("mlskit interop");
        ByteString exported = null;
        for (String m : members) {
            ByteString auth = client(m).rpc().stateAuth(StateAuthRequest.newBuilder().setStateId(state(m)).build())
                    .getStateAuthSecret();
            if (!auth.equals(latestAuthenticator)) {
                throw new IllegalStateException(m + "'s state auth secret differs from the group's");
            }
            ByteString e = client(m).rpc().export(ExportRequest.newBuilder().setStateId(state(m)).setLabel("interop check")
                    .setContext(context).setKeyLength(32).build()).getExportedSecret();
            if (e.size() != 32 || (exported != null && !exported.equals(e))) {
                throw new IllegalStateException(m + "'s exporter output differs from the group's");
            }
            exported = e;
        }
        // Every member protects; all others unprotect (in large groups, the next three in turn).
        int n = members.size();
        int receivers = n <= 8 ? n - 1 : 3;
        for (int k = 0; k < n; k++) {
            String from = members.get(k);
            ByteString aad = utf8("verify " + from);
            ByteString pt = randomBytes(24);
            ByteString ct = client(from).rpc().protect(ProtectRequest.newBuilder().setStateId(state(from))
                    .setAuthenticatedData(aad).setPlaintext(pt).build()).getCiphertext();
            for (int r = 1; r <= receivers; r++) {
                String to = members.get((k + r) % n);
                UnprotectResponse u = client(to).rpc().unprotect(UnprotectRequest.newBuilder().setStateId(state(to))
                        .setCiphertext(ct).build());
                if (!u.getPlaintext().equals(pt) || !u.getAuthenticatedData().equals(aad)) {
                    throw new IllegalStateException(to + " unprotected " + from + "'s message to something else");
                }
            }
        }
    }

    private void free() {
        for (Map.Entry<String, Integer> e : stateId.entrySet()) {
            try {
                clients.get(e.getKey()).rpc().free(FreeRequest.newBuilder().setStateId(e.getValue()).build());
            } catch (RuntimeException ignored) {
                // a state the client already dropped; nothing left to release
            }
        }
    }
}
