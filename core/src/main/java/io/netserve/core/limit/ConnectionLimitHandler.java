package io.netserve.core.limit;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections open at once. A connection past the limit is accepted, then closed at once
 * before any other handler sees it active; rejections are counted and logged at most once a
 * second, so a connection flood cannot flood the log too.
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

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
    private static final AttributeKey<Boolean> REJECTED = AttributeKey.valueOf(ConnectionLimitHandler.class, "rejected");
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int maxConnections;
    private final ServerMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong rejectedSinceLog = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    /** A handler admitting at most {@code maxConnections} connections at once, counting into {@code metrics}. */
    public ConnectionLimitHandler(int maxConnections, ServerMetrics metrics) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
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
            metrics.recordConnectionRejected();
            logRejection(ctx);
            ctx.close();
            return;
        }
        metrics.recordConnectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().hasAttr(REJECTED)) {
            return;
        }
        open.decrementAndGet();
        metrics.recordConnectionClosed();
        ctx.fireChannelInactive();
    }

    private void logRejection(ChannelHandlerContext ctx) {
        long rejected = rejectedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
            rejectedSinceLog.addAndGet(-rejected);
            log.warn("connection limit {} reached: rejected {} ({} rejected in the last second)",
                    maxConnections, ctx.channel().remoteAddress(), rejected);
        }
    }
}
