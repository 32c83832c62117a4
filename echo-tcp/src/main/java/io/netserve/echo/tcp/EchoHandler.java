package io.netserve.echo.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Writes every received buffer back unchanged, without copying: the buffer read is the buffer
 * written, and the transport releases it once sent. Flushes once per read batch. When the peer
 * shuts its output down, sends what is still owed and then closes: half-close is allowed on the
 * channel as soon as this handler is added.
 *
 * <pre>{@code
 * pipeline.addLast("echo", EchoHandler.INSTANCE);
 * }</pre>
 *
 * <p>Consumes every message and the input-shutdown event. {@link Sharable}.
 */
@Sharable
public final class EchoHandler extends ChannelInboundHandlerAdapter {

    /** The one instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
