package io.netserve.core.internal;

import io.netserve.core.metrics.ServerMetrics;
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
 * the server's {@link ServerMetrics}. It only looks at messages, never holds or releases them. It
 * also carries the server's {@link ServerContext}, so handlers further on can find it.
 *
 * <pre>{@code
 * pipeline.addLast("metrics", new TrafficMetricsHandler(context));
 * }</pre>
 *
 * <p>{@link Sharable}: one instance serves every channel of a server.
 */
@Sharable
public final class TrafficMetricsHandler extends ChannelDuplexHandler {

    private final ServerContext context;
    private final ServerMetrics metrics;

    /** A handler counting into {@code context}'s metrics. */
    public TrafficMetricsHandler(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.metrics = context.metrics();
    }

    /** The server this handler counts for. */
    ServerContext context() {
        return context;
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
