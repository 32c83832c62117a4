package io.netserve.core.udp;

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
import io.netserve.core.internal.SocketOptions;
import io.netserve.core.internal.admin.Operations;
import io.netserve.core.internal.udp.DatagramReads;
import io.netserve.core.internal.udp.UdpChannelInitializer;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.BindFailedException;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A running UDP server: binds, serves a {@link Protocol} behind core's standard datagram pipeline,
 * and stops gracefully on {@link #close()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).rateLimitPerSecond(100).build();
 * try (UdpServer server = UdpServer.start(config, pipeline -> pipeline.addLast(new MyDatagramHandler()))) {
 *     InetSocketAddress bound = server.localAddress();   // the real port
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Pipeline.</b> Each datagram channel's pipeline is, in order: a writer of empty datagrams
 * (NIO and epoll drop them otherwise), traffic metrics, the oversize guard, the source-port guard
 * (unless {@link ServerConfig#allowPrivilegedSourcePorts()}), the per-source rate limit (when
 * {@link ServerConfig#rateLimitPerSecond()} is set), backpressure, a limit on queued replies
 * (past the write-buffer high water mark they are dropped and counted as
 * {@code ServerMetrics.droppedBackpressure()}), the protocol's handlers, and a
 * tail that logs an unhandled exception (at most a line a second) and never closes the channel.
 * Reply with {@code new DatagramPacket(content, packet.sender())} and flush in
 * {@code channelReadComplete}, so one read batch goes out with one system call.
 *
 * <p><b>Threads.</b> On epoll and io_uring the server binds one datagram channel per event-loop
 * thread ({@link ServerConfig#ioThreads()}), all on the same address with {@code SO_REUSEPORT}; the
 * kernel spreads datagrams over them by a hash of source and destination, so one client's datagrams
 * always reach the same thread. Before binding them it checks with an ordinary socket that the port
 * is free, so that a second server on the same port fails to start instead of silently sharing the
 * traffic, unless {@link ServerConfig#reusePort()} asks for exactly that. With one thread, or on NIO
 * and kqueue, there is one channel on one thread. Every
 * datagram is read whole, several per system call on epoll and io_uring.
 *
 * <p><b>Close.</b> {@link #close()} drains in phases, each logged once: every channel keeps reading
 * and answering until it is quiet (nothing read and nothing left to send for 100 ms), so datagrams
 * already in its socket buffer are answered, and is closed then; at the shutdown timeout what is
 * still busy is closed; the event loops stop.
 *
 * <p>Thread-safe.
 */
public final class UdpServer implements ServerHandle {

    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);

    private final ServerConfig config;
    private final Transport transport;
    private final ServerMetrics metrics;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final InetSocketAddress localAddress;
    private final ServerLifecycle lifecycle = new ServerLifecycle();
    private Operations operations;

    private UdpServer(ServerConfig config, Transport transport, EventLoopGroup group, List<Channel> channels,
                      ServerMetrics metrics) {
        this.config = config;
        this.transport = transport;
        this.metrics = metrics;
        this.group = group;
        this.channels = List.copyOf(channels);
        this.localAddress = (InetSocketAddress) channels.get(0).localAddress();
    }

    /**
     * Binds a server for {@code protocol} as {@code config} says and returns it running.
     *
     * @throws BindFailedException if the address cannot be bound (in use, not local)
     * @throws ServerStartException if the host does not resolve or the transport is not available
     */
    public static UdpServer start(ServerConfig config, Protocol protocol) throws ServerStartException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        Transport transport = EventLoops.resolve(config);
        InetSocketAddress requested = Addresses.resolve(config.host(), config.port());
        int count = DatagramReads.batchesReads(transport) ? config.ioThreads() : 1;
        // Our own channels share the port with SO_REUSEPORT; other processes only when asked to.
        boolean reusePort = count > 1 || config.reusePort();
        InetSocketAddress address = count > 1 && !config.reusePort() ? reserve(requested) : requested;

        EventLoopGroup group = EventLoops.newGroup(transport, count, "netserve-udp");
        ServerMetrics metrics = new ServerMetrics();
        // A socket of the bind address's own family: an IPv4 address gets an IPv4 socket, not the
        // dual-stack IPv6 one, which would take every datagram through the IPv4-mapped path.
        SocketProtocolFamily family = address.getAddress() instanceof Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        Bootstrap bootstrap = new Bootstrap()
                .channelFactory(transport.datagramChannelFactory(family))
                .handler(new UdpChannelInitializer(config, new ServerContext(metrics), protocol));
        DatagramReads.configure(bootstrap, transport, config.maxDatagramSize());
        DatagramReads.unpooledReadBuffers(DatagramReads.readBufferBytes(transport, config.maxDatagramSize()))
                .ifPresent(log::warn);
        if (reusePort) {
            SocketOptions.reusePort(bootstrap, transport);
        }
        List<Channel> channels = new ArrayList<>(count);
        for (EventExecutor loop : group) {
            ChannelFuture bind = bootstrap.clone((EventLoop) loop).bind(address).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                channels.forEach(ch -> ch.close().awaitUninterruptibly());
                EventLoops.shutdown(group, 0, 0);
                throw new BindFailedException(address, bind.cause());
            }
            channels.add(bind.channel());
        }
        UdpServer server = new UdpServer(config, transport, group, channels, metrics);
        if (Operations.isWanted(config)) {
            try {
                server.operations = Operations.start(config, "udp", metrics, server.localAddress.getPort(), group,
                        () -> !server.isDraining());
            } catch (ServerStartException | RuntimeException e) {
                channels.forEach(ch -> ch.close().awaitUninterruptibly());
                EventLoops.shutdown(group, 0, 0);
                throw e;
            }
        }
        server.watchChannels();
        log.info("udp server bound to {} (transport={}, {} datagram channel(s){}, max datagram {} bytes, "
                        + "rate limit {}, privileged source ports {})",
                Addresses.format(server.localAddress), transport.cliName(), count,
                reusePort ? " with SO_REUSEPORT" : "", config.maxDatagramSize(),
                config.rateLimitPerSecond() == 0 ? "off" : config.rateLimitPerSecond() + "/s per source",
                config.allowPrivilegedSourcePorts() ? "answered" : "dropped");
        return server;
    }

    /**
     * Checks with an ordinary socket (no {@code SO_REUSEPORT}) that {@code address} is free, and
     * returns it with the port the OS picked if it asked for 0. An {@code SO_REUSEPORT} bind alone
     * would succeed next to another such server of the same user, and split the traffic with it.
     */
    private static InetSocketAddress reserve(InetSocketAddress address) throws BindFailedException {
        ProtocolFamily family = address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(family)) {
            probe.bind(address);
            return new InetSocketAddress(address.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new BindFailedException(address, e);
        }
    }

    private void watchChannels() {
        for (Channel ch : channels) {
            ch.closeFuture().addListener(f -> {
                if (!isDraining()) {
                    log.warn("datagram channel {} of {} closed unexpectedly", ch, Addresses.format(localAddress));
                }
            });
        }
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
    public Optional<InetSocketAddress> adminAddress() {
        return operations == null ? Optional.empty() : operations.adminAddress();
    }

    /** The configuration this server was started with. */
    public ServerConfig config() {
        return config;
    }

    /** The bound datagram channels: one per event-loop thread on epoll and io_uring, else one. */
    List<Channel> channels() {
        return channels;
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
        ServerLifecycle.drainDelay(config, Addresses.format(localAddress));
        Deadline deadline = Deadline.after(config.shutdownTimeout());
        String where = Addresses.format(localAddress);
        long readBefore = metrics.datagramsIn();

        log.info("shutdown 1/3: draining {} datagram channel(s) on {}: answering until {} ms pass without a datagram,"
                + " timeout {}", channels.size(), where, QuietDrain.QUIET_MILLIS, Durations.format(config.shutdownTimeout()));
        QuietDrain.start(channels);
        for (Channel ch : channels) {
            deadline.await(ch.closeFuture());
        }
        int busy = (int) channels.stream().filter(Channel::isOpen).count();
        log.info("shutdown 2/3: {} channel(s) went quiet in {} ms after {} more datagram(s); closing {} still busy"
                + " at the deadline", channels.size() - busy, deadline.elapsedMillis(), metrics.datagramsIn() - readBefore,
                busy);
        for (Channel ch : channels) {
            deadline.awaitAtLeastASecond(ch.close());
        }

        EventLoops.shutdown(group, config.shutdownQuietPeriod().toNanos(), deadline.remainingNanos());
        if (operations != null) {
            operations.close();
        }
        log.info("shutdown 3/3: stopped {} in {} ms", where, deadline.elapsedMillis());
    }

    @Override
    public String toString() {
        return "UdpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + ", channels=" + channels.size() + (isDraining() ? ", draining" : "") + "}";
    }
}
