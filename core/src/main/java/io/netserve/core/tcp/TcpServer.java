package io.netserve.core.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.Addresses;
import io.netserve.core.internal.Deadline;
import io.netserve.core.internal.EventLoops;
import io.netserve.core.internal.QuietDrain;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.ServerLifecycle;
import io.netserve.core.internal.tcp.TcpChannelInitializer;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.BindFailedException;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A running TCP server: binds, serves a {@link Protocol} behind core's standard pipeline, and
 * drains gracefully on {@link #close()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).build();
 * try (TcpServer server = TcpServer.start(config, pipeline -> pipeline.addLast(new MyHandler()))) {
 *     InetSocketAddress bound = server.localAddress();   // the real port
 *     ...
 * }
 * }</pre>
 *
 * <p>Each connection's pipeline is, in order: the connection limit, traffic metrics, idle
 * detection and the {@code IdlePolicy} (when an idle timeout is set), backpressure, the
 * write-stall timeout (when set), the protocol's handlers, and a tail that logs an unhandled
 * exception once and closes only that connection.
 *
 * <p>One event-loop group of {@link ServerConfig#ioThreads()} threads both accepts and serves.
 * {@link #close()} stops in phases, each logged once with counts: stop accepting and unbind; mark
 * the server draining; close idle connections at once; let connections with bytes still to write
 * or still arriving finish (finished means quiet for 100 ms), until the shutdown timeout; close
 * what is left; stop the event loops. Thread-safe.
 */
public final class TcpServer implements ServerHandle {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final ServerConfig config;
    private final Transport transport;
    private final ServerMetrics metrics;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final InetSocketAddress localAddress;
    private final ServerLifecycle lifecycle = new ServerLifecycle();

    private TcpServer(ServerConfig config, Transport transport, EventLoopGroup group, Channel serverChannel,
                      ChannelGroup channels, ServerMetrics metrics) {
        this.config = config;
        this.transport = transport;
        this.metrics = metrics;
        this.group = group;
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.localAddress = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds a server for {@code protocol} as {@code config} says and returns it running.
     *
     * @throws BindFailedException if the address cannot be bound (in use, not local)
     * @throws ServerStartException if the host does not resolve or the transport is not available
     */
    public static TcpServer start(ServerConfig config, Protocol protocol) throws ServerStartException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        Transport transport = EventLoops.resolve(config);
        InetSocketAddress address = Addresses.resolve(config.host(), config.port());
        EventLoopGroup group = EventLoops.newGroup(transport, config.ioThreads(), "netserve-tcp");
        ServerMetrics metrics = new ServerMetrics();
        ChannelGroup channels = new DefaultChannelGroup("netserve-tcp", ImmediateEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new TcpChannelInitializer(config, new ServerContext(metrics), protocol, channels));
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            EventLoops.shutdown(group, 0, 0);
            throw new BindFailedException(address, bind.cause());
        }
        TcpServer server = new TcpServer(config, transport, group, bind.channel(), channels, metrics);
        log.info("tcp server bound to {} (transport={}, io threads={})",
                Addresses.format(server.localAddress), transport.cliName(), config.ioThreads());
        return server;
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

    /** The configuration this server was started with. */
    public ServerConfig config() {
        return config;
    }

    @Override
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    @Override
    public boolean isDraining() {
        return lifecycle.isDraining();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return lifecycle.closeFuture();
    }

    @Override
    public void close() {
        lifecycle.close(this::stop);
    }

    private void stop() {
        Deadline deadline = Deadline.after(config.shutdownTimeout());
        String where = Addresses.format(localAddress);

        deadline.await(serverChannel.close());
        log.info("shutdown 1/6: stopped accepting on {}", where);

        // One snapshot: a connection closing meanwhile must not leave the drain waiting for its look.
        List<Channel> connections = new ArrayList<>(channels);
        int open = connections.size();
        log.info("shutdown 2/6: draining {} connections, timeout {}", open, Durations.format(config.shutdownTimeout()));

        QuietDrain drain = QuietDrain.start(connections);
        drain.awaitFirstLooks(deadline);
        int idle = drain.closedAtOnce();
        log.info("shutdown 3/6: closed {} idle connections at once, {} still at work", idle, open - idle);

        deadline.await(channels.newCloseFuture());
        int left = channels.size();
        int finished = drain.finished();
        log.info("shutdown 4/6: {} connections finished their work, {} were closed by their peers, in {} ms",
                finished, Math.max(0, open - idle - finished - left), deadline.elapsedMillis());

        deadline.awaitAtLeastASecond(channels.close());
        log.info("shutdown 5/6: closed {} connections still busy at the deadline", left);

        EventLoops.shutdown(group, config.shutdownQuietPeriod().toNanos(), deadline.remainingNanos());
        log.info("shutdown 6/6: stopped {} in {} ms", where, deadline.elapsedMillis());
    }

    @Override
    public String toString() {
        return "TcpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + (isDraining() ? ", draining" : "") + "}";
    }
}
