package io.netserve.core.flow;

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
 * <p>Passes every event on. {@link Sharable}: it keeps no state.
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
        ch.config().setAutoRead(ch.isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
