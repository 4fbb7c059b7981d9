package org.mlskit.interop.runner;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.mlskit.interop.proto.MLSClientGrpc;
import org.mlskit.interop.proto.NameRequest;
import org.mlskit.interop.proto.SupportedCiphersuitesRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** One harness client (any implementation's MLSClient server) the runner drives. */
final class RemoteClient implements AutoCloseable {
    /** Per call, as the working group's runner allows. */
    static final long TIMEOUT_SECONDS = 120;

    final String address;
    final String name;
    final Set<Integer> suites = new TreeSet<>();
    private final ManagedChannel channel;
    private final MLSClientGrpc.MLSClientBlockingStub stub;

    RemoteClient(String address) {
        this.address = address;
        this.channel = ManagedChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(64 << 20).build();
        this.stub = MLSClientGrpc.newBlockingStub(channel);
        try {
            this.name = rpc().name(NameRequest.getDefaultInstance()).getName();
            suites.addAll(rpc().supportedCiphersuites(SupportedCiphersuitesRequest.getDefaultInstance()).getCiphersuitesList());
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    /** The stub with a fresh deadline. */
    MLSClientGrpc.MLSClientBlockingStub rpc() {
        return stub.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "@" + address;
    }
}
