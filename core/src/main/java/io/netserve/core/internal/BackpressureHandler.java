package io.netserve.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

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
 * never pauses, and handlers after it see only the return to writable. Otherwise passes every
 * event on. {@link Sharable}: it keeps no state.
 */
@Sharable
public final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    /** The one instance. */
    public static final BackpressureHandler INSTANCE = new BackpressureHandler();

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
        ch.config().setAutoRead(ch.isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
