package io.netserve.core.internal.udp;

import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Answers each source address at most {@code datagramsPerSecond} datagrams a second (with a burst
 * of as many at once) and drops the rest, so the server cannot be used to flood a spoofed victim.
 * Datagrams past the rate are dropped, never queued.
 *
 * <p>The sources are tracked in a table of fixed size allocated up front (about 21 bytes per
 * source of {@code maxSources}), so a flood from spoofed addresses cannot grow it: a source's entry
 * is forgotten about a second after its last datagram, and while the table is full of sources still
 * inside their window a new source is dropped too (evicting one would give a flooding source a
 * fresh burst). Time comes from the channel's event-loop ticker.
 *
 * <pre>{@code
 * SourceRateLimiter limiter = new SourceRateLimiter(100, 65_536, context);   // one per server
 * pipeline.addLast("rateLimit", limiter);
 * }</pre>
 *
 * <p>Releases and consumes the datagrams it drops, counting each in
 * {@code ServerMetrics.droppedRateLimited()} and logging at most one line a second; passes
 * everything else on. {@link Sharable}, and must be shared: one instance holds the table of a whole
 * server, across all its datagram channels and threads.
 */
@Sharable
public final class SourceRateLimiter extends ChannelInboundHandlerAdapter {

    private final RateLimitTable table;
    private final ServerContext context;

    /**
     * A limiter allowing {@code datagramsPerSecond} (at least 1) datagrams a second per source
     * address, tracking at most {@code maxSources} (at least 1) sources at once, counting drops into
     * {@code context}.
     */
    public SourceRateLimiter(int datagramsPerSecond, int maxSources, ServerContext context) {
        this(new RateLimitTable(datagramsPerSecond, maxSources), context);
    }

    SourceRateLimiter(RateLimitTable table, ServerContext context) {
        this.table = table;
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Sources tracked now (at most {@code maxSources}). */
    public int trackedSources() {
        return table.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            InetSocketAddress sender = packet.sender();
            if (sender != null && sender.getAddress() != null) {
                int verdict = table.tryAcquire(sender.getAddress(), ctx.executor().ticker().nanoTime());
                if (verdict != RateLimitTable.ACCEPTED) {
                    context.metrics().recordDroppedRateLimited();
                    if (verdict == RateLimitTable.OVER_RATE) {
                        context.droppedRateLimited().log(ctx.channel(), sender,
                                "dropped a datagram from {}: past the rate limit of {}/s per source address",
                                sender, table.ratePerSecond());
                    } else {
                        context.droppedTableFull().log(ctx.channel(), sender,
                                "dropped a datagram from new source {}: the rate-limit table is full ({} sources"
                                        + " within their window)", sender, table.maxSources());
                    }
                    packet.release();
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }
}
