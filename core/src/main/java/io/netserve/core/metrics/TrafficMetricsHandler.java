package io.netserve.core.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;

import java.util.Objects;

/**
 * Counts the bytes (and, on datagram channels, the datagrams) that pass through a pipeline into
 * {@link ServerMetrics}. It only looks at messages, never holds or releases them.
 *
 * <pre>{@code
 * pipeline.addLast("metrics", new TrafficMetricsHandler(metrics));
 * }</pre>
 *
 * <p>{@link Sharable}: one instance serves every channel of a server.
 */
@Sharable
public final class TrafficMetricsHandler extends ChannelDuplexHandler {

    private final ServerMetrics metrics;

    /** A handler counting into {@code metrics}. */
    public TrafficMetricsHandler(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            metrics.recordBytesIn(((ByteBuf) msg).readableBytes());
        } else if (msg instanceof DatagramPacket) {
            metrics.recordDatagramIn(((DatagramPacket) msg).content().readableBytes());
        } else if (msg instanceof ByteBufHolder) {
            metrics.recordBytesIn(((ByteBufHolder) msg).content().readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            metrics.recordBytesOut(((ByteBuf) msg).readableBytes());
        } else if (msg instanceof DatagramPacket) {
            metrics.recordDatagramOut(((DatagramPacket) msg).content().readableBytes());
        } else if (msg instanceof ByteBufHolder) {
            metrics.recordBytesOut(((ByteBufHolder) msg).content().readableBytes());
        }
        ctx.write(msg, promise);
    }
}
