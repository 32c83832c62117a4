package io.netserve.core.server;

import io.netserve.core.Transport;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.Optional;
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

    /**
     * The event loops the server runs on, to share with clients in the same process so that a
     * service that serves and calls out starts one set of threads:
     * {@code ClientConfig.builder(host, port).eventLoopGroup(server.eventLoopGroup())}. The server
     * owns them: never shut them down; {@link #close()} does, so close such clients first.
     */
    EventLoopGroup eventLoopGroup();

    /**
     * Where the server's admin endpoint ({@code /health/live}, {@code /health/ready},
     * {@code /metrics}) is bound, with its real port; empty when it has none.
     */
    Optional<InetSocketAddress> adminAddress();

    /**
     * Whether {@link #close()} has begun: the server reports not ready, and drains (after the drain
     * delay, during which it still serves).
     */
    boolean isDraining();

    /** Completes once the server has fully stopped: unbound, connections closed, event loops ended. */
    CompletionStage<Void> closeFuture();

    /**
     * Stops the server gracefully within the configured shutdown timeout and waits until it has.
     * Idempotent; safe from any thread except the server's own event loops.
     */
    @Override
    void close();

    /**
     * Makes the JVM drain this server before the process ends when it is asked to exit (SIGTERM,
     * SIGINT, {@code System.exit}): a service that embeds a server without a launcher then stops as
     * gracefully as the netserve jars do. Call it once, after start.
     *
     * <pre>{@code
     * TcpServer server = TcpServer.start(config, protocol);
     * server.closeOnShutdown();
     * server.closeFuture().toCompletableFuture().join();   // returns once drained
     * }</pre>
     */
    default void closeOnShutdown() {
        Thread hook = new Thread(this::close, "netserve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        closeFuture().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is what closed us.
            }
        });
    }
}
