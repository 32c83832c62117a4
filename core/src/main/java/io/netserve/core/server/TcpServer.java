package io.netserve.core.server;

import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.pipeline.Protocol;
import io.netserve.core.pipeline.TcpChannelInitializer;
import io.netserve.core.transport.Transport;
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
import java.util.concurrent.TimeUnit;

/**
 * A running TCP server: binds, serves a {@link Protocol} behind core's standard pipeline (see
 * {@link TcpChannelInitializer}), and drains gracefully on {@link #close()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).build();
 * try (TcpServer server = TcpServer.start(config, pipeline -> pipeline.addLast(new MyHandler()))) {
 *     InetSocketAddress bound = server.localAddress();   // the real port
 *     ...
 * }
 * }</pre>
 *
 * <p>One event-loop group of {@link ServerConfig#ioThreads()} threads both accepts and serves.
 * {@link #close()} stops in phases, each logged once with counts: stop accepting and unbind; mark
 * the server draining; close idle connections at once; let connections with bytes still to write
 * or still arriving finish, until the shutdown timeout; close what is left; stop the event loops.
 * Thread-safe.
 */
public final class TcpServer extends RunningServer {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup channels;

    private TcpServer(ServerConfig config, Transport transport, EventLoopGroup group, Channel serverChannel,
                      ChannelGroup channels, ServerMetrics metrics) {
        super(config, transport, metrics, (InetSocketAddress) serverChannel.localAddress());
        this.group = group;
        this.serverChannel = serverChannel;
        this.channels = channels;
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
                .childHandler(new TcpChannelInitializer(config, metrics, protocol, channels));
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
    void stop() {
        long start = System.nanoTime();
        long deadline = start + config.shutdownTimeout().toNanos();
        String where = Addresses.format(localAddress);

        serverChannel.close().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
        log.info("shutdown 1/6: stopped accepting on {}", where);

        // One snapshot: a connection closing meanwhile must not leave the count waiting for its look.
        List<Channel> connections = new ArrayList<>(channels);
        int open = connections.size();
        log.info("shutdown 2/6: draining {} connections, timeout {}", open,
                Durations.format(config.shutdownTimeout()));

        DrainHandler.Counts counts = new DrainHandler.Counts(open);
        connections.forEach(ch -> DrainHandler.drain(ch, counts));
        await(counts, deadline);
        log.info("shutdown 3/6: closed {} idle connections at once, {} still at work",
                counts.idle.get(), open - counts.idle.get());

        channels.newCloseFuture().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
        int left = channels.size();
        int finished = counts.finished.get();
        log.info("shutdown 4/6: {} connections finished their work, {} were closed by their peers, in {} ms",
                finished, Math.max(0, open - counts.idle.get() - finished - left),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        channels.close().awaitUninterruptibly(Math.max(remaining(deadline), TimeUnit.SECONDS.toNanos(1)),
                TimeUnit.NANOSECONDS);
        log.info("shutdown 5/6: closed {} connections still busy at the deadline", left);

        EventLoops.shutdown(group, config.shutdownQuietPeriod().toNanos(), remaining(deadline));
        log.info("shutdown 6/6: stopped {} in {} ms", where,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static void await(DrainHandler.Counts counts, long deadline) {
        try {
            counts.firstLooks.await(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public String toString() {
        return "TcpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + (isDraining() ? ", draining" : "") + "}";
    }
}
