package io.netserve.core.server;

import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.pipeline.Protocol;
import io.netserve.core.transport.Transport;
import io.netserve.core.udp.DatagramReads;
import io.netserve.core.udp.UdpChannelInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A running UDP server: binds, serves a {@link Protocol} behind core's standard datagram pipeline
 * (see {@link UdpChannelInitializer}: metrics, oversize, source-port and rate-limit guards), and
 * stops gracefully on {@link #close()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).rateLimitPerSecond(100).build();
 * try (UdpServer server = UdpServer.start(config, pipeline -> pipeline.addLast(new MyDatagramHandler()))) {
 *     InetSocketAddress bound = server.localAddress();   // the real port
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> On epoll and io_uring the server binds one datagram channel per event-loop
 * thread ({@link ServerConfig#ioThreads()}), all on the same address with {@code SO_REUSEPORT}; the
 * kernel spreads datagrams over them by a hash of source and destination, so one client's datagrams
 * always reach the same thread. Before binding them it checks with an ordinary socket that the port
 * is free, so that a second server on the same port fails to start instead of silently sharing the
 * traffic. With one thread, or on NIO (which has no {@code SO_REUSEPORT}), there is one channel on
 * one thread. Reads are whole and batched as {@link DatagramReads} describes.
 *
 * <p><b>Close.</b> {@link #close()} drains in phases, each logged once: every channel keeps reading
 * and answering until it is quiet (nothing read and nothing left to send for 10 ms), so datagrams
 * already in its socket buffer are answered, and is closed then; at the shutdown timeout what is
 * still busy is closed; the event loops stop.
 *
 * <p>Thread-safe.
 */
public final class UdpServer extends RunningServer {

    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);

    private final EventLoopGroup group;
    private final List<Channel> channels;

    private UdpServer(ServerConfig config, Transport transport, EventLoopGroup group, List<Channel> channels,
                      ServerMetrics metrics) {
        super(config, transport, metrics, (InetSocketAddress) channels.get(0).localAddress());
        this.group = group;
        this.channels = List.copyOf(channels);
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
        int count = transport.isNative() ? config.ioThreads() : 1;
        boolean reusePort = count > 1;
        InetSocketAddress address = reusePort ? reserve(requested) : requested;

        EventLoopGroup group = EventLoops.newGroup(transport, count, "netserve-udp");
        ServerMetrics metrics = new ServerMetrics();
        Bootstrap bootstrap = new Bootstrap()
                .channelFactory(channelFactory(transport, address.getAddress()))
                .handler(new UdpChannelInitializer(config, metrics, protocol));
        DatagramReads.configure(bootstrap, transport, config.maxDatagramSize());
        if (reusePort) {
            bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
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
     * Datagram channels of the bind address's own family: an IPv4 address gets an IPv4 socket, not
     * the dual-stack IPv6 socket the transports open by default, which takes every datagram through
     * the kernel's IPv4-mapped path and, bound to {@code 0.0.0.0}, would also take IPv6 (bind
     * {@code ::} for both).
     */
    private static ChannelFactory<DatagramChannel> channelFactory(Transport transport, InetAddress bind) {
        SocketProtocolFamily family = bind instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        switch (transport) {
            case EPOLL:
                return () -> new EpollDatagramChannel(family);
            case IO_URING:
                return () -> new IoUringDatagramChannel(family);
            default:
                return () -> new NioDatagramChannel(family);
        }
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

    /** The bound datagram channels: one per event-loop thread on the native transports, else one. */
    List<Channel> channels() {
        return channels;
    }

    @Override
    void stop() {
        long start = System.nanoTime();
        long deadline = start + config.shutdownTimeout().toNanos();
        String where = Addresses.format(localAddress);
        long readBefore = metrics.datagramsIn();

        log.info("shutdown 1/3: draining {} datagram channel(s) on {}: answering until {} ms pass without a datagram,"
                + " timeout {}", channels.size(), where, QuietCloser.LOOK_MILLIS, Durations.format(config.shutdownTimeout()));
        for (Channel ch : channels) {
            QuietCloser.start(ch);
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        int busy = (int) channels.stream().filter(Channel::isOpen).count();
        log.info("shutdown 2/3: {} channel(s) went quiet in {} ms after {} more datagram(s); closing {} still busy"
                        + " at the deadline", channels.size() - busy, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                metrics.datagramsIn() - readBefore, busy);
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(Math.max(remaining(deadline), TimeUnit.SECONDS.toNanos(1)),
                    TimeUnit.NANOSECONDS);
        }

        EventLoops.shutdown(group, config.shutdownQuietPeriod().toNanos(), remaining(deadline));
        log.info("shutdown 3/3: stopped {} in {} ms", where, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Added at the head of a datagram channel when its server closes: flushes, then looks every few
     * milliseconds and closes the channel once a look finds nothing read since the last one and
     * nothing left to send. Looks are scheduled, never run at once, so the event loop polls the
     * socket between them and datagrams already in its buffer are read and answered first.
     */
    private static final class QuietCloser extends ChannelInboundHandlerAdapter {
        static final long LOOK_MILLIS = 10;

        private boolean readSinceLook;

        static void start(Channel ch) {
            try {
                ch.eventLoop().execute(() -> {
                    if (ch.isActive()) {
                        QuietCloser closer = new QuietCloser();
                        ch.pipeline().addFirst("quietCloser", closer);
                        closer.lookLater(ch);
                    }
                });
            } catch (RejectedExecutionException e) {
                ch.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            readSinceLook = true;
            ctx.fireChannelRead(msg);
        }

        private void lookLater(Channel ch) {
            ch.flush(); // also what a protocol wrote and left unflushed
            ch.eventLoop().schedule(() -> look(ch), LOOK_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void look(Channel ch) {
            if (!ch.isActive()) {
                return;
            }
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            boolean owes = out != null && out.totalPendingWriteBytes() > 0;
            if (!owes && !readSinceLook) {
                ch.close();
                return;
            }
            readSinceLook = false;
            lookLater(ch);
        }
    }

    @Override
    public String toString() {
        return "UdpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + ", channels=" + channels.size() + (isDraining() ? ", draining" : "") + "}";
    }
}
