package io.netserve.core.internal.client;

import io.netserve.core.Protocol;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.BackpressureHandler;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.tcp.IdleDetectionHandler;
import io.netserve.core.internal.tls.ClientTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.util.Objects;

/**
 * Builds the pipeline of each of a TCP client's connections from a {@link ClientConfig} and a
 * {@link Protocol}, always in this order, the client's side of core's standard TCP pipeline:
 *
 * <pre>
 *   tls           SslHandler                when TLS is on: the server's certificate checked, SNI sent
 *   tlsHandshake  HandshakeGuard            when TLS is on: keeps a failed handshake out of the log
 *   metrics       TrafficMetricsHandler     counts bytes in and out (plaintext)
 *   idle          IdleDetectionHandler      when any idle timeout is set
 *   idlePolicy    IdlePolicy                closes idle connections, unless the protocol replaces it
 *   backpressure  BackpressureHandler       stops reading while the channel is not writable
 *   ...           the protocol's handlers
 *   tail          ExceptionTailHandler      logs an unhandled exception once and closes the connection
 * </pre>
 *
 * Sharable, as {@link ChannelInitializer}s are: one per client.
 */
public final class TcpClientInitializer extends ChannelInitializer<Channel> {

    private final ClientConfig config;
    private final Protocol protocol;
    private final ClientTls tls;
    private final TrafficMetricsHandler traffic;
    private final ExceptionTailHandler tail;

    /**
     * An initializer for {@code protocol} under {@code config}, counting into {@code context},
     * speaking TLS through {@code tls} when it is not null.
     */
    public TcpClientInitializer(ClientConfig config, ServerContext context, ClientTls tls, Protocol protocol) {
        this.config = Objects.requireNonNull(config, "config");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.tls = tls;
        this.traffic = new TrafficMetricsHandler(context);
        this.tail = ExceptionTailHandler.forConnections(context);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc(), config.host(), config.port());
            ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
            p.addLast("tls", ssl);
            p.addLast("tlsHandshake", new HandshakeGuard());
        }
        p.addLast("metrics", traffic);
        IdleDetectionHandler.addTo(p, config.readerIdleTimeout(), config.writerIdleTimeout(), config.allIdleTimeout());
        p.addLast("backpressure", BackpressureHandler.INSTANCE);
        protocol.configure(p);
        p.addLast("tail", tail);
    }

    /**
     * Swallows the exceptions of a handshake that failed, which the connect call reports, and
     * closes the connection; removes itself once the handshake has succeeded. One per connection.
     */
    private static final class HandshakeGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent) evt).isSuccess()) {
                ctx.pipeline().remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
