package io.netserve.core.internal.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.BackpressureHandler;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.QuietDrain;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.tls.TlsLayer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;

import java.util.Objects;

/**
 * Builds the pipeline of each accepted TCP connection from a {@link ServerConfig} and a
 * {@link Protocol}, and gives it its part of the server's {@link BufferBudget} (its write-buffer
 * water marks and read size). The pipeline is always in this order:
 *
 * <pre>
 *   proxyDecoder HAProxyMessageDecoder     when proxyProtocol is set: reads the PROXY header ...
 *   proxy        ProxyProtocolHandler      ... and names its client as the peer, before anyone sees the connection
 *   tls          SslHandler                when TLS is on: decrypts and encrypts; until the ClientHello is
 *                                          read, the ServerSniHandler that replaces itself with it
 *   tls-handshake TlsHandshakeHandler      when TLS is on: closes, counts and logs a failed or timed-out
 *                                          handshake; removes itself once the handshake succeeds
 *   limit        ConnectionLimitHandler    closes connections past maxConnections
 *   metrics      TrafficMetricsHandler     counts bytes in and out
 *   idle         IdleDetectionHandler      when any idle timeout is set; write progress counts as activity
 *   idlePolicy   IdlePolicy                closes idle connections, unless the protocol replaces it
 *   backpressure BackpressureHandler       stops reading while the channel is not writable
 *   writeStall   WriteStallHandler         when writeStallTimeout is set: closes peers that stopped reading
 *   ...          the protocol's handlers
 *   tail         ExceptionTailHandler      logs an unhandled exception once and closes the connection
 * </pre>
 *
 * Everything after the TLS handlers sees plaintext. Shared handler instances are made once here;
 * per-channel ones once per channel. Sharable, as {@link ChannelInitializer}s are.
 */
public final class TcpChannelInitializer extends ChannelInitializer<Channel> {

    private final ServerConfig config;
    private final Protocol protocol;
    private final ChannelGroup channels;
    private final ServerContext context;
    private final TlsLayer tls;
    private final ConnectionLimitHandler limit;
    private final TrafficMetricsHandler traffic;
    private final ExceptionTailHandler tail;
    private final BufferBudget budget;

    /**
     * An initializer for {@code protocol} under {@code config}, counting into {@code context} and
     * adding each channel to {@code channels} (for a graceful close), if not null.
     */
    public TcpChannelInitializer(ServerConfig config, ServerContext context, Protocol protocol, ChannelGroup channels) {
        this(config, context, protocol, channels, null);
    }

    /**
     * An initializer as {@link #TcpChannelInitializer(ServerConfig, ServerContext, Protocol, ChannelGroup)},
     * with {@code tls} at the head of each pipeline, if not null.
     */
    public TcpChannelInitializer(ServerConfig config, ServerContext context, Protocol protocol, ChannelGroup channels,
                                 TlsLayer tls) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.channels = channels;
        this.tls = tls;
        this.limit = new ConnectionLimitHandler(config.maxConnections(), context);
        this.traffic = new TrafficMetricsHandler(context);
        this.tail = ExceptionTailHandler.forConnections(context);
        this.budget = new BufferBudget(config.maxBufferedBytes(), config.writeBufferLowWaterMark(),
                config.writeBufferHighWaterMark());
        if (channels != null) {
            context.metrics().bufferedBytesFrom(() -> BufferBudget.pendingBytes(channels));
        }
    }

    /** The server's budget of buffered bytes, shared among its connections. */
    public BufferBudget budget() {
        return budget;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (channels != null) {
            channels.add(ch);
        }
        QuietDrain.accepted(ch);
        // The server-wide budget of buffered bytes: this connection's water marks and read size.
        ch.config().setRecvByteBufAllocator(budget.recvAllocator());
        budget.opened();
        ch.closeFuture().addListener(f -> budget.closed());
        ChannelPipeline p = ch.pipeline();
        if (config.proxyProtocol()) {
            ProxyProtocolHandler.addTo(p, context, ProxyProtocolHandler.HEADER_TIMEOUT);
        }
        if (tls != null) {
            tls.addTo(p);
        }
        p.addLast("limit", limit);
        p.addLast("metrics", traffic);
        IdleDetectionHandler.addTo(p, config.readerIdleTimeout(), config.writerIdleTimeout(), config.allIdleTimeout());
        p.addLast("backpressure", BackpressureHandler.INSTANCE);
        if (!config.writeStallTimeout().isZero()) {
            p.addLast("writeStall", new WriteStallHandler(config.writeStallTimeout(), context));
        }
        protocol.configure(p);
        p.addLast("tail", tail);
    }
}
