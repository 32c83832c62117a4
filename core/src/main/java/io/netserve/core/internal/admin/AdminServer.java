package io.netserve.core.internal.admin;

import io.netserve.core.server.ServerStartException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin endpoint: a small HTTP/1.1 server for health probes and Prometheus scrapes, on its
 * own port and its own single NIO event-loop thread ({@value #THREAD_NAME}), so that a flood of
 * the service's traffic never starves it and a slow admin client never touches the service.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0),
 *         () -> !draining, prometheusRegistry::scrape);
 * InetSocketAddress bound = admin.localAddress();   // the real port
 * ...
 * admin.close();
 * }</pre>
 *
 * <table>
 *   <caption>What it answers</caption>
 *   <tr><th>request</th><th>response</th></tr>
 *   <tr><td>{@code GET}/{@code HEAD /health/live}</td><td>200 while the process runs</td></tr>
 *   <tr><td>{@code GET}/{@code HEAD /health/ready}</td><td>200 while {@code ready} says so, else 503</td></tr>
 *   <tr><td>{@code GET}/{@code HEAD /metrics}</td><td>200, {@value #METRICS_CONTENT_TYPE}, the metrics text</td></tr>
 *   <tr><td>any other path, whatever the method</td><td>404</td></tr>
 *   <tr><td>another method on one of the paths above</td><td>405 with {@code Allow: GET, HEAD}</td></tr>
 *   <tr><td>a malformed request line or header, or one too long</td><td>400, then close</td></tr>
 *   <tr><td>a body over 4,096 bytes</td><td>413 (Netty's aggregator)</td></tr>
 * </table>
 *
 * <p>Query strings are ignored; keep-alive follows HTTP/1.1 (and {@code Connection: keep-alive} of
 * HTTP/1.0); {@code HEAD} gets the headers of {@code GET}, {@code Content-Length} included, and no
 * body. Bounded: at most 16 connections at once (more are closed on
 * accept), each must complete a request within 10 s of opening or of its previous request, and a
 * client that sends requests without reading the responses is closed once its responses no longer
 * fit the write buffer. A client's mistakes are logged at DEBUG without a stack trace.
 *
 * <p>The two suppliers are called on the admin thread, once per request: they must be
 * thread-safe and quick. Thread-safe.
 */
public final class AdminServer implements AutoCloseable {

    /** The content type of {@code /metrics}: the Prometheus text exposition format 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The name of the admin endpoint's one event-loop thread. */
    public static final String THREAD_NAME = "netserve-admin";

    /** The liveness probe: 200 while the process runs. */
    public static final String LIVE_PATH = "/health/live";

    /** The readiness probe: 200 while serving, 503 from the moment the server starts closing. */
    public static final String READY_PATH = "/health/ready";

    /** The Prometheus scrape. */
    public static final String METRICS_PATH = "/metrics";

    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_BODY = 4096;
    static final int DEFAULT_MAX_CONNECTIONS = 16;
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int BACKLOG = 64;
    private static final long CLOSE_TIMEOUT_SECONDS = 2;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminServer(EventLoopGroup group, Channel serverChannel, ChannelGroup connections) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.localAddress = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds the admin endpoint to {@code bindAddress} (port 0 lets the OS pick one) and returns it
     * serving.
     *
     * @param ready        whether {@code /health/ready} answers 200 (true) or 503 (false) now
     * @param metricsText  the body of {@code /metrics}, in the Prometheus text format 0.0.4, for
     *                     example {@code PrometheusMeterRegistry::scrape}
     * @throws ServerStartException if the address cannot be bound; the message names the address
     *                              and the system's reason, and no thread is left behind
     */
    public static AdminServer start(InetSocketAddress bindAddress, BooleanSupplier ready, Supplier<String> metricsText)
            throws ServerStartException {
        return start(bindAddress, ready, metricsText, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT);
    }

    /** {@link #start(InetSocketAddress, BooleanSupplier, Supplier)} with other limits, for tests. */
    static AdminServer start(InetSocketAddress bindAddress, BooleanSupplier ready, Supplier<String> metricsText,
                             int maxConnections, Duration requestTimeout) throws ServerStartException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(metricsText, "metricsText");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new AdminThreadFactory(), NioIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup(THREAD_NAME, ImmediateEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new AdminChannelInitializer(connections, maxConnections, requestTimeout,
                        new AdminRequestHandler(ready, metricsText)));
        ChannelFuture bind = bootstrap.bind(bindAddress).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutdown(group);
            throw new ServerStartException("cannot bind admin endpoint " + format(bindAddress) + ": "
                    + reason(bind.cause()), bind.cause());
        }
        AdminServer server = new AdminServer(group, bind.channel(), connections);
        log.debug("admin endpoint bound to {}", format(server.localAddress));
        return server;
    }

    /** The address the endpoint listens on, with the real port when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops accepting, closes the open admin connections and stops the admin thread, waiting a
     * moment for it (no quiet period). Idempotent; not to be called from the admin thread itself.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        shutdown(group);
        log.debug("admin endpoint on {} closed", format(localAddress));
    }

    @Override
    public String toString() {
        return "AdminServer{" + format(localAddress) + (closed.get() ? ", closed" : "") + "}";
    }

    private static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? NetUtil.toAddressString(address.getAddress(), true)
                : address.getHostString();
        return NetUtil.toSocketAddressString(host, address.getPort());
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }

    /** Names the one admin thread exactly {@value #THREAD_NAME}; daemon, so it never keeps a process alive. */
    private static final class AdminThreadFactory extends DefaultThreadFactory {

        AdminThreadFactory() {
            super(THREAD_NAME, true);
        }

        @Override
        protected Thread newThread(Runnable r, String name) {
            return super.newThread(r, THREAD_NAME);
        }
    }
}
