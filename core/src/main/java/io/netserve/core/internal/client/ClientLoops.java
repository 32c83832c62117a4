package io.netserve.core.internal.client;

import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.EventLoops;
import io.netserve.core.internal.ServerLifecycle;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event loop a client runs on: one of a group it was given (a server's, say), which it never
 * shuts down, or the one thread of a group of its own, which {@link #shutdown()} stops.
 *
 * <pre>{@code
 * ClientLoops loops = ClientLoops.of(config, "netserve-client");
 * new Bootstrap().group(loops.loop()).channel(loops.transport().socketChannelClass());
 * ...
 * loops.shutdown();
 * }</pre>
 */
public final class ClientLoops {

    private static final long SHUTDOWN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long CLOSE_WAIT_SECONDS = 2;

    private final EventLoopGroup group;
    private final boolean owned;
    private final Transport transport;
    private final EventLoop loop;

    private ClientLoops(EventLoopGroup group, boolean owned, Transport transport) {
        this.group = group;
        this.owned = owned;
        this.transport = transport;
        this.loop = group.next();
    }

    /**
     * The loops for a client of {@code config}: on its {@code eventLoopGroup} if it has one, else on
     * a new one-thread group of its transport, its thread named {@code name-N-M}.
     *
     * @throws IllegalStateException if the transport asked for does not load here
     * @throws IllegalArgumentException if the given group runs no transport netserve knows
     */
    public static ClientLoops of(ClientConfig config, String name) {
        if (config.eventLoopGroup().isPresent()) {
            EventLoopGroup shared = config.eventLoopGroup().get();
            return new ClientLoops(shared, false, EventLoops.transportOf(shared));
        }
        Transport transport = EventLoops.resolveForClient(config.transport());
        return new ClientLoops(EventLoops.newGroup(transport, 1, name), true, transport);
    }

    /** The transport the loop runs (never {@link Transport#AUTO}). */
    public Transport transport() {
        return transport;
    }

    /** The one event loop of the client. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Closes a client once, through its {@code lifecycle}: its channel ({@code closeChannel}), then
     * its own group. Waits briefly for both unless called on the client's event loop.
     */
    public void close(ServerLifecycle lifecycle, Supplier<ChannelFuture> closeChannel) {
        Runnable stop = () -> {
            ChannelFuture closing = closeChannel.get();
            if (!loop.inEventLoop()) {
                closing.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            shutdown();
        };
        if (loop.inEventLoop()) {
            lifecycle.closeWithoutWaiting(stop);
        } else {
            lifecycle.close(stop);
        }
    }

    /**
     * Stops the client's own group and, unless called on it, waits for it to end; does nothing to
     * a group the client was given.
     */
    public void shutdown() {
        if (!owned) {
            return;
        }
        if (loop.inEventLoop()) {
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        } else {
            EventLoops.shutdown(group, 0, SHUTDOWN_TIMEOUT_NANOS);
        }
    }
}
