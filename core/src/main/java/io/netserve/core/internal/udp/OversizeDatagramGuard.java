package io.netserve.core.internal.udp;

import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.util.Objects;

/**
 * Drops every datagram longer than the maximum datagram size, so a protocol never sees, and never
 * answers, a datagram that was cut. It relies on {@link DatagramReads}: each datagram is read into
 * {@code maxDatagramSize + 1} bytes, so one that did not fit arrives longer than the maximum, where
 * a plain read would have truncated it silently.
 *
 * <pre>{@code
 * pipeline.addLast("oversize", new OversizeDatagramGuard(config.maxDatagramSize(), context));
 * }</pre>
 *
 * <p>Releases and consumes oversize {@link DatagramPacket}s, counting each in
 * {@code ServerMetrics.droppedOversize()} and logging at most one line a second; passes everything
 * else on. {@link Sharable}: one instance serves every datagram channel of a server.
 */
@Sharable
public final class OversizeDatagramGuard extends ChannelInboundHandlerAdapter {

    private final int maxDatagramSize;
    private final ServerContext context;

    /** A guard dropping datagrams longer than {@code maxDatagramSize} bytes (as validated by the configuration). */
    public OversizeDatagramGuard(int maxDatagramSize, ServerContext context) {
        this.maxDatagramSize = maxDatagramSize;
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            if (packet.content().readableBytes() > maxDatagramSize) {
                context.metrics().recordDroppedOversize();
                context.droppedOversize().log(ctx.channel(), packet.sender(),
                        "dropped a datagram from {} longer than the maximum datagram size of {} bytes",
                        packet.sender(), maxDatagramSize);
                packet.release();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
