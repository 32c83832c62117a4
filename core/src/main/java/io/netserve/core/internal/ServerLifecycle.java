package io.netserve.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of a server's or client's handle that TCP and UDP share: a close that runs its stop
 * once, however many threads call it, and a future that completes once it has. Thread-safe.
 */
public final class ServerLifecycle {

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
