package io.netserve.core.internal.tcp;

import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * On a server's listening channel: a failure to accept a connection (most often the process ran
 * out of file descriptors) is the server's own, not an unhandled exception. It is counted, logged
 * in one throttled line that names the cause and, for the file limit, the limit to raise, with no
 * stack trace; and accepting pauses for a second so the event loop does not spin on the error.
 *
 * <pre>{@code
 * serverBootstrap.handler(new AcceptErrorHandler(context));
 * }</pre>
 *
 * <p>Consumes exceptions; passes everything else on. {@link Sharable}.
 */
@Sharable
public final class AcceptErrorHandler extends ChannelInboundHandlerAdapter {

    private static final long PAUSE_MILLIS = 1000;

    private final ServerContext context;

    /** A handler counting into {@code context}. */
    public AcceptErrorHandler(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        boolean fileLimit = message.contains("Too many open files");
        context.metrics().recordAcceptError(fileLimit);
        context.acceptErrors().logServer(ctx.channel(), "cannot accept connections on {}: {}{}", ctx.channel().localAddress(),
                message.replaceFirst("^accept\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", ""),
                fileLimit ? "; raise the open-files limit (ulimit -n, or LimitNOFILE= in the systemd unit)" : "");
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
