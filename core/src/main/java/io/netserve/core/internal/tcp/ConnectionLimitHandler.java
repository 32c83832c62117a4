package io.netserve.core.internal.tcp;

import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections open at once. A connection past the limit is accepted, then closed at once
 * before any other handler sees it active; rejections are counted and logged at most once a
 * second, so a connection flood cannot flood the log too. Each admitted connection's open and close
 * is logged at DEBUG.
 *
 * <pre>{@code
 * pipeline.addFirst("limit", limitHandler);   // first, so a rejected connection costs nothing more
 * }</pre>
 *
 * <p>Consumes {@code channelActive} and {@code channelInactive} of rejected connections; fires
 * both for accepted ones. {@link Sharable}: one instance holds the count for a whole server.
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> REJECTED = AttributeKey.valueOf(ConnectionLimitHandler.class, "rejected");

    private final int maxConnections;
    private final ServerContext context;
    private final AtomicInteger open = new AtomicInteger();

    /** A handler admitting at most {@code maxConnections} connections at once, counting into {@code context}. */
    public ConnectionLimitHandler(int maxConnections, ServerContext context) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Connections admitted and still open. */
    public int openConnections() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            ctx.channel().attr(REJECTED).set(Boolean.TRUE);
            context.metrics().recordConnectionRejected();
            context.limitRejected().log(ctx.channel(), "connection limit {} reached: rejected {}", maxConnections,
                    Peers.remote(ctx.channel()));
            ctx.close();
            return;
        }
        context.metrics().recordConnectionOpened();
        context.connections().log(ctx.channel(), "opened connection {}", Peers.remote(ctx.channel()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().hasAttr(REJECTED)) {
            return;
        }
        open.decrementAndGet();
        context.metrics().recordConnectionClosed();
        context.connections().log(ctx.channel(), "closed connection {}", Peers.remote(ctx.channel()));
        ctx.fireChannelInactive();
    }
}
