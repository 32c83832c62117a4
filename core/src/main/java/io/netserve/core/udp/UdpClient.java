package io.netserve.core.udp;

import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.Addresses;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.ServerLifecycle;
import io.netserve.core.internal.client.ClientFailures;
import io.netserve.core.internal.client.ClientLoops;
import io.netserve.core.internal.client.DatagramRequests;
import io.netserve.core.internal.client.UdpClientInitializer;
import io.netserve.core.internal.udp.DatagramReads;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * A UDP client: a datagram socket of its own behind core's standard datagram pipeline, that sends
 * requests to one server and waits for their replies, sending again when one does not come.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder("127.0.0.1", 7000)
 *         .requestTimeout(Duration.ofMillis(500)).retries(2).build();
 * try (UdpClient client = UdpClient.bind(config)) {
 *     ByteBuf reply = client.request(Unpooled.copiedBuffer("ping", US_ASCII));   // at most 3 tries
 *     try {
 *         System.out.println(reply.toString(US_ASCII));
 *     } finally {
 *         reply.release();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Requests.</b> Stop and wait: one request is outstanding at a time (the others wait their
 * turn, at most {@code maxRequestsInFlight} in all), sent again after each
 * {@code requestTimeout} without a reply, up to {@code retries} times; the next datagram from the
 * server is its reply, even one answering an earlier try. After the last try the request fails
 * with a {@code java.util.concurrent.TimeoutException} ("no reply from 127.0.0.1:7000 after 3
 * tries of 500 ms"). Datagrams from other addresses are dropped.
 *
 * <p><b>Two modes.</b> {@link #bind} opens an unconnected socket that sends to the server and
 * takes replies from its address only; {@link #connect} opens a socket connected to the server,
 * so the kernel filters other senders and reports a refused port: a request to a port where
 * nothing listens fails at once with a {@code java.net.PortUnreachableException}.
 *
 * <p><b>Pipeline.</b> In order: the empty-datagram writer (NIO and epoll), traffic metrics, the
 * oversize guard ({@code maxDatagramSize}), backpressure, the protocol's handlers (which see every
 * datagram first, and may answer or drop it), the request/reply matching, and a tail that logs an
 * unhandled exception and keeps the socket open. Requests and replies are {@code ByteBuf}s: a
 * request's is released by the client, a reply's is the caller's to release. Futures complete on
 * the client's event loop (see {@link io.netserve.core.tcp.TcpClient} for the threads).
 * Thread-safe.
 */
public final class UdpClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UdpClient.class);

    private final ClientConfig config;
    private final ClientLoops loops;
    private final ServerMetrics metrics;
    private final Channel channel;
    private final DatagramRequests requests;
    private final InetSocketAddress server;
    private final boolean connected;
    private final ServerLifecycle lifecycle = new ServerLifecycle();

    private UdpClient(ClientConfig config, ClientLoops loops, ServerMetrics metrics, Channel channel,
                      DatagramRequests requests, InetSocketAddress server, boolean connected) {
        this.config = config;
        this.loops = loops;
        this.metrics = metrics;
        this.channel = channel;
        this.requests = requests;
        this.server = server;
        this.connected = connected;
    }

    /** {@link #bind(ClientConfig, Protocol)} with no protocol handlers of its own. */
    public static UdpClient bind(ClientConfig config) throws IOException {
        return bind(config, pipeline -> { });
    }

    /**
     * Opens an unconnected datagram socket on an OS-chosen port for requests to the server of
     * {@code config} (the first address of its host), with {@code protocol}'s handlers.
     *
     * @throws java.net.UnknownHostException if the host does not resolve
     * @throws IOException if no socket can be bound
     * @throws IllegalStateException if the transport asked for does not load here
     * @throws IllegalArgumentException if the configured event-loop group runs no transport
     *         netserve knows
     */
    public static UdpClient bind(ClientConfig config, Protocol protocol) throws IOException {
        return open(config, protocol, false);
    }

    /** {@link #connect(ClientConfig, Protocol)} with no protocol handlers of its own. */
    public static UdpClient connect(ClientConfig config) throws IOException {
        return connect(config, pipeline -> { });
    }

    /**
     * Opens a datagram socket connected to the server of {@code config} (the first address of its
     * host), with {@code protocol}'s handlers: only the server's datagrams reach it, and a refused
     * port fails the request outstanding.
     *
     * @throws java.net.UnknownHostException if the host does not resolve
     * @throws ConnectException if the socket cannot be connected (no route, say)
     * @throws IOException if no socket can be bound
     * @throws IllegalStateException if the transport asked for does not load here
     * @throws IllegalArgumentException if the configured event-loop group runs no transport
     *         netserve knows
     */
    public static UdpClient connect(ClientConfig config, Protocol protocol) throws IOException {
        return open(config, protocol, true);
    }

    private static UdpClient open(ClientConfig config, Protocol protocol, boolean connect) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        InetSocketAddress server = Addresses.resolveAll(config.host(), config.port()).get(0);
        ClientLoops loops = ClientLoops.of(config, "netserve-client");
        ServerMetrics metrics = new ServerMetrics();
        DatagramRequests requests = new DatagramRequests(server, config.requestTimeout(), config.retries(),
                config.maxRequestsInFlight());
        boolean v4 = server.getAddress() instanceof Inet4Address;
        Bootstrap bootstrap = new Bootstrap()
                .group(loops.loop())
                .channelFactory(loops.transport().datagramChannelFactory(v4 ? SocketProtocolFamily.INET
                        : SocketProtocolFamily.INET6))
                .handler(new UdpClientInitializer(new ServerContext(metrics), config.maxDatagramSize(), protocol,
                        requests));
        DatagramReads.configure(bootstrap, loops.transport(), config.maxDatagramSize());
        InetSocketAddress any = new InetSocketAddress(v4 ? "0.0.0.0" : "::", 0);
        ChannelFuture bind = bootstrap.bind(any).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            loops.shutdown();
            throw new IOException("cannot bind a UDP socket to talk to " + ClientFailures.format(server) + ": "
                    + ClientFailures.reason(bind.cause()), bind.cause());
        }
        Channel ch = bind.channel();
        if (connect) {
            ChannelFuture connecting = ch.connect(server).awaitUninterruptibly();
            if (!connecting.isSuccess()) {
                ch.close().awaitUninterruptibly();
                loops.shutdown();
                ConnectException failure = new ConnectException("cannot connect to " + ClientFailures.format(server)
                        + ": " + ClientFailures.reason(connecting.cause()));
                failure.initCause(connecting.cause());
                throw failure;
            }
        }
        UdpClient client = new UdpClient(config, loops, metrics, ch, requests, server, connect);
        ch.closeFuture().addListener(f -> client.lifecycle.closeWithoutWaiting(loops::shutdown));
        log.debug("udp client on {} for {} (transport={}, {})", Addresses.format((InetSocketAddress) ch.localAddress()),
                ClientFailures.format(server), loops.transport().cliName(), connect ? "connected" : "unconnected");
        return client;
    }

    /**
     * Sends {@code datagram} as a request and returns the future of its reply's content, without
     * blocking. It fails with a {@code TimeoutException} after the last try, a
     * {@code PortUnreachableException} (connected mode), a {@code RejectedExecutionException} at
     * once when {@code maxRequestsInFlight} requests are pending, or an {@code IOException} if the
     * client is closed first.
     */
    public CompletableFuture<ByteBuf> requestAsync(ByteBuf datagram) {
        return requests.submit(Objects.requireNonNull(datagram, "datagram"));
    }

    /**
     * Sends {@code datagram} as a request and waits for its reply's content, which the caller
     * releases. Not on the client's event loop (use {@link #requestAsync} there).
     *
     * @throws TimeoutException if no reply came after the last try
     * @throws IOException if the client was closed first, or ({@code PortUnreachableException}) the
     *         server's port refused it in connected mode
     * @throws java.util.concurrent.RejectedExecutionException if {@code maxRequestsInFlight} requests are pending
     * @throws InterruptedException if interrupted while waiting; a late reply is dropped
     */
    public ByteBuf request(ByteBuf datagram) throws IOException, TimeoutException, InterruptedException {
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("request(...) blocks; on the client's event loop use requestAsync(...)");
        }
        return ClientFailures.await(requestAsync(datagram), ByteBuf::release);
    }

    /**
     * Sends {@code datagram} to the server without waiting for a reply (one that comes is
     * dropped); the future completes once the datagram is handed to the operating system.
     */
    public CompletableFuture<Void> send(ByteBuf datagram) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        channel.writeAndFlush(new DatagramPacket(Objects.requireNonNull(datagram, "datagram"), server))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(f.cause());
                    }
                });
        return sent;
    }

    /** The datagram channel, for what the request methods do not cover. */
    public Channel channel() {
        return channel;
    }

    /** Whether the socket is connected to the server ({@link #connect}) rather than unconnected ({@link #bind}). */
    public boolean isConnected() {
        return connected;
    }

    /** The client's address: the wildcard address and the port the OS chose. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The server's address requests go to. */
    public InetSocketAddress remoteAddress() {
        return server;
    }

    /** The transport the client runs on (never {@link Transport#AUTO}). */
    public Transport transport() {
        return loops.transport();
    }

    /** The client's counters: datagrams and bytes in and out, oversize replies dropped. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The configuration this client was opened with. */
    public ClientConfig config() {
        return config;
    }

    /** Requests waiting or outstanding. */
    public int pending() {
        return requests.pending();
    }

    /** Completes once the client is closed. */
    public CompletionStage<Void> closeFuture() {
        return lifecycle.closeFuture();
    }

    /**
     * Closes the socket (failing what is pending) and, unless the client runs on a group it was
     * given, stops its event loop; waits for that (briefly) unless called on the client's own
     * event loop. Idempotent.
     */
    @Override
    public void close() {
        loops.close(lifecycle, channel::close);
    }

    @Override
    public String toString() {
        return "UdpClient{" + ClientFailures.format(server) + ", transport=" + loops.transport().cliName()
                + (connected ? ", connected" : "") + "}";
    }
}
