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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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
 * <p><b>Close.</b> {@link #close()} stops in phases, each logged once: stop reading; send the
 * replies still queued, until the shutdown timeout; close the channels; stop the event loops.
 * Thread-safe.
 */
public final class UdpServer implements ServerHandle {

    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);
    private static final long RECHECK_MILLIS = 10;

    private final ServerConfig config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final ServerMetrics metrics;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private UdpServer(ServerConfig config, Transport transport, EventLoopGroup group, List<Channel> channels,
                      ServerMetrics metrics) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.channels = List.copyOf(channels);
        this.metrics = metrics;
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
        int count = transport.isNative() ? config.ioThreads() : 1;
        boolean reusePort = count > 1;
        InetSocketAddress address = reusePort ? reserve(requested) : requested;

        EventLoopGroup group = EventLoops.newGroup(transport, count, "netserve-udp");
        ServerMetrics metrics = new ServerMetrics();
        Bootstrap bootstrap = new Bootstrap()
                .channel(transport.datagramChannelClass())
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
     * Checks with an ordinary socket (no {@code SO_REUSEPORT}) that {@code address} is free, and
     * returns it with the port the OS picked if it asked for 0. An {@code SO_REUSEPORT} bind alone
     * would succeed next to another such server of the same user, and split the traffic with it.
     */
    private static InetSocketAddress reserve(InetSocketAddress address) throws BindFailedException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(address);
            return new InetSocketAddress(address.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new BindFailedException(address, e);
        }
    }

    private void watchChannels() {
        for (Channel ch : channels) {
            ch.closeFuture().addListener(f -> {
                if (!draining.get()) {
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

    /** The bound datagram channels: one per event-loop thread on the native transports, else one. */
    List<Channel> channels() {
        return channels;
    }

    @Override
    public void close() {
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

    private void stop() {
        long start = System.nanoTime();
        long deadline = start + config.shutdownTimeout().toNanos();
        String where = Addresses.format(localAddress);

        onEachLoop(ch -> {
            ch.config().setAutoRead(false);
            return 0;
        }, deadline);
        log.info("shutdown 1/4: stopped reading on {} ({} datagram channel(s))", where, channels.size());

        int queued = onEachLoop(ch -> {
            ch.flush();
            return queued(ch);
        }, deadline);
        log.info("shutdown 2/4: sending {} queued replies, timeout {}", queued,
                Durations.format(config.shutdownTimeout()));
        awaitSent(deadline);
        int unsent = onEachLoop(UdpServer::queued, deadline);
        log.info("shutdown 3/4: closing {} datagram channel(s) after {} ms, {} replies unsent", channels.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), unsent);
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(Math.max(remaining(deadline), TimeUnit.SECONDS.toNanos(1)),
                    TimeUnit.NANOSECONDS);
        }

        EventLoops.shutdown(group, config.shutdownQuietPeriod().toNanos(), remaining(deadline));
        log.info("shutdown 4/4: stopped {} in {} ms", where, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Runs {@code task} on each channel's event loop, waits until the deadline, and sums the results. */
    private int onEachLoop(Function<Channel, Integer> task, long deadline) {
        List<CompletableFuture<Integer>> results = new ArrayList<>(channels.size());
        for (Channel ch : channels) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            results.add(result);
            try {
                ch.eventLoop().execute(() -> {
                    try {
                        result.complete(task.apply(ch));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.complete(0);
            }
        }
        int sum = 0;
        for (CompletableFuture<Integer> result : results) {
            sum += await(result, deadline, 0);
        }
        return sum;
    }

    /** Waits until no channel has a reply queued, or the deadline. */
    private void awaitSent(long deadline) {
        List<CompletableFuture<Integer>> sent = new ArrayList<>(channels.size());
        for (Channel ch : channels) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            sent.add(done);
            try {
                ch.eventLoop().execute(() -> checkSent(ch, done, deadline));
            } catch (RejectedExecutionException e) {
                done.complete(0);
            }
        }
        for (CompletableFuture<Integer> done : sent) {
            await(done, deadline, 0);
        }
    }

    private static void checkSent(Channel ch, CompletableFuture<Integer> done, long deadline) {
        if (queued(ch) == 0 || System.nanoTime() - deadline >= 0) {
            done.complete(0);
            return;
        }
        ch.eventLoop().schedule(() -> checkSent(ch, done, deadline), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Datagrams written but not yet taken by the kernel; call on the channel's event loop. */
    private static int queued(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.size();
    }

    private static int await(CompletableFuture<Integer> future, long deadline, int orElse) {
        try {
            return future.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return orElse;
        } catch (ExecutionException | TimeoutException e) {
            return orElse;
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public String toString() {
        return "UdpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + ", channels=" + channels.size() + (draining.get() ? ", draining" : "") + "}";
    }
}
