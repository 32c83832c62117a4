package io.netserve.samples.chat;

import io.netserve.core.config.Durations;
import io.netserve.core.idle.IdlePolicy;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

import java.time.Duration;

/**
 * The chat's idle policy: a member silent for the idle timeout is warned; silent for as long
 * again, told and disconnected (counted and logged as core's default policy does).
 *
 * <pre>{@code
 * IdlePolicy.replace(pipeline, new ChatIdlePolicy(Duration.ofMinutes(5)));
 * }</pre>
 *
 * <p>It writes through the channel, so the lines pass the chat's encoder. {@link Sharable}.
 */
@Sharable
final class ChatIdlePolicy extends IdlePolicy {

    private final String idle;

    ChatIdlePolicy(Duration idleTimeout) {
        this.idle = Durations.format(idleTimeout);
    }

    @Override
    protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() != IdleState.READER_IDLE) {
            return; // a member is idle when it says nothing; the chat sets no other idle timeout
        }
        if (event.isFirst()) {
            ctx.channel().writeAndFlush("! idle for " + idle + ": say something within " + idle + " or be disconnected");
        } else {
            ctx.channel().writeAndFlush("* disconnected: idle").addListener(f -> closeIdle(ctx, event));
        }
    }
}
