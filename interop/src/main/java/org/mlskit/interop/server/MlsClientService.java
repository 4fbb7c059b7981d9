package org.mlskit.interop.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.mlskit.MlsException;
import org.mlskit.crypto.CipherSuite;
import org.mlskit.crypto.RandomSource;
import org.mlskit.framing.Sender;
import org.mlskit.group.Group;
import org.mlskit.group.GroupConfig;
import org.mlskit.group.GroupInfo;
import org.mlskit.group.ProcessedMessage;
import org.mlskit.group.Proposal;
import org.mlskit.group.StagedCommit;
import org.mlskit.interop.proto.*;
import org.mlskit.keys.Credential;
import org.mlskit.keys.Extension;
import org.mlskit.keys.ExtensionType;
import org.mlskit.keys.ExternalSenders;
import org.mlskit.keys.Identity;
import org.mlskit.keys.KeyPackage;
import org.mlskit.keys.KeyPackageBundle;
import org.mlskit.schedule.PreSharedKeyId;
import org.mlskit.tree.RatchetTree;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The MLS working group's MLSClient service (interop/proto/mls_client.proto) over mls-core's
 * public API. One instance is one harness client: it keeps group states, pending joins,
 * external signers and pending ReInits under numeric ids the test runner passes back. Calls
 * are serialized (the runner drives one step at a time; Group is not thread-safe).
 */
public final class MlsClientService extends MLSClientGrpc.MLSClientImplBase {
    public static final String NAME = "mlskit";

    private final RandomSource random;
    private final GroupConfig.Clock clock = GroupConfig.Clock.SYSTEM;
    /** One id space for states, joins, signers and reinits, so StorePSK can take either kind. */
    private int nextId = 1;
    private final Map<Integer, MemberState> states = new HashMap<>();
    private final Map<Integer, Join> joins = new HashMap<>();
    private final Map<Integer, Identity> signers = new HashMap<>();
    private final Map<Integer, PendingReInit> reinits = new HashMap<>();

    /** A KeyPackage handed out and not yet used: the client that made it and the PSKs it was given meanwhile. */
    private static final class Join {
        final Identity identity;
        final KeyPackageBundle bundle;
        final MapPskStore psks = new MapPskStore();

        Join(Identity identity, KeyPackageBundle bundle) {
            this.identity = identity;
            this.bundle = bundle;
        }
    }

    /** A member whose group committed a ReInit: its KeyPackage for the successor group. */
    private static final class PendingReInit {
        final MemberState old;
        final Identity identity;
        final KeyPackageBundle bundle;

        PendingReInit(MemberState old, Identity identity, KeyPackageBundle bundle) {
            this.old = old;
            this.identity = identity;
            this.bundle = bundle;
        }
    }

    public MlsClientService(RandomSource random) {
        this.random = random;
    }

    // ---------------------------------------------------------------- plumbing

    private synchronized <T> void answer(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (MlsException e) {
            out.onError(status(e).withDescription("MlsException " + e.code() + ": " + e.getMessage()).asRuntimeException());
            return;
        } catch (InteropException e) {
            out.onError(Status.fromCode(e.code).withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    /** mls-core's error codes as gRPC statuses: refused input, a state that does not allow it, or no support. */
    static Status status(MlsException e) {
        switch (e.code()) {
            case INVALID_STATE:
            case MISSING_PSK:
            case WRONG_EPOCH:
                return Status.FAILED_PRECONDITION;
            case UNSUPPORTED:
                return Status.UNIMPLEMENTED;
            default:
                return Status.INVALID_ARGUMENT;
        }
    }

    private int newId() {
        return nextId++;
    }

    /**
     * A fresh id for {@code s}'s current epoch. The previous one is dropped: the Group object moved
     * on (it decrypts late messages of retained epochs itself), and ids that pile up would keep
     * every group of a long run alive.
     */
    private int store(MemberState s) {
        if (s.id != 0) {
            states.remove(s.id);
        }
        s.id = newId();
        states.put(s.id, s);
        return s.id;
    }

    private MemberState state(int id) {
        MemberState s = states.get(id);
        if (s == null) {
            throw InteropException.notFound("state", id);
        }
        return s;
    }

    private Join join(int id) {
        Join j = joins.get(id);
        if (j == null) {
            throw InteropException.notFound("transaction", id);
        }
        return j;
    }

    private PendingReInit reinit(int id) {
        PendingReInit r = reinits.get(id);
        if (r == null) {
            throw InteropException.notFound("reinit", id);
        }
        return r;
    }

    private Identity newIdentity(CipherSuite suite, byte[] name) {
        return Identity.generate(suite, Credential.basic(name), random);
    }

    private static byte[] epochAuthenticator(MemberState s) {
        return s.group.status() == Group.Status.REMOVED ? null : s.group.epochAuthenticator();
    }

    // ---------------------------------------------------------------- about the client

    @Override
    public void name(NameRequest request, StreamObserver<NameResponse> out) {
        answer(out, () -> NameResponse.newBuilder().setName(NAME).build());
    }

    @Override
    public void supportedCiphersuites(SupportedCiphersuitesRequest request,
            StreamObserver<SupportedCiphersuitesResponse> out) {
        answer(out, () -> {
            SupportedCiphersuitesResponse.Builder b = SupportedCiphersuitesResponse.newBuilder();
            for (CipherSuite cs : CipherSuite.all()) {
                b.addCiphersuites(cs.id());
            }
            return b.build();
        });
    }

    // ---------------------------------------------------------------- becoming a member

    @Override
    public void createGroup(CreateGroupRequest request, StreamObserver<CreateGroupResponse> out) {
        answer(out, () -> {
            Identity id = newIdentity(Wire.suite(request.getCipherSuite()), request.getIdentity().toByteArray());
            MapPskStore psks = new MapPskStore();
            boolean encrypt = request.getEncryptHandshake();
            Group g = Group.create(id, request.getGroupId().toByteArray(), new ArrayList<>(),
                    MemberState.config(encrypt, psks), random);
            return CreateGroupResponse.newBuilder().setStateId(store(new MemberState(g, encrypt, psks))).build();
        });
    }

    @Override
    public void createKeyPackage(CreateKeyPackageRequest request, StreamObserver<CreateKeyPackageResponse> out) {
        answer(out, () -> {
            Identity id = newIdentity(Wire.suite(request.getCipherSuite()), request.getIdentity().toByteArray());
            KeyPackageBundle kp = KeyPackageBundle.create(id, clock.nowSeconds(), random);
            int tx = newId();
            joins.put(tx, new Join(id, kp));
            return CreateKeyPackageResponse.newBuilder().setTransactionId(tx)
                    .setKeyPackage(Wire.bytes(Wire.keyPackageMessage(kp.keyPackage())))
                    .setInitPriv(Wire.bytes(kp.initPrivateKey()))
                    .setEncryptionPriv(Wire.bytes(kp.encryptionPrivateKey()))
                    .setSignaturePriv(Wire.bytes(id.signaturePrivateKey())).build();
        });
    }

    @Override
    public void joinGroup(JoinGroupRequest request, StreamObserver<JoinGroupResponse> out) {
        answer(out, () -> {
            Join j = join(request.getTransactionId());
            boolean encrypt = request.getEncryptHandshake();
            Group g = Group.join(request.getWelcome().toByteArray(), j.bundle, j.identity,
                    Wire.orNull(request.getRatchetTree()), MemberState.config(encrypt, j.psks), random);
            joins.remove(request.getTransactionId()); // used: a failed join keeps it for another try
            MemberState s = new MemberState(g, encrypt, j.psks);
            return JoinGroupResponse.newBuilder().setStateId(store(s))
                    .setEpochAuthenticator(Wire.bytes(g.epochAuthenticator())).build();
        });
    }

    @Override
    public void externalJoin(ExternalJoinRequest request, StreamObserver<ExternalJoinResponse> out) {
        answer(out, () -> {
            GroupInfo info = Wire.groupInfo(request.getGroupInfo());
            CipherSuite suite = Wire.suite(info.groupContext.cipherSuite());
            byte[] name = request.getIdentity().toByteArray();
            int prior = -1;
            if (request.getRemovePrior()) {
                prior = Wire.leafOf(Wire.tree(info, request.getRatchetTree()), name);
                if (prior < 0) {
                    throw InteropException.badRequest("remove_prior: no earlier leaf of this client in the tree");
                }
            }
            MapPskStore psks = new MapPskStore();
            List<PreSharedKeyId> ids = new ArrayList<>();
            for (PreSharedKey psk : request.getPsksList()) {
                psks.put(psk.getPskId().toByteArray(), psk.getPskSecret().toByteArray());
                ids.add(PreSharedKeyId.external(psk.getPskId().toByteArray(), random.bytes(suite.kdf().length())));
            }
            boolean encrypt = request.getEncryptHandshake();
            Group.ExternalJoin j = Group.joinExternally(request.getGroupInfo().toByteArray(), newIdentity(suite, name),
                    Wire.orNull(request.getRatchetTree()), prior, ids, null, MemberState.config(encrypt, psks), random);
            MemberState s = new MemberState(j.group, encrypt, psks);
            return ExternalJoinResponse.newBuilder().setStateId(store(s)).setCommit(Wire.bytes(j.commit()))
                    .setEpochAuthenticator(Wire.bytes(j.group.epochAuthenticator())).build();
        });
    }

    // ---------------------------------------------------------------- reading a state

    @Override
    public void groupInfo(GroupInfoRequest request, StreamObserver<GroupInfoResponse> out) {
        answer(out, () -> {
            Group g = state(request.getStateId()).group;
            boolean external = request.getExternalTree();
            GroupInfoResponse.Builder b = GroupInfoResponse.newBuilder().setGroupInfo(Wire.bytes(g.groupInfo(!external, true)));
            if (external) {
                b.setRatchetTree(Wire.bytes(g.ratchetTree()));
            }
            return b.build();
        });
    }

    @Override
    public void stateAuth(StateAuthRequest request, StreamObserver<StateAuthResponse> out) {
        answer(out, () -> StateAuthResponse.newBuilder()
                .setStateAuthSecret(Wire.bytes(state(request.getStateId()).group.epochAuthenticator())).build());
    }

    @Override
    public void export(ExportRequest request, StreamObserver<ExportResponse> out) {
        answer(out, () -> ExportResponse.newBuilder().setExportedSecret(Wire.bytes(state(request.getStateId()).group
                .export(request.getLabel(), request.getContext().toByteArray(), request.getKeyLength()))).build());
    }

    @Override
    public void protect(ProtectRequest request, StreamObserver<ProtectResponse> out) {
        answer(out, () -> ProtectResponse.newBuilder().setCiphertext(Wire.bytes(state(request.getStateId()).group
                .encrypt(request.getPlaintext().toByteArray(), request.getAuthenticatedData().toByteArray()))).build());
    }

    @Override
    public void unprotect(UnprotectRequest request, StreamObserver<UnprotectResponse> out) {
        answer(out, () -> {
            ProcessedMessage m = state(request.getStateId()).group.process(request.getCiphertext().toByteArray());
            if (m.kind != ProcessedMessage.Kind.APPLICATION) {
                throw InteropException.badRequest("not an application message but a " + m.kind);
            }
            return UnprotectResponse.newBuilder().setAuthenticatedData(Wire.bytes(m.authenticatedData()))
                    .setPlaintext(Wire.bytes(m.applicationData())).build();
        });
    }

    @Override
    public void storePSK(StorePSKRequest request, StreamObserver<StorePSKResponse> out) {
        answer(out, () -> {
            int id = request.getStateOrTransactionId();
            MapPskStore psks;
            if (states.containsKey(id)) {
                psks = states.get(id).psks;
            } else if (joins.containsKey(id)) {
                psks = joins.get(id).psks;
            } else {
                throw InteropException.notFound("state or transaction", id);
            }
            psks.put(request.getPskId().toByteArray(), request.getPskSecret().toByteArray());
            return StorePSKResponse.getDefaultInstance();
        });
    }

    // ---------------------------------------------------------------- proposals

    private ProposalResponse proposal(byte[] message) {
        return ProposalResponse.newBuilder().setProposal(Wire.bytes(message)).build();
    }

    @Override
    public void addProposal(AddProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeAdd(Wire.keyPackage(request.getKeyPackage()), null)));
        });
    }

    @Override
    public void updateProposal(UpdateProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeUpdate(null)));
        });
    }

    @Override
    public void removeProposal(RemoveProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            int leaf = leafOf(s.group, request.getRemovedId().toByteArray());
            if (leaf < 0) {
                throw InteropException.badRequest("no member named " + Wire.text(request.getRemovedId()));
            }
            return proposal(s.sent(s.group.proposeRemove(leaf, null)));
        });
    }

    @Override
    public void externalPSKProposal(ExternalPSKProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeExternalPsk(request.getPskId().toByteArray(), null)));
        });
    }

    @Override
    public void resumptionPSKProposal(ResumptionPSKProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeResumptionPsk(request.getEpochId(), null)));
        });
    }

    @Override
    public void groupContextExtensionsProposal(GroupContextExtensionsProposalRequest request,
            StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeGroupContextExtensions(Wire.extensions(request.getExtensionsList()),
                    null)));
        });
    }

    @Override
    public void reInitProposal(ReInitProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            return proposal(s.sent(s.group.proposeReInit(request.getGroupId().toByteArray(),
                    Wire.suite(request.getCipherSuite()), Wire.extensions(request.getExtensionsList()), null)));
        });
    }

    private static int leafOf(Group g, byte[] identity) {
        for (org.mlskit.group.Member m : g.members()) {
            if (m.credential.type() == Credential.BASIC && java.util.Arrays.equals(m.credential.identity(), identity)) {
                return m.leafIndex;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- commits

    /** Caches proposals sent by others (ours are cached already); anything else in the list is refused. */
    private static void receiveProposals(MemberState s, List<com.google.protobuf.ByteString> proposals) {
        for (com.google.protobuf.ByteString p : proposals) {
            byte[] message = p.toByteArray();
            if (s.isOwn(message)) {
                continue;
            }
            ProcessedMessage m = s.group.process(message);
            if (m.kind != ProcessedMessage.Kind.PROPOSAL) {
                throw InteropException.badRequest("a " + m.kind + " among the proposals");
            }
        }
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
        answer(out, () -> doCommit(request));
    }

    @Override
    public void reInitCommit(CommitRequest request, StreamObserver<CommitResponse> out) {
        answer(out, () -> doCommit(request));
    }

    private CommitResponse doCommit(CommitRequest request) {
        MemberState s = state(request.getStateId());
        Group g = s.group;
        receiveProposals(s, request.getByReferenceList());
        List<Proposal> byValue = new ArrayList<>();
        for (ProposalDescription d : request.getByValueList()) {
            byValue.add(ProposalFactory.from(d, g.suite(), g.groupId(), id -> leafOf(g, id), random));
        }
        boolean external = request.getExternalTree();
        GroupConfig saved = g.config();
        g.setConfig(saved.withRatchetTreeInWelcome(!external));
        StagedCommit c;
        try {
            c = g.commit(byValue, request.getForcePath(), null);
        } finally {
            g.setConfig(saved);
        }
        CommitResponse.Builder b = CommitResponse.newBuilder().setCommit(Wire.bytes(c.message()))
                .setWelcome(Wire.bytes(c.welcome()));
        if (external) {
            b.setRatchetTree(Wire.bytes(c.ratchetTree()));
        }
        return b.build();
    }

    private int mergePending(MemberState s) {
        StagedCommit c = s.group.stagedCommit();
        if (c == null) {
            throw InteropException.precondition("no pending commit");
        }
        s.group.merge(c);
        s.newEpoch();
        return store(s);
    }

    @Override
    public void handlePendingCommit(HandlePendingCommitRequest request, StreamObserver<HandleCommitResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            int id = mergePending(s);
            return HandleCommitResponse.newBuilder().setStateId(id)
                    .setEpochAuthenticator(Wire.bytes(epochAuthenticator(s))).build();
        });
    }

    /** Processes the proposals and the commit, then merges it; our own pending commit merges as it is. */
    private int handle(MemberState s, HandleCommitRequest request) {
        byte[] commit = request.getCommit().toByteArray();
        StagedCommit own = s.group.stagedCommit();
        if (own != null) {
            if (java.util.Arrays.equals(own.message(), commit)) {
                return mergePending(s);
            }
            s.group.discard(own); // another commit won this epoch
        }
        receiveProposals(s, request.getProposalList());
        ProcessedMessage m = s.group.process(commit);
        if (m.kind != ProcessedMessage.Kind.COMMIT) {
            throw InteropException.badRequest("not a commit but a " + m.kind);
        }
        s.group.merge(m.commit);
        s.newEpoch();
        return store(s);
    }

    @Override
    public void handleCommit(HandleCommitRequest request, StreamObserver<HandleCommitResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            int id = handle(s, request);
            return HandleCommitResponse.newBuilder().setStateId(id)
                    .setEpochAuthenticator(Wire.bytes(epochAuthenticator(s))).build();
        });
    }

    // ---------------------------------------------------------------- ReInit and branch

    /** After a committed ReInit: a KeyPackage of this client in the new suite, kept under a reinit id. */
    private HandleReInitCommitResponse reinitPending(MemberState s) {
        Group g = s.group;
        if (g.status() != Group.Status.REINIT_PENDING) {
            throw InteropException.precondition("the commit did not contain a ReInit");
        }
        Identity id = newIdentity(Wire.suite(g.pendingReInit().cipherSuite), g.identity().credential().identity());
        KeyPackageBundle kp = KeyPackageBundle.create(id, clock.nowSeconds(), random);
        int rid = newId();
        reinits.put(rid, new PendingReInit(s, id, kp));
        return HandleReInitCommitResponse.newBuilder().setReinitId(rid)
                .setKeyPackage(Wire.bytes(Wire.keyPackageMessage(kp.keyPackage())))
                .setEpochAuthenticator(Wire.bytes(g.epochAuthenticator())).build();
    }

    @Override
    public void handlePendingReInitCommit(HandlePendingCommitRequest request,
            StreamObserver<HandleReInitCommitResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            mergePending(s);
            return reinitPending(s);
        });
    }

    @Override
    public void handleReInitCommit(HandleCommitRequest request, StreamObserver<HandleReInitCommitResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            handle(s, request);
            return reinitPending(s);
        });
    }

    private static List<KeyPackage> keyPackages(List<com.google.protobuf.ByteString> in) {
        List<KeyPackage> out = new ArrayList<>();
        for (com.google.protobuf.ByteString b : in) {
            out.add(Wire.keyPackage(b));
        }
        return out;
    }

    /** The successor group's state and Welcome; force_path and external_tree apply to the commit that makes it. */
    private CreateSubgroupResponse successor(MemberState from, boolean forcePath, boolean externalTree,
            java.util.function.Function<Group, Group.Successor> make) {
        Group old = from.group;
        GroupConfig saved = old.config();
        old.setConfig(saved.withAlwaysUpdatePath(forcePath).withRatchetTreeInWelcome(!externalTree));
        Group.Successor next;
        try {
            next = make.apply(old);
        } finally {
            old.setConfig(saved);
        }
        next.group.setConfig(from.config());
        MemberState s = new MemberState(next.group, from.encryptHandshake, from.psks);
        CreateSubgroupResponse.Builder b = CreateSubgroupResponse.newBuilder().setStateId(store(s))
                .setWelcome(Wire.bytes(next.welcome())).setEpochAuthenticator(Wire.bytes(next.group.epochAuthenticator()));
        if (externalTree) {
            b.setRatchetTree(Wire.bytes(next.group.ratchetTree()));
        }
        return b.build();
    }

    @Override
    public void reInitWelcome(ReInitWelcomeRequest request, StreamObserver<CreateSubgroupResponse> out) {
        answer(out, () -> {
            PendingReInit r = reinit(request.getReinitId());
            List<KeyPackage> kps = keyPackages(request.getKeyPackageList());
            CreateSubgroupResponse response = successor(r.old, request.getForcePath(), request.getExternalTree(),
                    g -> g.reInitialize(r.identity, kps));
            reinits.remove(request.getReinitId());
            return response;
        });
    }

    @Override
    public void handleReInitWelcome(HandleReInitWelcomeRequest request, StreamObserver<JoinGroupResponse> out) {
        answer(out, () -> {
            PendingReInit r = reinit(request.getReinitId());
            MemberState s = joinSuccessor(r.old, r.identity, r.bundle, r.old.psks, request.getWelcome().toByteArray(),
                    Wire.orNull(request.getRatchetTree()));
            reinits.remove(request.getReinitId());
            return JoinGroupResponse.newBuilder().setStateId(store(s))
                    .setEpochAuthenticator(Wire.bytes(s.group.epochAuthenticator())).build();
        });
    }

    /** Joins a ReInit or branch Welcome: the old group supplies the resumption PSK and the checks of §11. */
    private MemberState joinSuccessor(MemberState old, Identity identity, KeyPackageBundle bundle, MapPskStore psks,
            byte[] welcome, byte[] tree) {
        GroupConfig config = MemberState.config(old.encryptHandshake, psks);
        Group g = Group.join(welcome, bundle, identity, tree, config.withPskStore(Group.pskStoreWith(psks, old.group)),
                random);
        g.setConfig(config);
        return new MemberState(g, old.encryptHandshake, psks);
    }

    @Override
    public void createBranch(CreateBranchRequest request, StreamObserver<CreateSubgroupResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            List<KeyPackage> kps = keyPackages(request.getKeyPackagesList());
            List<Extension> ext = Wire.extensions(request.getExtensionsList());
            return successor(s, request.getForcePath(), request.getExternalTree(),
                    g -> g.branch(request.getGroupId().toByteArray(), ext, kps));
        });
    }

    @Override
    public void handleBranch(HandleBranchRequest request, StreamObserver<HandleBranchResponse> out) {
        answer(out, () -> {
            MemberState old = state(request.getStateId());
            Join j = join(request.getTransactionId());
            MemberState s = joinSuccessor(old, j.identity, j.bundle, j.psks, request.getWelcome().toByteArray(),
                    Wire.orNull(request.getRatchetTree()));
            joins.remove(request.getTransactionId());
            return HandleBranchResponse.newBuilder().setStateId(store(s))
                    .setEpochAuthenticator(Wire.bytes(s.group.epochAuthenticator())).build();
        });
    }

    // ---------------------------------------------------------------- proposals from outside

    @Override
    public void newMemberAddProposal(NewMemberAddProposalRequest request,
            StreamObserver<NewMemberAddProposalResponse> out) {
        answer(out, () -> {
            GroupInfo info = Wire.groupInfo(request.getGroupInfo());
            Identity id = newIdentity(Wire.suite(info.groupContext.cipherSuite()), request.getIdentity().toByteArray());
            KeyPackageBundle kp = KeyPackageBundle.create(id, clock.nowSeconds(), random);
            byte[] message = Outsiders.proposal(id, Sender.newMemberProposal(), info.groupContext,
                    new Proposal.Add(kp.keyPackage()));
            int tx = newId();
            joins.put(tx, new Join(id, kp));
            return NewMemberAddProposalResponse.newBuilder().setTransactionId(tx).setProposal(Wire.bytes(message))
                    .setInitPriv(Wire.bytes(kp.initPrivateKey())).setEncryptionPriv(Wire.bytes(kp.encryptionPrivateKey()))
                    .setSignaturePriv(Wire.bytes(id.signaturePrivateKey())).build();
        });
    }

    @Override
    public void createExternalSigner(CreateExternalSignerRequest request,
            StreamObserver<CreateExternalSignerResponse> out) {
        answer(out, () -> {
            Identity id = newIdentity(Wire.suite(request.getCipherSuite()), request.getIdentity().toByteArray());
            int sid = newId();
            signers.put(sid, id);
            return CreateExternalSignerResponse.newBuilder().setSignerId(sid)
                    .setExternalSender(Wire.bytes(Outsiders.externalSender(id))).build();
        });
    }

    /** A GroupContextExtensions proposal that keeps the group's extensions and appends one external sender. */
    @Override
    public void addExternalSigner(AddExternalSignerRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            MemberState s = state(request.getStateId());
            ExternalSenders.Entry added = Outsiders.decodeExternalSender(request.getExternalSender().toByteArray());
            List<ExternalSenders.Entry> senders = new ArrayList<>(ExternalSenders.find(s.group.extensions()));
            senders.add(added);
            List<Extension> ext = new ArrayList<>();
            for (Extension e : s.group.extensions()) {
                if (e.type() != ExtensionType.EXTERNAL_SENDERS) {
                    ext.add(e);
                }
            }
            ext.add(ExternalSenders.toExtension(senders));
            return proposal(s.sent(s.group.proposeGroupContextExtensions(ext, null)));
        });
    }

    @Override
    public void externalSignerProposal(ExternalSignerProposalRequest request, StreamObserver<ProposalResponse> out) {
        answer(out, () -> {
            Identity signer = signers.get(request.getSignerId());
            if (signer == null) {
                throw InteropException.notFound("signer", request.getSignerId());
            }
            GroupInfo info = Wire.groupInfo(request.getGroupInfo());
            int index = Outsiders.senderIndex(info.groupContext, signer);
            if (index < 0) {
                throw InteropException.precondition("the group does not list this signer as an external sender");
            }
            RatchetTree tree = Wire.tree(info, request.getRatchetTree());
            Proposal p = ProposalFactory.from(request.getDescription(), signer.suite(), info.groupContext.groupId(),
                    id -> Wire.leafOf(tree, id), random);
            return proposal(Outsiders.proposal(signer, Sender.external(index), info.groupContext, p));
        });
    }

    // ---------------------------------------------------------------- cleanup

    @Override
    public void free(FreeRequest request, StreamObserver<FreeResponse> out) {
        answer(out, () -> {
            if (states.remove(request.getStateId()) == null) {
                throw InteropException.notFound("state", request.getStateId());
            }
            return FreeResponse.getDefaultInstance();
        });
    }
}
