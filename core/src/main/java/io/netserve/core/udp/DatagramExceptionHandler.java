package io.netserve.core.udp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a datagram channel: logs an exception that no protocol handler dealt with
 * and keeps the channel open. Unlike a TCP connection, a server's datagram channel serves every
 * client, so one bad datagram (or one failed send to one address) must never close it.
 *
 * <p>Logs at most one line a second, with the count of exceptions since the last line, so that a
 * stream of malformed datagrams cannot flood the log. Expected failures get one line and no stack
 * trace: an I/O error (a send that the OS refused) at INFO, a codec error (a malformed datagram) at
 * WARN. Anything else is a bug and is logged at WARN with its stack trace.
 *
 * <pre>{@code
 * pipeline.addLast("tail", new DatagramExceptionHandler());
 * }</pre>
 *
 * <p>Consumes exceptions. {@link Sharable}: one instance serves every datagram channel of a server
 * and throttles their lines together.
 */
@Sharable
public final class DatagramExceptionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DatagramExceptionHandler.class);

    private final ThrottledLog throttle = new ThrottledLog(TimeUnit.SECONDS.toNanos(1));

    /** A handler with its own one-line-a-second budget. */
    public DatagramExceptionHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        long count = throttle.event(ctx.executor().ticker().nanoTime());
        if (count == 0) {
            return;
        }
        Object local = ctx.channel().localAddress();
        if (cause instanceof IOException) {
            log.info("datagram channel {} kept open after {} I/O error(s), latest: {}", local, count, message(cause));
        } else if (cause instanceof CodecException) {
            log.warn("datagram channel {} kept open after {} malformed datagram(s), latest: {}", local, count,
                    message(cause));
        } else {
            log.warn("datagram channel {} kept open after {} unhandled exception(s), latest:", local, count, cause);
        }
    }

    private static String message(Throwable cause) {
        Throwable t = cause;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
