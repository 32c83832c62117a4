package io.netserve.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * What the connections of one event loop measured: completed messages, bytes, round trips and
 * losses, counted only inside the measured window. Confined to its loop, so the hot path has no
 * atomics; {@link Run} merges the recorders once their windows have ended.
 */
final class Recorder {

    /** Longest round trip the histogram holds; a longer one is recorded as this. */
    static final long MAX_ROUND_TRIP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Run run;
    private final EventLoop loop;
    private final Histogram histogram = new Histogram(1, MAX_ROUND_TRIP_NANOS, 3);
    private final Promise<Void> windowEnded;
    private final Payloads.Checker checker;

    private boolean measuring;
    private boolean stopped;
    private boolean expectEchoes;
    private long lastProgress;
    private long windowStart;
    private long windowEnd;
    private long messages;
    private long bytes;
    private long lost;
    private long late;
    private ScheduledFuture<?> stallCheck;

    Recorder(Run run, EventLoop loop, Payloads payloads) {
        this.run = run;
        this.loop = loop;
        this.windowEnded = loop.newPromise();
        this.checker = payloads.checker();
    }

    /** This loop's checker of echoed bytes. */
    Payloads.Checker checker() {
        return checker;
    }

    /** The loop every connection recording here runs on. */
    EventLoop loop() {
        return loop;
    }

    /** The run this recorder belongs to, to report a failure. */
    Run run() {
        return run;
    }

    /**
     * Says that echoes are due on this loop from now on, so that a server going quiet is a failure;
     * call on the loop, when its connections start sending.
     */
    void expectEchoes() {
        if (!expectEchoes) {
            expectEchoes = true;
            lastProgress = System.nanoTime();
        }
    }

    /** Whether completed messages count now (inside the window). */
    boolean measuring() {
        return measuring;
    }

    /** Whether the window has ended or the run failed: stop sending. */
    boolean stopped() {
        return stopped;
    }

    /** One message completed at {@code now}, sent at {@code sentAt}. */
    void completed(long now, long sentAt) {
        lastProgress = now;
        if (measuring) {
            messages++;
            histogram.recordValue(Math.min(Math.max(now - sentAt, 1), MAX_ROUND_TRIP_NANOS));
        }
    }

    /** {@code n} echoed bytes arrived (and matched) at {@code now}. */
    void echoed(long now, long n) {
        lastProgress = now;
        if (measuring) {
            bytes += n;
        }
    }

    /** A datagram was given up on. */
    void lost() {
        if (measuring) {
            lost++;
        }
    }

    /** A reply came for a datagram already given up on. */
    void late() {
        if (measuring) {
            late++;
        }
    }

    /** Schedules this loop's window: measuring from {@code warmStart}, until {@code end} (nanoTime values). */
    void schedule(long warmStart, long end, long stallNanos) {
        loop.execute(() -> {
            long now = System.nanoTime();
            if (warmStart <= now) {
                startWindow(now);
            } else {
                loop.schedule(() -> startWindow(System.nanoTime()), warmStart - now, TimeUnit.NANOSECONDS);
            }
            loop.schedule(() -> endWindow(System.nanoTime()), end - now, TimeUnit.NANOSECONDS);
            long period = Math.max(stallNanos / 4, TimeUnit.MILLISECONDS.toNanos(50));
            stallCheck = loop.scheduleAtFixedRate(() -> checkStall(stallNanos), period, period, TimeUnit.NANOSECONDS);
        });
    }

    private void startWindow(long now) {
        if (stopped) {
            return;
        }
        histogram.reset();
        messages = bytes = lost = late = 0;
        windowStart = now;
        measuring = true;
        run.windowStarted(this);
    }

    private void checkStall(long stallNanos) {
        long now = System.nanoTime();
        if (!stopped && expectEchoes && now - lastProgress > stallNanos) {
            run.fail(Outcome.SERVER_FAILED, String.format(java.util.Locale.ROOT,
                    "no echo for %.1f s: the server stopped answering", (now - lastProgress) / 1e9));
        }
    }

    /** Ends the window now (also when the run failed); idempotent. Runs on the loop. */
    void endWindow(long now) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!measuring) {
            windowStart = now;
        }
        measuring = false;
        windowEnd = now;
        if (stallCheck != null) {
            stallCheck.cancel(false);
        }
        windowEnded.trySuccess(null);
    }

    /** Completes when the window has ended. */
    io.netty.util.concurrent.Future<Void> windowEnded() {
        return windowEnded;
    }

    Histogram histogram() {
        return histogram;
    }

    long messages() {
        return messages;
    }

    long bytes() {
        return bytes;
    }

    long lostCount() {
        return lost;
    }

    long lateCount() {
        return late;
    }

    long windowNanos() {
        return windowEnd - windowStart;
    }
}
