package io.netserve.core.internal;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.util.Objects;

/**
 * The last handler of every standard pipeline: logs an exception that no protocol handler dealt
 * with, through the server's {@link EventLog}s (at most a line a second per kind). Expected
 * failures get one line and no stack trace: an I/O error (a reset peer, a send the OS refused) at
 * INFO, a codec error (a malformed or oversize frame or datagram) at WARN, counted as malformed
 * input. Anything else is a bug and is logged at WARN with its stack trace.
 *
 * <p>A TCP connection is closed, and only that connection; it logs once. A server's datagram
 * channel serves every client, so one bad datagram (or one failed send to one address) must never
 * close it: {@link #forDatagrams} keeps it open.
 *
 * <pre>{@code
 * pipeline.addLast("tail", ExceptionTailHandler.forConnections(context));
 * }</pre>
 *
 * <p>Consumes exceptions. {@link Sharable}: one instance per server.
 */
@Sharable
public final class ExceptionTailHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf(ExceptionTailHandler.class, "logged");

    private final ServerContext context;
    private final boolean closes;

    private ExceptionTailHandler(ServerContext context, boolean closes) {
        this.context = Objects.requireNonNull(context, "context");
        this.closes = closes;
    }

    /** The tail of TCP connections: log once, close the connection. */
    public static ExceptionTailHandler forConnections(ServerContext context) {
        return new ExceptionTailHandler(context, true);
    }

    /** The tail of datagram channels: log, keep the channel open. */
    public static ExceptionTailHandler forDatagrams(ServerContext context) {
        return new ExceptionTailHandler(context, false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closes) {
            log(ctx, cause, "datagram channel {} kept open after {}: {}");
        } else if (ctx.channel().attr(LOGGED).setIfAbsent(Boolean.TRUE) == null) {
            log(ctx, cause, "closing connection {} after {}: {}");
        }
        if (closes) {
            ctx.close();
        }
    }

    private void log(ChannelHandlerContext ctx, Throwable cause, String format) {
        Object where = closes ? Peers.remote(ctx.channel()) : ctx.channel().localAddress();
        if (cause instanceof IOException) {
            context.ioErrors().log(ctx.channel(), format, where, "an I/O error", message(cause));
        } else if (cause instanceof CodecException) {
            context.metrics().recordMalformedInput();
            context.malformedInput().log(ctx.channel(), format, where, "malformed input", message(cause));
        } else {
            context.unhandled().logWithTrace(ctx.channel(), cause, format, where, "an unhandled exception",
                    cause.getClass().getName());
        }
    }

    /** The innermost message a failure carries, or its class's name. */
    static String message(Throwable cause) {
        Throwable t = cause;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
