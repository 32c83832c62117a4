package io.netserve.core.udp;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
 * SourceRateLimiter limiter = new SourceRateLimiter(100, 65_536, metrics);   // one per server
 * pipeline.addLast("rateLimit", limiter);
 * }</pre>
 *
 * <p>Releases and consumes the datagrams it drops, counting each in
 * {@link ServerMetrics#droppedRateLimited()} and logging at most one line a second; passes
 * everything else on. {@link Sharable}, and must be shared: one instance holds the table of a whole
 * server, across all its datagram channels and threads.
 */
@Sharable
public final class SourceRateLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SourceRateLimiter.class);

    private final RateLimitTable table;
    private final ServerMetrics metrics;
    private final ThrottledLog overRate = new ThrottledLog(TimeUnit.SECONDS.toNanos(1));
    private final ThrottledLog tableFull = new ThrottledLog(TimeUnit.SECONDS.toNanos(1));

    /**
     * A limiter allowing {@code datagramsPerSecond} (at least 1) datagrams a second per source
     * address, tracking at most {@code maxSources} (at least 1) sources at once, counting drops into
     * {@code metrics}.
     */
    public SourceRateLimiter(int datagramsPerSecond, int maxSources, ServerMetrics metrics) {
        this(new RateLimitTable(datagramsPerSecond, maxSources), metrics);
    }

    SourceRateLimiter(RateLimitTable table, ServerMetrics metrics) {
        this.table = table;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
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
                long now = ctx.executor().ticker().nanoTime();
                int verdict = table.tryAcquire(sender.getAddress(), now);
                if (verdict != RateLimitTable.ACCEPTED) {
                    metrics.recordDroppedRateLimited();
                    logDrop(verdict, sender, now);
                    packet.release();
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void logDrop(int verdict, InetSocketAddress sender, long now) {
        if (verdict == RateLimitTable.OVER_RATE) {
            long dropped = overRate.event(now);
            if (dropped > 0) {
                log.info("dropped {} datagram(s) past the rate limit of {}/s per source address, latest from {}",
                        dropped, table.ratePerSecond(), sender);
            }
        } else {
            long dropped = tableFull.event(now);
            if (dropped > 0) {
                log.warn("dropped {} datagram(s) from new sources: the rate-limit table is full ({} sources"
                        + " within their window), latest from {}", dropped, table.maxSources(), sender);
            }
        }
    }
}
