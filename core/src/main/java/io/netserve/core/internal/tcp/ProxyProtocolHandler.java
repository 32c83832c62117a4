package io.netserve.core.internal.tcp;

import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol (v1 text or v2 binary, as HAProxy and cloud load balancers send) at the head
 * of a connection: Netty's {@link HAProxyMessageDecoder} reads the header, and this handler makes
 * the client address it carries the connection's peer ({@link Peers}) before any other handler
 * sees the connection active, so logs and limits name the client, not the proxy. The header is
 * never passed on. A header that is malformed fails the decoder (the tail logs it as malformed
 * input and closes the connection); one that does not come within the timeout closes the
 * connection with one logged line. A {@code LOCAL} header (the proxy's own health check) keeps the
 * proxy's address.
 *
 * <pre>{@code
 * ProxyProtocolHandler.addTo(pipeline, context, Duration.ofSeconds(10));   // first in the pipeline
 * }</pre>
 *
 * <p>Holds {@code channelActive} back until the header is read (and {@code channelInactive} of a
 * connection that never got that far); removes itself then. Not sharable: one per connection.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    /** How long a connection may take to send its header. */
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);

    private final ServerContext context;
    private final long timeoutNanos;
    private boolean headerRead;
    private Future<?> timeout;

    private ProxyProtocolHandler(ServerContext context, Duration timeout) {
        this.context = Objects.requireNonNull(context, "context");
        this.timeoutNanos = timeout.toNanos();
    }

    /** Adds the decoder and this handler at the end of {@code pipeline}. */
    public static void addTo(ChannelPipeline pipeline, ServerContext context, Duration timeout) {
        pipeline.addLast("proxyDecoder", new HAProxyMessageDecoder());
        pipeline.addLast("proxy", new ProxyProtocolHandler(context, timeout));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            if (!headerRead && ctx.channel().isActive()) {
                context.metrics().recordMalformedInput();
                context.malformedInput().log(ctx.channel(), "closing connection {}: no PROXY protocol header within {} ms",
                        ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                ctx.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HAProxyMessage header = (HAProxyMessage) msg;
        try {
            InetSocketAddress client = clientOf(header);
            if (client != null) {
                Peers.setProxiedClient(ctx.channel(), client);
            }
        } finally {
            header.release();
        }
        headerRead = true;
        timeout.cancel(false);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (headerRead) {
            ctx.fireChannelInactive();
        }
        // Closed before its header: the rest of the pipeline never saw it active, so it does not see it go.
    }

    /** The client a PROXY header names, or null for a LOCAL header or an unknown protocol. */
    private static InetSocketAddress clientOf(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY || header.sourceAddress() == null) {
            return null;
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return ip == null ? null : new InetSocketAddress(ip, header.sourcePort()); // null: a Unix socket path, say
    }
}
