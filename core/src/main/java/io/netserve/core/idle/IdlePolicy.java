package io.netserve.core.idle;

import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.Objects;

/**
 * What becomes of a TCP connection that core's idle detection finds idle (see
 * {@code ServerConfig.allIdleTimeout}): a small handler that turns Netty's {@link IdleStateEvent}
 * into an action, as {@code ReadTimeoutHandler} does. Core installs {@link #close()} in every
 * connection with an idle timeout; a protocol that wants to ping or warn first replaces it with its
 * own while it builds its pipeline:
 *
 * <pre>{@code
 * public void configure(ChannelPipeline pipeline) {
 *     IdlePolicy.replace(pipeline, new IdlePolicy() {
 *         protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
 *             if (event.isFirst()) {
 *                 ctx.writeAndFlush("* still there?\n");   // warn once ...
 *             } else {
 *                 closeIdle(ctx, event);                    // ... close if still idle
 *             }
 *         }
 *     });
 *     pipeline.addLast(new MyHandler());
 * }
 * }</pre>
 *
 * <p>A slow reader that still drains what it is sent is never idle: core counts write progress as
 * activity. Idle events reach {@link #idle} and stop there; every other user event passes on.
 */
public abstract class IdlePolicy extends ChannelInboundHandlerAdapter {

    /** The name of the idle policy's handler in core's standard TCP pipeline. */
    public static final String HANDLER_NAME = "idlePolicy";

    private static final IdlePolicy CLOSE = new Close();

    /** For subclasses. */
    protected IdlePolicy() {
    }

    /**
     * The default policy: closes an idle connection, counted in {@code ServerMetrics.idleClosed()}
     * and logged (at most a line a second, with the count of the others). Sharable.
     */
    public static IdlePolicy close() {
        return CLOSE;
    }

    /**
     * Puts {@code policy} in place of the idle policy of {@code pipeline}, a connection's pipeline
     * that core is building; does nothing when the server has no idle timeout (no idle events come).
     * Call it from {@code Protocol.configure}.
     */
    public static void replace(ChannelPipeline pipeline, IdlePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (pipeline.get(HANDLER_NAME) != null) {
            pipeline.replace(HANDLER_NAME, HANDLER_NAME, policy);
        }
    }

    /**
     * Acts on one idle event: {@code event.state()} says which kind of idleness, and
     * {@code event.isFirst()} whether the connection was active since the last one.
     */
    protected abstract void idle(ChannelHandlerContext ctx, IdleStateEvent event) throws Exception;

    /** Closes the connection as the default policy does: counted, logged, closed. */
    protected final void closeIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ServerContext server = ServerContext.of(ctx.pipeline());
        if (server != null) {
            server.metrics().recordIdleClosed();
            server.idleClosed().log(ctx.channel(), "closing idle connection {}: no {} within the idle timeout",
                    Peers.remote(ctx.channel()), describe(event));
        }
        ctx.close();
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            idle(ctx, (IdleStateEvent) evt);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static String describe(IdleStateEvent event) {
        switch (event.state()) {
            case READER_IDLE:
                return "read";
            case WRITER_IDLE:
                return "write";
            default:
                return "read and write";
        }
    }

    /** {@link IdlePolicy#close()}. */
    @Sharable
    private static final class Close extends IdlePolicy {
        @Override
        protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
            closeIdle(ctx, event);
        }
    }
}
