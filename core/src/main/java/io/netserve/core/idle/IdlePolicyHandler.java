package io.netserve.core.idle;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Turns the {@link IdleStateEvent}s of the {@link IdleDetectionHandler} (or Netty's
 * {@code IdleStateHandler}) before it into the configured {@link IdlePolicy}: close the connection
 * (logged and counted), or pass the event on to the protocol's handlers.
 *
 * <pre>{@code
 * pipeline.addLast("idle", new IdleDetectionHandler(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(300)))
 *         .addLast("idlePolicy", new IdlePolicyHandler(IdlePolicy.CLOSE, metrics));
 * }</pre>
 *
 * <p>Whether write progress counts as activity is up to the detector: {@link IdleDetectionHandler}
 * counts it, so a slow reader still draining is never found idle.
 *
 * <p>With {@link IdlePolicy#CLOSE} it consumes idle events; other user events pass through.
 * {@link Sharable}.
 */
@Sharable
public final class IdlePolicyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(IdlePolicyHandler.class);

    private final IdlePolicy policy;
    private final ServerMetrics metrics;

    /** A handler applying {@code policy}, counting closed connections into {@code metrics}. */
    public IdlePolicyHandler(IdlePolicy policy, ServerMetrics metrics) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && policy == IdlePolicy.CLOSE) {
            IdleStateEvent idle = (IdleStateEvent) evt;
            metrics.recordIdleClosed();
            log.info("closing idle connection {}: no {} within the idle timeout", ctx.channel().remoteAddress(),
                    describe(idle));
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static String describe(IdleStateEvent evt) {
        switch (evt.state()) {
            case READER_IDLE:
                return "read";
            case WRITER_IDLE:
                return "write";
            default:
                return "read and write";
        }
    }
}
