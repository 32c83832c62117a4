package io.netserve.samples.upper;

import io.netserve.core.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;

import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The smallest netserve protocol: answers each line of UTF-8 text with the same line in upper case.
 * A line longer than {@link #MAX_LINE} bytes closes the connection (core's tail logs why).
 */
public final class UpperProtocol implements Protocol {

    /** Longest line accepted, in bytes, without its line separator. */
    public static final int MAX_LINE = 1024;

    @Override
    public void configure(ChannelPipeline pipeline) {
        pipeline.addLast(new LineBasedFrameDecoder(MAX_LINE, true, true), // bytes -> one line, fails fast
                new StringDecoder(UTF_8),                                   // line -> String
                new LineEncoder(LineSeparator.UNIX, UTF_8),                 // String -> bytes + "\n"
                new UpperHandler());
    }

    private static final class UpperHandler extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush(line.toUpperCase(Locale.ROOT));
        }
    }
}
