package io.netserve.core.server;

import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.transport.Transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * A running server, as a service embeds it: where it listens, what it counts, and how it stops.
 *
 * <pre>{@code
 * try (ServerHandle server = TcpServer.start(config, protocol)) {
 *     System.out.println("port " + server.localAddress().getPort());
 *     server.closeFuture().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface ServerHandle extends AutoCloseable {

    /** The address actually bound: the real port also when port 0 was asked for. */
    InetSocketAddress localAddress();

    /** The transport the server actually runs on (never {@link Transport#AUTO}). */
    Transport transport();

    /** The server's live counters. */
    ServerMetrics metrics();

    /** Whether {@link #close()} has begun: the server no longer accepts and is draining. */
    boolean isDraining();

    /** Completes once the server has fully stopped: unbound, connections closed, event loops ended. */
    CompletionStage<Void> closeFuture();

    /**
     * Stops the server gracefully within the configured shutdown timeout and waits until it has.
     * Idempotent; safe from any thread except the server's own event loops.
     */
    @Override
    void close();
}
