package io.netserve.core.internal.client;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the nth delay since the last {@link #reset()} is drawn evenly
 * from the upper half of {@code min(max, initial * 2^n)}, so clients that lost the same server at
 * the same moment do not all come back at once, and none waits longer than the maximum.
 *
 * <pre>{@code
 * Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
 * loop.schedule(this::attempt, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
 * }</pre>
 *
 * <p>Not thread-safe: one per client, used on its event loop.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final Random random;
    private long next;

    /** A backoff from {@code initial} up to {@code max}, both positive. */
    public Backoff(Duration initial, Duration max) {
        this(initial, max, null);
    }

    /** As {@link #Backoff(Duration, Duration)}, jittered by {@code random} (null for a thread-local one). */
    Backoff(Duration initial, Duration max, Random random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
        this.next = initialNanos;
    }

    /** The delay before the next attempt, in nanoseconds; each call doubles the next, up to the maximum. */
    public long nextDelayNanos() {
        long ceiling = next;
        next = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
        long half = ceiling / 2;
        return ceiling - half + (half == 0 ? 0 : (random != null ? random : ThreadLocalRandom.current()).nextLong(half + 1));
    }

    /** Starts again from the initial delay, after a success. */
    public void reset() {
        next = initialNanos;
    }
}
