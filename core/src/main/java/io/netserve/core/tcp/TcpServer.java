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
import io.netserve.core.internal.SocketOptions;
import io.netserve.core.internal.admin.Operations;
import io.netserve.core.internal.tcp.AcceptErrorHandler;
import io.netserve.core.internal.tcp.TcpChannelInitializer;
import io.netserve.core.internal.tls.TlsFileException;
import io.netserve.core.internal.tls.TlsLayer;
import io.netserve.core.internal.tls.TlsProviders;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Each connection's pipeline is, in order: the PROXY protocol header's decoder (when
 * {@link ServerConfig#proxyProtocol()}), TLS (when {@link ServerConfig#tls()}: the TLS
 * handler, and a handshake handler that closes, counts and logs a peer whose handshake fails or
 * does not complete within {@link ServerConfig#tlsHandshakeTimeout()}), the connection limit,
 * traffic metrics, idle detection and the {@code IdlePolicy} (when an idle timeout is set),
 * backpressure, the write-stall timeout (when set), the protocol's handlers, and a tail that logs
 * an unhandled exception once and closes only that connection. Everything after TLS sees
 * plaintext. With TLS, the certificate files are watched: new connections get a replaced
 * certificate within a few seconds (see {@link #reloadTls()}).
 *
 * <p>One event-loop group of {@link ServerConfig#ioThreads()} threads both accepts and serves.
 * With an admin port, the admin endpoint runs on a thread of its own. {@link #close()} reports not
 * ready at once and goes on serving for the drain delay, if any; then it stops in phases, each
 * logged once with counts: stop accepting and unbind; mark the server draining; close idle
 * connections at once; let connections with bytes still to write or still arriving finish
 * (finished means quiet for 100 ms), until the shutdown timeout; close what is left; stop the
 * event loops and the admin endpoint. Thread-safe.
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
    private final TlsLayer tls;
    private Operations operations;

    private TcpServer(ServerConfig config, Transport transport, EventLoopGroup group, Channel serverChannel,
                      ChannelGroup channels, ServerMetrics metrics, TlsLayer tls) {
        this.config = config;
        this.tls = tls;
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
     * @throws ServerStartException if the host does not resolve, the transport or the TLS provider
     *         is not available, or a TLS file cannot be used (the message names the file and why)
     */
    public static TcpServer start(ServerConfig config, Protocol protocol) throws ServerStartException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        Transport transport = EventLoops.resolve(config);
        InetSocketAddress address = Addresses.resolve(config.host(), config.port());
        ServerMetrics metrics = new ServerMetrics();
        ServerContext context = new ServerContext(metrics);
        TlsLayer tls = config.tls() ? openTls(config, context) : null;
        EventLoopGroup group = EventLoops.newGroup(transport, config.ioThreads(), "netserve-tcp");
        ChannelGroup channels = new DefaultChannelGroup("netserve-tcp", ImmediateEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptErrorHandler(context))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new TcpChannelInitializer(config, context, protocol, channels, tls));
        if (config.reusePort()) {
            SocketOptions.reusePort(bootstrap, transport);
        }
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            EventLoops.shutdown(group, 0, 0);
            if (tls != null) {
                tls.close();
            }
            throw new BindFailedException(address, bind.cause());
        }
        TcpServer server = new TcpServer(config, transport, group, bind.channel(), channels, metrics, tls);
        if (Operations.isWanted(config)) {
            try {
                server.operations = Operations.start(config, "tcp", metrics, server.localAddress.getPort(), group,
                        () -> !server.isDraining());
            } catch (ServerStartException | RuntimeException e) {
                bind.channel().close().awaitUninterruptibly();
                EventLoops.shutdown(group, 0, 0);
                if (tls != null) {
                    tls.close();
                }
                throw e;
            }
        }
        log.info("tcp server bound to {} (transport={}, io threads={}{})", Addresses.format(server.localAddress),
                transport.cliName(), config.ioThreads(), config.reusePort() ? ", SO_REUSEPORT" : "");
        if (tls != null) {
            log.info("TLS on {}: {}", Addresses.format(server.localAddress), tls.description());
        }
        return server;
    }

    private static TlsLayer openTls(ServerConfig config, ServerContext context) throws ServerStartException {
        try {
            return TlsLayer.open(config, context);
        } catch (TlsFileException e) {
            throw new ServerStartException("cannot use TLS file " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The provider asked for does not load here.
            throw new ServerStartException(e.getMessage(), e);
        }
    }

    /**
     * Which TLS providers load in this JVM, one line each: {@code openssl: available (BoringSSL)}
     * or {@code openssl: unavailable (<the native loader's reason>)}, then {@code jdk: available}.
     * Without {@link ServerConfig#tlsProvider()}, a server takes OpenSSL when it loads, else the
     * JDK's TLS; a command line's {@code --version} prints this so an operator sees which and why.
     */
    public static String tlsProviderReport() {
        return TlsProviders.availabilityReport();
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

    /**
     * Re-reads the TLS certificate chain, private key and client CA files now, for an embedder
     * that rotates certificates itself and wants them served at once rather than when the watcher
     * notices (within a few seconds). New connections get the new certificate; open connections
     * keep the one they started with.
     *
     * <pre>{@code
     * Files.move(staged.resolve("tls.key"), keyFile, StandardCopyOption.ATOMIC_MOVE);
     * Files.move(staged.resolve("tls.crt"), certFile, StandardCopyOption.ATOMIC_MOVE);
     * try {
     *     server.reloadTls();
     * } catch (IOException e) {
     *     log.warn("new certificate refused, still serving the old one: {}", e.getMessage());
     * }
     * }</pre>
     *
     * @return true if the files changed and the new certificate is now served; false if they hold
     *         what is served already (the watcher may have taken the change first)
     * @throws IOException if the files changed but cannot be used: missing, unreadable, not PEM, a
     *         key that does not match the certificate, a certificate outside its validity; the
     *         message names the file and why, and the certificate in use stays
     * @throws IllegalStateException if this server was started without TLS
     */
    public boolean reloadTls() throws IOException {
        if (tls == null) {
            throw new IllegalStateException("TLS is off on " + Addresses.format(localAddress));
        }
        try {
            return tls.reload();
        } catch (TlsFileException e) {
            throw new IOException(e.getMessage(), e);
        }
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
        if (operations != null) {
            operations.close();
        }
        if (tls != null) {
            tls.close();
        }
        log.info("shutdown 6/6: stopped {} in {} ms", where, deadline.elapsedMillis());
    }

    @Override
    public String toString() {
        return "TcpServer{" + Addresses.format(localAddress) + ", transport=" + transport.cliName()
                + (tls != null ? ", tls" : "") + (isDraining() ? ", draining" : "") + "}";
    }
}
