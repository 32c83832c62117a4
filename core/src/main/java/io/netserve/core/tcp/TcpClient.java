package io.netserve.core.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.Addresses;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.ServerLifecycle;
import io.netserve.core.internal.client.Backoff;
import io.netserve.core.internal.client.ClientLoops;
import io.netserve.core.internal.client.ConnectionKeeper;
import io.netserve.core.internal.client.Connector;
import io.netserve.core.internal.client.TcpClientInitializer;
import io.netserve.core.internal.tls.ClientTls;
import io.netserve.core.internal.tls.TlsFileException;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A TCP client: connects to a server and runs a {@link Protocol} behind core's standard client
 * pipeline, on the same transports as the servers, optionally over TLS and reconnecting when the
 * connection is lost. For a protocol of requests and replies, {@link RequestClient} does the
 * matching on top of it.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder("127.0.0.1", 7000).build();
 * try (TcpClient client = TcpClient.connect(config, pipeline -> pipeline.addLast(new MyHandler()))) {
 *     client.channel().writeAndFlush(Unpooled.copiedBuffer("hello\n", UTF_8));
 *     client.closeFuture().toCompletableFuture().join();   // until the server closes
 * }
 * }</pre>
 *
 * <p><b>Pipeline.</b> In order: TLS (when on), traffic metrics, idle detection and the
 * {@code IdlePolicy} (when an idle timeout is set), backpressure (stops reading while the
 * connection is not writable), the protocol's handlers, and a tail that logs an unhandled
 * exception once and closes the connection.
 *
 * <p><b>Connecting.</b> {@link #connect} resolves the host, tries each of its addresses in turn
 * within the connect timeout, and waits for the TLS handshake: it returns connected or throws a
 * {@code java.net.ConnectException} (refused, unreachable), an
 * {@code io.netty.channel.ConnectTimeoutException} (no answer in time), a
 * {@code javax.net.ssl.SSLHandshakeException} (the server's certificate refused, or ours) or a
 * {@code java.net.UnknownHostException}, each saying which server and why.
 *
 * <p><b>Reconnecting.</b> Off by default: a lost connection closes the client. With
 * {@code ClientConfig.reconnect(true)} the client connects again after an exponential backoff with
 * jitter, to the addresses resolved at the start, until it succeeds or is closed; every change of
 * {@link State} is told to the {@link #onStateChange} listeners.
 *
 * <p><b>Threads.</b> The connection lives on one event loop: of the client's own one-thread
 * group, or of the group given in the configuration (a server's, say), which the client never
 * shuts down. Listeners run on that loop and must not block. Thread-safe.
 */
public final class TcpClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpClient.class);

    /** What a client's connection is doing. */
    public enum State {
        /** Connected to the server. */
        CONNECTED,
        /** The connection was lost; the client is connecting again. Requests fail at once meanwhile. */
        RECONNECTING,
        /** Closed for good: by {@link #close()}, or the connection was lost without reconnect. */
        CLOSED
    }

    private final ClientConfig config;
    private final ClientLoops loops;
    private final ServerMetrics metrics;
    private final List<BiConsumer<State, Throwable>> listeners = new CopyOnWriteArrayList<>();
    private final ServerLifecycle lifecycle = new ServerLifecycle();
    private volatile ConnectionKeeper keeper;
    private volatile State state = State.CONNECTED;
    private volatile InetSocketAddress localAddress;
    private volatile InetSocketAddress remoteAddress;

    private TcpClient(ClientConfig config, ClientLoops loops, ServerMetrics metrics) {
        this.config = config;
        this.loops = loops;
        this.metrics = metrics;
    }

    /**
     * Connects to the server of {@code config} with {@code protocol} and returns the client once
     * connected (and, with TLS, once the handshake is done). Blocks: do not call it on an event
     * loop.
     *
     * @throws java.net.ConnectException if every address of the server refused or failed, or
     *         {@code ConnectTimeoutException} if none answered within the connect timeout
     * @throws javax.net.ssl.SSLHandshakeException if the TLS handshake failed
     * @throws java.net.UnknownHostException if the host does not resolve
     * @throws IOException if a TLS file cannot be used (the message names it), or if interrupted
     * @throws IllegalStateException if the transport asked for does not load here, or if called on
     *         the event loop the client would run on
     * @throws IllegalArgumentException if the configured event-loop group runs no transport
     *         netserve knows
     */
    public static TcpClient connect(ClientConfig config, Protocol protocol) throws IOException {
        return connect(config, protocol, false);
    }

    /** {@link #connect(ClientConfig, Protocol)}, with half-closed connections passed to the protocol if {@code halfClosure}. */
    static TcpClient connect(ClientConfig config, Protocol protocol, boolean halfClosure) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        List<InetSocketAddress> addresses = Addresses.resolveAll(config.host(), config.port());
        ClientTls tls = config.tls() ? tls(config) : null;
        ClientLoops loops = ClientLoops.of(config, "netserve-client");
        ServerMetrics metrics = new ServerMetrics();
        Bootstrap bootstrap = new Bootstrap()
                .group(loops.loop())
                .channel(loops.transport().socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .handler(new TcpClientInitializer(config, new ServerContext(metrics), tls, protocol));
        Connector connector = new Connector(bootstrap, config.host(), config.port(), config.connectTimeout().toMillis());
        Backoff backoff = config.reconnect()
                ? new Backoff(config.reconnectInitialDelay(), config.reconnectMaxDelay()) : null;
        TcpClient client = new TcpClient(config, loops, metrics);
        try {
            client.keeper = ConnectionKeeper.open(connector, addresses, backoff, metrics, client.new Changes());
        } catch (IOException | RuntimeException e) {
            loops.shutdown();
            throw e;
        }
        client.addresses(client.keeper.channel());
        log.debug("tcp client connected to {} from {} (transport={})", Addresses.format(client.remoteAddress),
                Addresses.format(client.localAddress), loops.transport().cliName());
        return client;
    }

    private static ClientTls tls(ClientConfig config) throws IOException {
        try {
            return ClientTls.builder()
                    .trustBundle(config.tlsTrustBundle().orElse(null))
                    .keyPair(config.tlsCertificateChain().orElse(null), config.tlsPrivateKey().orElse(null))
                    .hostnameVerification(config.tlsHostnameVerification())
                    .provider(config.tlsProvider().orElse(null))
                    .build();
        } catch (TlsFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The channel of the connection: the one now, or while reconnecting the last one (closed).
     * Write to it as to any Netty channel; a new connection has a new channel.
     */
    public Channel channel() {
        return keeper.channel();
    }

    /** The client's address of the connection now, or of the last one while reconnecting. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The server's address connected to now (one of its host's), or the last one while reconnecting. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The transport the client runs on (never {@link Transport#AUTO}). */
    public Transport transport() {
        return loops.transport();
    }

    /** The client's counters: connections made ({@code connectionsTotal}), bytes in and out, idle closes. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The configuration this client was connected with. */
    public ClientConfig config() {
        return config;
    }

    /** What the connection is doing now. */
    public State state() {
        return state;
    }

    /**
     * Adds a listener told of every change of {@link #state()} from now on, with its cause: for
     * {@link State#RECONNECTING}, why the connection was lost or why the last attempt failed (once
     * per attempt); for {@link State#CLOSED}, null after {@link #close()}, else why the connection
     * was lost. Listeners run on the client's event loop, in the order added, and must not block.
     */
    public void onStateChange(BiConsumer<State, Throwable> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Completes once the client is closed for good: by {@link #close()}, or its connection lost without reconnect. */
    public CompletionStage<Void> closeFuture() {
        return lifecycle.closeFuture();
    }

    /**
     * Closes the connection, stops reconnecting and, unless the client runs on a group it was
     * given, stops its event loop; waits for that (briefly) unless called on the client's own
     * event loop. Idempotent.
     */
    @Override
    public void close() {
        loops.close(lifecycle, keeper::close);
    }

    private void addresses(Channel ch) {
        localAddress = (InetSocketAddress) ch.localAddress();
        remoteAddress = (InetSocketAddress) ch.remoteAddress();
    }

    private void changed(State next, Throwable cause) {
        state = next;
        for (BiConsumer<State, Throwable> listener : listeners) {
            try {
                listener.accept(next, cause);
            } catch (RuntimeException e) {
                log.warn("a state listener of the tcp client to {} failed", Addresses.format(remoteAddress), e);
            }
        }
    }

    @Override
    public String toString() {
        return "TcpClient{" + Addresses.format(remoteAddress) + ", transport=" + loops.transport().cliName()
                + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "}";
    }

    /** The keeper's news, on the client's event loop. */
    private final class Changes implements ConnectionKeeper.Listener {
        @Override
        public void connected(Channel channel) {
            addresses(channel);
            log.debug("tcp client reconnected to {}", Addresses.format(remoteAddress));
            changed(State.CONNECTED, null);
        }

        @Override
        public void reconnecting(Throwable cause) {
            log.debug("tcp client to {} reconnecting: {}", Addresses.format(remoteAddress), cause.getMessage());
            changed(State.RECONNECTING, cause);
        }

        @Override
        public void closed(Throwable cause) {
            changed(State.CLOSED, cause);
            if (cause != null) {
                lifecycle.closeWithoutWaiting(loops::shutdown);
            }
        }
    }
}
