package io.netserve.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * What the connections of one event loop measured: completed messages, bytes, round trips and
 * losses inside the measured window. They are counted during the warm-up as well, and reset at
 * every tick of it and when the window opens, so that the warm-up runs, and the JIT compiles, the
 * very code the window runs.
 * Confined to its loop, so the hot path has no atomics; {@link Run} merges the recorders once
 * their windows have ended.
 */
final class Recorder {

    /** Longest round trip the histogram holds; a longer one is recorded as this. */
    static final long MAX_ROUND_TRIP_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** How often a loop looks at its window and for a stalled server. */
    static final long TICK_MILLIS = 10;

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
    private ScheduledFuture<?> tick;
    private volatile Window window;

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

    /** Whether the window has ended or the run failed: stop sending. */
    boolean stopped() {
        return stopped;
    }

    /** One message completed at {@code now}, sent at {@code sentAt}. */
    void completed(long now, long sentAt) {
        lastProgress = now;
        if (!stopped) {
            messages++;
            histogram.recordValue(Math.min(Math.max(now - sentAt, 1), MAX_ROUND_TRIP_NANOS));
        }
    }

    /** {@code n} echoed bytes arrived (and matched) at {@code now}. */
    void echoed(long now, long n) {
        lastProgress = now;
        if (!stopped) {
            bytes += n;
        }
    }

    /** A datagram was given up on. */
    void lost() {
        if (!stopped) {
            lost++;
        }
    }

    /** A reply came for a datagram already given up on. */
    void late() {
        if (!stopped) {
            late++;
        }
    }

    /**
     * Starts this loop's tick: every {@value #TICK_MILLIS} ms it opens and closes the window when
     * {@link #window} says so, and fails the run when no echo came for {@code stallNanos}. The loop
     * finds the window's edges itself, so that nothing from another thread runs on it then: a new
     * code path at the window's edge would have the JIT recompile hot code inside the window.
     */
    void startTicking(long stallNanos) {
        loop.execute(() -> {
            if (!stopped) {
                tick = loop.scheduleAtFixedRate(() -> tick(stallNanos), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Sets the window, from {@code opens} to {@code closes} ({@code nanoTime} values); any thread. */
    void window(long opens, long closes) {
        window = new Window(opens, closes);
    }

    /** A measured window's edges, as {@code nanoTime} values. */
    private record Window(long opens, long closes) {
    }

    private void tick(long stallNanos) {
        long now = System.nanoTime();
        Window w = window;
        if (w != null && !measuring && now - w.opens() >= 0) {
            startWindow(now);
        } else if (w != null && measuring && now - w.closes() >= 0) {
            endWindow(now);
            return;
        } else if (!measuring && !stopped) {
            // The window starts with an empty histogram: so does each tick of the warm-up.
            reset();
        }
        if (!stopped && expectEchoes && now - lastProgress > stallNanos) {
            run.fail(Outcome.SERVER_FAILED, String.format(java.util.Locale.ROOT,
                    "no echo for %.1f s: the server stopped answering", (now - lastProgress) / 1e9));
        }
    }

    private void startWindow(long now) {
        if (stopped) {
            return;
        }
        reset();
        windowStart = now;
        measuring = true;
    }

    private void reset() {
        histogram.reset();
        messages = bytes = lost = late = 0;
    }

    /** Ends the window now (also when the run failed); idempotent. Runs on the loop. */
    void endWindow(long now) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!measuring) {
            windowStart = now;
            reset();
        }
        measuring = false;
        windowEnd = now;
        if (tick != null) {
            tick.cancel(false);
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
