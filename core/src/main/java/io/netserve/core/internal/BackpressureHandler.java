package io.netserve.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * Stops reading from a connection while it is not writable, and reads again once it is. A peer
 * that writes without reading then fills its own socket buffers instead of the server's memory:
 * pending outbound bytes stay near the channel's {@code WriteBufferWaterMark}.
 *
 * <pre>{@code
 * pipeline.addLast("backpressure", BackpressureHandler.INSTANCE);
 * }</pre>
 *
 * <p>When the channel turns unwritable it first flushes: if the socket takes what is owed, reading
 * never pauses, and handlers after it see only the return to writable. Each pause is counted in
 * the server's {@code ServerMetrics.connectionsPaused()} until the channel reads again or closes.
 * Otherwise passes every event on. {@link Sharable}: its state is a channel attribute.
 */
@Sharable
public final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    /** The one instance. */
    public static final BackpressureHandler INSTANCE = new BackpressureHandler();

    private static final AttributeKey<Boolean> PAUSED = AttributeKey.valueOf(BackpressureHandler.class, "paused");

    private BackpressureHandler() {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!ch.isWritable()) {
            // Offer what is owed to the socket first: when it takes it, the channel is writable again
            // at once and reading never pauses (each pause and resume is a system call). That return
            // to writable has then been passed on by its own event.
            ctx.flush();
            if (ch.isWritable()) {
                return;
            }
        }
        boolean writable = ch.isWritable();
        ch.config().setAutoRead(writable);
        count(ctx, !writable);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        count(ctx, false);
        ctx.fireChannelInactive();
    }

    /** Counts the channel as paused, or not, in the server's metrics, once per change. */
    private static void count(ChannelHandlerContext ctx, boolean paused) {
        Attribute<Boolean> state = ctx.channel().attr(PAUSED);
        if (paused == (state.get() != null)) {
            return;
        }
        state.set(paused ? Boolean.TRUE : null);
        ServerContext server = ServerContext.of(ctx.pipeline());
        if (server != null) {
            if (paused) {
                server.metrics().recordReadPaused();
            } else {
                server.metrics().recordReadResumed();
            }
        }
    }
}
