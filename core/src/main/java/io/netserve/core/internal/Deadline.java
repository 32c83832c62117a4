package io.netserve.core.internal;

import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time a stop must keep to, and waits bounded by it. */
public final class Deadline {

    private static final long AT_LEAST_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long start;
    private final long end;

    private Deadline(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** The deadline {@code timeout} from now. */
    public static Deadline after(Duration timeout) {
        long now = System.nanoTime();
        return new Deadline(now, now + timeout.toNanos());
    }

    /** Nanoseconds left, zero once passed. */
    public long remainingNanos() {
        return Math.max(0, end - System.nanoTime());
    }

    /** Milliseconds since this deadline was set. */
    public long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Waits for {@code future} until the deadline. */
    public void await(Future<?> future) {
        future.awaitUninterruptibly(remainingNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for {@code future} until the deadline, or a second if that is later: for closes that
     * must be given a moment to complete even once the deadline has passed.
     */
    public void awaitAtLeastASecond(Future<?> future) {
        future.awaitUninterruptibly(Math.max(remainingNanos(), AT_LEAST_NANOS), TimeUnit.NANOSECONDS);
    }
}
