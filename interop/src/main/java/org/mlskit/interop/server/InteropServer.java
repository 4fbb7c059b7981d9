package org.mlskit.interop.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.mlskit.crypto.SecureRandomSource;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/** A gRPC server with one {@link MlsClientService}, on loopback unless told otherwise. */
public final class InteropServer implements AutoCloseable {
    private final Server server;

    private InteropServer(Server server) {
        this.server = server;
    }

    /** Starts on {@code host:port}; port 0 picks a free one (see {@link #port()}). */
    public static InteropServer start(String host, int port) throws IOException {
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(new MlsClientService(new SecureRandomSource()))
                .maxInboundMessageSize(64 << 20)
                .build()
                .start();
        return new InteropServer(s);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
