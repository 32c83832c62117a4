package io.netserve.core.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every pipeline: an exception that no protocol handler dealt with is logged
 * once per channel, with the remote address, and closes that channel only. Expected failures get
 * one line and no stack trace: an I/O error (a reset peer) at INFO, a codec error (a malformed or
 * oversize frame) at WARN. Anything else is a bug and is logged at WARN with its stack trace.
 *
 * <pre>{@code
 * pipeline.addLast("tail", ExceptionTailHandler.INSTANCE);
 * }</pre>
 *
 * <p>Consumes exceptions. {@link Sharable}.
 */
@Sharable
public final class ExceptionTailHandler extends ChannelInboundHandlerAdapter {

    /** The one instance. */
    public static final ExceptionTailHandler INSTANCE = new ExceptionTailHandler();

    private static final Logger log = LoggerFactory.getLogger(ExceptionTailHandler.class);
    private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf(ExceptionTailHandler.class, "logged");

    private ExceptionTailHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().attr(LOGGED).setIfAbsent(Boolean.TRUE) == null) {
            Object peer = ctx.channel().remoteAddress();
            if (cause instanceof IOException) {
                log.info("closing connection {}: {}", peer, message(cause));
            } else if (cause instanceof CodecException) {
                log.warn("closing connection {}: malformed input: {}", peer, message(cause));
            } else {
                log.warn("closing connection {} after an unhandled exception", peer, cause);
            }
        }
        ctx.close();
    }

    private static String message(Throwable cause) {
        Throwable t = cause;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
