package io.netserve.core.internal;

import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The part of a server's or client's handle that TCP and UDP share: a close that runs its stop
 * once, however many threads call it, and a future that completes once it has. Thread-safe.
 */
public final class ServerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** Whether {@link #close} has begun. */
    public boolean isDraining() {
        return draining.get();
    }

    /** Completes once the stop of the first {@link #close} has returned. */
    public CompletionStage<Void> closeFuture() {
        return closed.minimalCompletionStage();
    }

    /**
     * Waits out {@code config}'s drain delay, if any, logging that it does: the server goes on
     * serving meanwhile, while it already reports not ready.
     */
    public static void drainDelay(ServerConfig config, String where) {
        Duration delay = config.drainDelay();
        if (delay.isZero()) {
            return;
        }
        log.info("drain delay: {} reports not ready and serves for {} more before it drains", where,
                Durations.format(delay));
        long end = System.nanoTime() + delay.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // a timed wait with nothing to wake it: the delay is the point
        }
    }

    /** Runs {@code stop} on the first call; later calls wait until it has finished. */
    public void close(Runnable stop) {
        if (!closeWithoutWaiting(stop)) {
            closed.join();
        }
    }

    /**
     * Runs {@code stop} on the first call, like {@link #close}, but returns at once on later ones:
     * for callers that must not wait, such as an event loop the stop itself waits for. True if
     * this call ran it.
     */
    public boolean closeWithoutWaiting(Runnable stop) {
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        try {
            stop.run();
        } finally {
            closed.complete(null);
        }
        return true;
    }
}
