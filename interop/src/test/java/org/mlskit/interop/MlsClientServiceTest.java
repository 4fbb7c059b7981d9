package org.mlskit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlskit.interop.proto.*;
import org.mlskit.interop.server.InteropServer;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The server's answers one RPC at a time: statuses for bad input, and state left as it was. */
class MlsClientServiceTest {
    private static InteropServer server;
    private static ManagedChannel channel;
    private static MLSClientGrpc.MLSClientBlockingStub rpc;

    @BeforeAll
    static void start() throws IOException {
        server = InteropServer.start("127.0.0.1", 0);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        rpc = MLSClientGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.close();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static StatusRuntimeException fails(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getMessage());
        return e;
    }

    /** alice creates a group and adds bob; returns {alice's state, bob's state}. */
    private static int[] twoMembers(boolean encrypt) {
        int alice = rpc.createGroup(CreateGroupRequest.newBuilder().setGroupId(utf8("g")).setCipherSuite(1)
                .setEncryptHandshake(encrypt).setIdentity(utf8("alice")).build()).getStateId();
        CreateKeyPackageResponse kp = rpc.createKeyPackage(CreateKeyPackageRequest.newBuilder().setCipherSuite(1)
                .setIdentity(utf8("bob")).build());
        assertTrue(kp.getInitPriv().size() > 0 && kp.getEncryptionPriv().size() > 0 && kp.getSignaturePriv().size() > 0);
        CommitResponse c = rpc.commit(CommitRequest.newBuilder().setStateId(alice).addByValue(ProposalDescription
                .newBuilder().setProposalType(utf8("add")).setKeyPackage(kp.getKeyPackage())).build());
        HandleCommitResponse merged = rpc.handlePendingCommit(HandlePendingCommitRequest.newBuilder().setStateId(alice).build());
        JoinGroupResponse bob = rpc.joinGroup(JoinGroupRequest.newBuilder().setTransactionId(kp.getTransactionId())
                .setWelcome(c.getWelcome()).setEncryptHandshake(encrypt).setIdentity(utf8("bob")).build());
        assertEquals(merged.getEpochAuthenticator(), bob.getEpochAuthenticator());
        return new int[] {merged.getStateId(), bob.getStateId()};
    }

    @Test
    void nameAndSuites() {
        assertEquals("mlskit", rpc.name(NameRequest.getDefaultInstance()).getName());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7),
                rpc.supportedCiphersuites(SupportedCiphersuitesRequest.getDefaultInstance()).getCiphersuitesList());
    }

    @Test
    void badRequestsGetTypedStatuses() {
        fails(Status.Code.INVALID_ARGUMENT, () -> rpc.createGroup(CreateGroupRequest.newBuilder().setGroupId(utf8("g"))
                .setCipherSuite(99).setIdentity(utf8("a")).build()));
        fails(Status.Code.NOT_FOUND, () -> rpc.stateAuth(StateAuthRequest.newBuilder().setStateId(123456).build()));
        int[] ids = twoMembers(true);
        fails(Status.Code.FAILED_PRECONDITION, () -> rpc.handlePendingCommit(HandlePendingCommitRequest.newBuilder()
                .setStateId(ids[0]).build()));
        fails(Status.Code.INVALID_ARGUMENT, () -> rpc.removeProposal(RemoveProposalRequest.newBuilder().setStateId(ids[0])
                .setRemovedId(utf8("nobody")).build()));
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> rpc.commit(CommitRequest.newBuilder()
                .setStateId(ids[0]).addByValue(ProposalDescription.newBuilder().setProposalType(utf8("teleport"))).build()));
        assertTrue(e.getMessage().contains("teleport"), e.getMessage());
    }

    @Test
    void refusedMessagesLeaveTheStateAsItWas() {
        int[] ids = twoMembers(false);
        ByteString before = rpc.stateAuth(StateAuthRequest.newBuilder().setStateId(ids[1]).build()).getStateAuthSecret();
        StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> rpc.unprotect(UnprotectRequest.newBuilder()
                .setStateId(ids[1]).setCiphertext(utf8("not an MLSMessage")).build()));
        assertTrue(e.getMessage().contains("MlsException MALFORMED"), e.getMessage());
        ByteString ct = rpc.protect(ProtectRequest.newBuilder().setStateId(ids[0]).setAuthenticatedData(utf8("ad"))
                .setPlaintext(utf8("hi")).build()).getCiphertext();
        byte[] tampered = ct.toByteArray();
        tampered[tampered.length - 1] ^= 1;
        fails(Status.Code.INVALID_ARGUMENT, () -> rpc.unprotect(UnprotectRequest.newBuilder().setStateId(ids[1])
                .setCiphertext(ByteString.copyFrom(tampered)).build()));
        assertEquals(before, rpc.stateAuth(StateAuthRequest.newBuilder().setStateId(ids[1]).build()).getStateAuthSecret());
        UnprotectResponse ok = rpc.unprotect(UnprotectRequest.newBuilder().setStateId(ids[1]).setCiphertext(ct).build());
        assertEquals(utf8("hi"), ok.getPlaintext());
        assertEquals(utf8("ad"), ok.getAuthenticatedData());
    }

    @Test
    void membersExportTheSameSecret() {
        int[] ids = twoMembers(true);
        ExportRequest.Builder req = ExportRequest.newBuilder().setLabel("l").setContext(utf8("c")).setKeyLength(42);
        ByteString a = rpc.export(req.setStateId(ids[0]).build()).getExportedSecret();
        ByteString b = rpc.export(req.setStateId(ids[1]).build()).getExportedSecret();
        assertEquals(42, a.size());
        assertEquals(a, b);
        assertNotEquals(a, rpc.export(req.setStateId(ids[1]).setLabel("other").build()).getExportedSecret());
        rpc.free(FreeRequest.newBuilder().setStateId(ids[1]).build());
        fails(Status.Code.NOT_FOUND, () -> rpc.export(req.setStateId(ids[1]).build()));
    }
}
