package com.example.shout;

import io.netserve.core.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Answers each line with the line in upper case and an exclamation mark. */
public final class ShoutProtocol implements Protocol {

    @Override
    public void configure(ChannelPipeline pipeline) {
        pipeline.addLast(new LineBasedFrameDecoder(256, true, true), new StringDecoder(StandardCharsets.UTF_8),
                new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8),
                new SimpleChannelInboundHandler<String>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                        ctx.writeAndFlush(line.toUpperCase(Locale.ROOT) + "!");
                    }
                });
    }
}
