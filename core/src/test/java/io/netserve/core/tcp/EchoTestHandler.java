package io.netserve.core.tcp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The smallest echo protocol for the server's tests: writes every buffer back and flushes once per
 * read batch (the real one, with half-close, lives in echo-tcp). {@link Sharable}.
 */
@Sharable
final class EchoTestHandler extends ChannelInboundHandlerAdapter {

    static final EchoTestHandler INSTANCE = new EchoTestHandler();

    private EchoTestHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
