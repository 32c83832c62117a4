package io.netserve.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The graceful drain of TCP connections and UDP datagram channels alike: each channel is closed as
 * soon as it is quiet, meaning nothing left to write and neither a read nor a change of
 * writability since the last look. A connection accepted less than {@value #QUIET_MILLIS} ms
 * before the drain counts as busy at the first look: its client is likely about to send (during a
 * restart, connections keep arriving until the listener closes), and closing it unheard would
 * look to that client like a refusal. A change of writability counts because backpressure turns
 * reading back on with it, and the bytes waiting in the socket are only read on the event loop's
 * next I/O pass.
 *
 * <pre>{@code
 * QuietDrain drain = QuietDrain.start(channels);
 * drain.awaitFirstLooks(deadline);       // idle ones are closed by now
 * }</pre>
 *
 * <p>The first look comes right after the next I/O pass, so an idle channel closes at once and one
 * whose bytes just arrived reads (and answers) them first; while work is in flight it looks again
 * every {@value #QUIET_MILLIS} ms, until the server closes whatever is left at its deadline. Each
 * look also flushes what a protocol wrote and left unflushed.
 */
public final class QuietDrain {

    /**
     * How long a busy channel must stay quiet before it counts as finished. Longer than a delayed
     * ACK (40 ms) and than a peer's thread losing its core for a moment on a busy host: at 10 ms, a
     * client still streaming on a loaded 2-core machine was cut off mid-echo.
     */
    public static final long QUIET_MILLIS = 100;

    private static final AttributeKey<Long> ACCEPTED = AttributeKey.valueOf(QuietDrain.class, "accepted");

    private final AtomicInteger closedAtOnce = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final CountDownLatch firstLooks;

    private QuietDrain(int channels) {
        firstLooks = new CountDownLatch(channels);
    }

    /** Notes that {@code ch} was accepted now, on its event loop's clock. */
    public static void accepted(Channel ch) {
        ch.attr(ACCEPTED).set(ch.eventLoop().ticker().nanoTime());
    }

    /** Starts draining every channel of {@code channels} (a snapshot: one closing meanwhile is fine). */
    public static QuietDrain start(Collection<Channel> channels) {
        QuietDrain drain = new QuietDrain(channels.size());
        channels.forEach(drain::drain);
        return drain;
    }

    /** Waits until every channel has had its first look (and the idle ones are closed), or the deadline. */
    public void awaitFirstLooks(Deadline deadline) {
        try {
            firstLooks.await(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Channels closed at their first look: they had nothing in flight. */
    public int closedAtOnce() {
        return closedAtOnce.get();
    }

    /** Channels closed at a later look: they finished their work. */
    public int finished() {
        return finished.get();
    }

    private void drain(Channel ch) {
        try {
            ch.eventLoop().execute(() -> {
                if (!ch.isActive()) {
                    firstLooks.countDown();
                    return;
                }
                Watcher watcher = new Watcher();
                watcher.activeSinceLook = isYoung(ch);
                ch.pipeline().addFirst("drain", watcher);
                // Scheduled, not executed: an executed task would run in this same batch of tasks, before
                // the next I/O pass reads what has already arrived; a scheduled one runs after it.
                ch.eventLoop().schedule(() -> look(ch, watcher, true), 0, TimeUnit.NANOSECONDS);
            });
        } catch (RejectedExecutionException e) {
            firstLooks.countDown();
            ch.close();
        }
    }

    private static boolean isYoung(Channel ch) {
        Long accepted = ch.hasAttr(ACCEPTED) ? ch.attr(ACCEPTED).get() : null;
        return accepted != null
                && ch.eventLoop().ticker().nanoTime() - accepted < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
    }

    private void look(Channel ch, Watcher watcher, boolean first) {
        try {
            if (!ch.isActive()) {
                return;
            }
            ch.flush();
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            boolean owes = out != null && out.totalPendingWriteBytes() > 0;
            if (!owes && !watcher.activeSinceLook) {
                (first ? closedAtOnce : finished).incrementAndGet();
                ch.close();
                return;
            }
            watcher.activeSinceLook = false;
            ch.eventLoop().schedule(() -> look(ch, watcher, false), QUIET_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            if (first) {
                firstLooks.countDown();
            }
        }
    }

    /** Notes reads and changes of writability between two looks; passes every event on. */
    private static final class Watcher extends ChannelInboundHandlerAdapter {
        boolean activeSinceLook;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            activeSinceLook = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            activeSinceLook = true;
            ctx.fireChannelWritabilityChanged();
        }
    }
}
