package io.netserve.core.udp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Drops every datagram longer than the maximum datagram size, so a protocol never sees, and never
 * answers, a datagram that was cut. It relies on {@link DatagramReads}: each datagram is read into
 * {@code maxDatagramSize + 1} bytes, so one that did not fit arrives longer than the maximum, where
 * a plain read would have truncated it silently.
 *
 * <pre>{@code
 * pipeline.addLast("oversize", new OversizeDatagramGuard(config.maxDatagramSize(), metrics));
 * }</pre>
 *
 * <p>Releases and consumes oversize {@link DatagramPacket}s, counting each in
 * {@link ServerMetrics#droppedOversize()} and logging at most one line a second; passes everything
 * else on. {@link Sharable}: one instance serves every datagram channel of a server.
 */
@Sharable
public final class OversizeDatagramGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OversizeDatagramGuard.class);

    private final int maxDatagramSize;
    private final ServerMetrics metrics;
    private final ThrottledLog throttle = new ThrottledLog(TimeUnit.SECONDS.toNanos(1));

    /**
     * A guard dropping datagrams longer than {@code maxDatagramSize} bytes (1 to
     * {@value ServerConfig#MAX_UDP_PAYLOAD}), counting into {@code metrics}.
     */
    public OversizeDatagramGuard(int maxDatagramSize, ServerMetrics metrics) {
        if (maxDatagramSize < 1 || maxDatagramSize > ServerConfig.MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("maxDatagramSize must be between 1 and "
                    + ServerConfig.MAX_UDP_PAYLOAD + ", was " + maxDatagramSize);
        }
        this.maxDatagramSize = maxDatagramSize;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            if (packet.content().readableBytes() > maxDatagramSize) {
                metrics.recordDroppedOversize();
                long dropped = throttle.event(ctx.executor().ticker().nanoTime());
                if (dropped > 0) {
                    log.info("dropped {} datagram(s) longer than the maximum datagram size of {} bytes, latest from {}",
                            dropped, maxDatagramSize, packet.sender());
                }
                packet.release();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
