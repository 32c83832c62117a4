package io.netserve.core.internal.tcp;

import io.netserve.core.idle.IdlePolicy;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Fires Netty's {@link IdleStateEvent}s when a connection has read nothing ({@code READER_IDLE}),
 * made no write progress ({@code WRITER_IDLE}), or neither ({@code ALL_IDLE}) for a timeout. It is
 * not fooled by a slow reader: bytes still leaving the outbound buffer count as write activity,
 * so a peer that drains slowly is not idle, while one that takes nothing and sends nothing is.
 *
 * <pre>{@code
 * pipeline.addLast("idle", new IdleDetectionHandler(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(300)))
 *         .addLast(IdlePolicy.HANDLER_NAME, IdlePolicy.close());
 * }</pre>
 *
 * <p>Unlike Netty's {@code IdleStateHandler} it adds no listener to each write: it counts writes
 * and samples the outbound buffer on a timer that ticks at least four times per shortest timeout,
 * and at each deadline, so write activity is seen within a quarter of the timeout. Reads are timed
 * exactly, so reader idleness fires on time. Time comes from the
 * channel's executor ({@code EventExecutor.ticker()}), so tests move it with
 * {@code EmbeddedChannel.advanceTimeBy}. The first event after activity is the {@code FIRST_...}
 * constant, later ones without activity in between the others. Not sharable: one per channel.
 */
public final class IdleDetectionHandler extends ChannelDuplexHandler {

    private final long readerNanos;
    private final long writerNanos;
    private final long allNanos;
    private final long tickNanos;

    private ChannelHandlerContext ctx;
    private Future<?> tick;
    private boolean reading;
    private long writesSinceTick;
    private int lastCurrent;
    private long lastProgress;
    private long lastPending;

    private long lastRead;
    private long lastWrite;
    private long readerFired = Long.MIN_VALUE;
    private long writerFired = Long.MIN_VALUE;
    private long allFired = Long.MIN_VALUE;

    /**
     * A handler with the given timeouts; zero turns that kind of idleness off, and at least one
     * must be positive.
     */
    public IdleDetectionHandler(Duration readerTimeout, Duration writerTimeout, Duration allTimeout) {
        this.readerNanos = nanos("readerTimeout", readerTimeout);
        this.writerNanos = nanos("writerTimeout", writerTimeout);
        this.allNanos = nanos("allTimeout", allTimeout);
        long shortest = Long.MAX_VALUE;
        for (long t : new long[] {readerNanos, writerNanos, allNanos}) {
            if (t > 0) {
                shortest = Math.min(shortest, t);
            }
        }
        if (shortest == Long.MAX_VALUE) {
            throw new IllegalArgumentException("at least one idle timeout must be positive");
        }
        this.tickNanos = Math.max(1, shortest / 4);
    }

    /**
     * Adds idle detection with these timeouts and the default {@link IdlePolicy} to the end of
     * {@code pipeline}, as {@code "idle"} and {@link IdlePolicy#HANDLER_NAME}: the idle handling of
     * core's standard pipelines, servers' and clients' alike. Adds nothing when every timeout is
     * zero.
     */
    public static void addTo(ChannelPipeline pipeline, Duration readerTimeout, Duration writerTimeout,
                             Duration allTimeout) {
        if (!readerTimeout.isZero() || !writerTimeout.isZero() || !allTimeout.isZero()) {
            pipeline.addLast("idle", new IdleDetectionHandler(readerTimeout, writerTimeout, allTimeout));
            pipeline.addLast(IdlePolicy.HANDLER_NAME, IdlePolicy.close());
        }
    }

    /** Time without reads after which the connection is reader idle; zero when off. */
    public Duration readerTimeout() {
        return Duration.ofNanos(readerNanos);
    }

    /** Time without write progress after which the connection is writer idle; zero when off. */
    public Duration writerTimeout() {
        return Duration.ofNanos(writerNanos);
    }

    /** Time without reads and write progress after which the connection is all idle; zero when off. */
    public Duration allTimeout() {
        return Duration.ofNanos(allNanos);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            reading = false;
            lastRead = now();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        writesSinceTick++;
        ctx.write(msg, promise);
    }

    private void start() {
        if (tick != null) {
            return;
        }
        lastRead = lastWrite = now();
        schedule(tickNanos);
    }

    private void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
        tick = null;
    }

    private void schedule(long delayNanos) {
        tick = ctx.executor().schedule(this::onTick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onTick() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long now = now();
        if (wroteSinceLastTick()) {
            lastWrite = now;
        }
        if (readerNanos > 0 && now - Math.max(lastRead, readerFired) >= readerNanos) {
            boolean first = readerFired < lastRead;
            readerFired = now;
            fire(first ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        if (writerNanos > 0 && now - Math.max(lastWrite, writerFired) >= writerNanos && ctx.channel().isOpen()) {
            boolean first = writerFired < lastWrite;
            writerFired = now;
            fire(first ? IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT : IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
        long lastActivity = Math.max(lastRead, lastWrite);
        if (allNanos > 0 && now - Math.max(lastActivity, allFired) >= allNanos && ctx.channel().isOpen()) {
            boolean first = allFired < lastActivity;
            allFired = now;
            fire(first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT : IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
        if (ctx.channel().isOpen() && tick != null) {
            schedule(nextDelay(now));
        }
    }

    /** Until the next tick: at the earliest deadline known now, and at most a quarter timeout away. */
    private long nextDelay(long now) {
        long delay = tickNanos;
        if (readerNanos > 0) {
            delay = Math.min(delay, Math.max(lastRead, readerFired) + readerNanos - now);
        }
        if (writerNanos > 0) {
            delay = Math.min(delay, Math.max(lastWrite, writerFired) + writerNanos - now);
        }
        if (allNanos > 0) {
            delay = Math.min(delay, Math.max(Math.max(lastRead, lastWrite), allFired) + allNanos - now);
        }
        return Math.max(1, delay);
    }

    /** Whether anything was written, or sent from the outbound buffer, since the last tick. */
    private boolean wroteSinceLastTick() {
        boolean wrote = writesSinceTick > 0;
        writesSinceTick = 0;
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null) {
            int current = System.identityHashCode(out.current());
            long progress = out.currentProgress();
            long pending = out.totalPendingWriteBytes();
            if (current != lastCurrent || progress != lastProgress || pending != lastPending) {
                wrote = true;
                lastCurrent = current;
                lastProgress = progress;
                lastPending = pending;
            }
        }
        return wrote;
    }

    private void fire(IdleStateEvent event) {
        ctx.fireUserEventTriggered(event);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private static long nanos(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, was " + d);
        }
        return d.toNanos();
    }
}
