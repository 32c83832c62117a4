package io.netserve.core.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Added at the head of a connection when its server starts draining. The connection closes as
 * soon as it is quiet: nothing left to write, and neither a read nor a change of writability since
 * the last look. A change of writability counts because backpressure turns reading back on with
 * it, and the bytes waiting in the socket are only read on the event loop's next I/O pass. The
 * first look comes right after the next I/O pass (an idle connection closes at once, one whose
 * bytes just arrived reads them first); while work is in flight it looks again every
 * {@value #RECHECK_MILLIS} ms, until the server closes whatever is left at its deadline.
 */
final class DrainHandler extends ChannelInboundHandlerAdapter {

    /**
     * How long a busy connection must stay quiet before it counts as finished. Longer than a delayed
     * ACK (40 ms) and than a peer's thread losing its core for a moment on a busy host: at 10 ms, a
     * client still streaming on a loaded 2-core machine was cut off mid-echo.
     */
    static final long RECHECK_MILLIS = 100;

    /** Counts of one drain, shared by the connections' handlers. */
    static final class Counts {
        final AtomicInteger idle = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final CountDownLatch firstLooks;

        Counts(int connections) {
            firstLooks = new CountDownLatch(connections);
        }
    }

    private final Counts counts;
    private boolean activeSinceLook;
    private boolean firstLook = true;

    private DrainHandler(Counts counts) {
        this.counts = counts;
    }

    /** Starts draining {@code ch}; runs on its event loop. */
    static void drain(Channel ch, Counts counts) {
        ch.eventLoop().execute(() -> {
            if (!ch.isActive()) {
                counts.firstLooks.countDown();
                return;
            }
            DrainHandler h = new DrainHandler(counts);
            ch.pipeline().addFirst("drain", h);
            // Scheduled, not executed: an executed task would run in this same batch of tasks, before
            // the next I/O pass reads what has already arrived; a scheduled one runs after it.
            ch.eventLoop().schedule(() -> h.look(ch), 0, TimeUnit.NANOSECONDS);
        });
    }

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

    private void look(Channel ch) {
        boolean first = firstLook;
        firstLook = false;
        try {
            if (!ch.isActive()) {
                return;
            }
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            boolean owesBytes = out != null && out.totalPendingWriteBytes() > 0;
            if (!owesBytes && !activeSinceLook) {
                (first ? counts.idle : counts.finished).incrementAndGet();
                ch.close();
                return;
            }
            activeSinceLook = false;
            ch.eventLoop().schedule(() -> look(ch), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            if (first) {
                counts.firstLooks.countDown();
            }
        }
    }
}
