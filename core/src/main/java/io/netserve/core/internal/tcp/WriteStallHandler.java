package io.netserve.core.internal.tcp;

import io.netserve.core.config.Durations;
import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has stayed unwritable for longer than a timeout: its peer stopped
 * reading, so the bytes owed to it would otherwise hold memory (or, with backpressure, the
 * connection) forever. A slow peer that still drains is not stalled: every return to writable
 * restarts the clock. The close is counted and logged with the bytes still owed.
 *
 * <pre>{@code
 * pipeline.addLast("writeStall", new WriteStallHandler(Duration.ofSeconds(30), context));
 * }</pre>
 *
 * <p>Writability may flip thousands of times a second under load, so a flip only records the
 * time; one timer per stall period checks it. Time comes from the channel's executor
 * ({@code EventExecutor.ticker()}), so tests move it with {@code EmbeddedChannel.advanceTimeBy}.
 * Passes every event on. Not sharable: one per channel.
 */
public final class WriteStallHandler extends ChannelInboundHandlerAdapter {

    private static final long WRITABLE = -1;

    private final long timeoutNanos;
    private final ServerContext context;
    private long unwritableSince = WRITABLE;
    private Future<?> timer;

    /** A handler closing connections unwritable for longer than {@code timeout} (positive). */
    public WriteStallHandler(Duration timeout, ServerContext context) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + Durations.format(timeout));
        }
        this.timeoutNanos = timeout.toNanos();
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSince = WRITABLE;
        } else if (unwritableSince == WRITABLE) {
            unwritableSince = ctx.executor().ticker().nanoTime();
            if (timer == null) {
                check(ctx, timeoutNanos);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void check(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> onTimer(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onTimer(ChannelHandlerContext ctx) {
        timer = null;
        if (unwritableSince == WRITABLE || !ctx.channel().isActive()) {
            return;
        }
        long stalled = ctx.executor().ticker().nanoTime() - unwritableSince;
        if (stalled < timeoutNanos) {
            check(ctx, timeoutNanos - stalled);
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long owed = out == null ? 0 : out.totalPendingWriteBytes();
        context.metrics().recordStallClosed();
        context.stallClosed().log(ctx.channel(), "closing stalled connection {}: unwritable for {} with {} bytes still owed",
                Peers.remote(ctx.channel()), Durations.format(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(stalled))),
                owed);
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
