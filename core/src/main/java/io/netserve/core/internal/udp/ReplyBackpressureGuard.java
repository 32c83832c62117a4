package io.netserve.core.internal.udp;

import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.util.Objects;

/**
 * Bounds the replies queued behind a datagram channel that cannot send (its socket buffer is
 * full): once the channel is unwritable, past its write-buffer high water mark, a further reply is
 * dropped, counted as {@code ServerMetrics.droppedBackpressure()} and logged at most once a second,
 * never queued. A lost reply is what UDP promises anyway; an unbounded queue is not. Meanwhile
 * {@code BackpressureHandler} stops reading, so only the rest of a read batch is dropped.
 *
 * <pre>{@code
 * pipeline.addLast("replyLimit", new ReplyBackpressureGuard(context));   // between the metrics and the protocol
 * }</pre>
 *
 * <p>A dropped reply's promise fails with {@link #DROPPED} (a void promise is left alone, so that
 * nothing reaches the exception tail). One check of writability a write, nothing allocated.
 * {@link Sharable}.
 */
@Sharable
public final class ReplyBackpressureGuard extends ChannelOutboundHandlerAdapter {

    /** What a dropped reply's promise fails with: one shared instance, without a stack trace. */
    public static final DroppedReplyException DROPPED = new DroppedReplyException();

    private final ServerContext context;

    /** A guard counting into {@code context}. */
    public ReplyBackpressureGuard(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (ctx.channel().isWritable()) {
            ctx.write(msg, promise);
            return;
        }
        Object recipient = msg instanceof DatagramPacket ? ((DatagramPacket) msg).recipient() : null;
        ReferenceCountUtil.release(msg);
        context.metrics().recordDroppedBackpressure();
        context.droppedBackpressure().log(ctx.channel(), recipient instanceof java.net.SocketAddress
                        ? (java.net.SocketAddress) recipient : ctx.channel().localAddress(),
                "dropped a reply to {}: the datagram channel cannot send as fast as it is asked to", recipient);
        if (!promise.isVoid()) {
            promise.tryFailure(DROPPED);
        }
    }

    /** A reply dropped because its channel could not send it. */
    public static final class DroppedReplyException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        private DroppedReplyException() {
            super("reply dropped: the datagram channel's send buffer is full");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
