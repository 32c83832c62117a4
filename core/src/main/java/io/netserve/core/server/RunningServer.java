package io.netserve.core.server;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.transport.Transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** What {@link TcpServer} and {@link UdpServer} share as handles: their facts and a close that runs once. */
abstract class RunningServer implements ServerHandle {

    final ServerConfig config;
    final Transport transport;
    final ServerMetrics metrics;
    final InetSocketAddress localAddress;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    RunningServer(ServerConfig config, Transport transport, ServerMetrics metrics, InetSocketAddress localAddress) {
        this.config = config;
        this.transport = transport;
        this.metrics = metrics;
        this.localAddress = localAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public boolean isDraining() {
        return draining.get();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed.minimalCompletionStage();
    }

    /** The configuration this server was started with. */
    public ServerConfig config() {
        return config;
    }

    @Override
    public final void close() {
        if (draining.compareAndSet(false, true)) {
            try {
                stop();
            } finally {
                closed.complete(null);
            }
        } else {
            closed.join();
        }
    }

    /** Drains and stops the server, within the shutdown timeout; runs once, on the first {@link #close()}. */
    abstract void stop();
}
