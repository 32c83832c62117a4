package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.idle.IdlePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/** Small protocols that exercise the test kit. */
final class KitProtocols {

    static final int MAX_LINE = 64;

    private KitProtocols() {
    }

    /**
     * Lines: answers {@code echo:<line>}, closes on {@code quit} after {@code bye}; a line over
     * {@link #MAX_LINE} bytes closes the connection. Idle connections are closed (core's default).
     */
    static Protocol lines() {
        return p -> p.addLast(new LineBasedFrameDecoder(MAX_LINE), new StringDecoder(StandardCharsets.UTF_8),
                new LineEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                        if (line.equals("quit")) {
                            ctx.writeAndFlush("bye").addListener(ChannelFutureListener.CLOSE);
                        } else {
                            ctx.writeAndFlush("echo:" + line);
                        }
                    }

                });
    }

    /** {@link #lines()} with an idle policy of its own: answers an idle event with {@code idle:<state>}. */
    static Protocol linesTellingIdleness() {
        return p -> {
            IdlePolicy.replace(p, new IdlePolicy() {
                @Override
                protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
                    ctx.channel().writeAndFlush("idle:" + event.state());
                }
            });
            lines().configure(p);
        };
    }

    /** Writes every byte back. */
    static Protocol echo() {
        return p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.write(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }
        });
    }

    /** Reads and discards everything, never answers. */
    static Protocol silent() {
        return p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** A bug: keeps nothing and releases nothing. */
    static Protocol leaking() {
        return p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).readableBytes();
            }
        });
    }

    /** Writes a String with no encoder behind it: a socket could not send it. */
    static Protocol missingEncoder() {
        return p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush("not bytes");
            }
        });
    }
}
