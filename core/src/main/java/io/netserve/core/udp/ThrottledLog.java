package io.netserve.core.udp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a handler that sees an event per datagram log at most one line per interval, with the count
 * of events since its last line: a flood of bad datagrams must not become a flood of log lines.
 * The first event is always logged. Thread-safe.
 */
final class ThrottledLog {

    private static final long NEVER = Long.MIN_VALUE;

    private final long intervalNanos;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(NEVER);

    ThrottledLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Counts one event at {@code nowNanos}. Returns how many events the caller's log line stands for
     * (this one and those not logged since the last line), or 0 if it must not log now.
     */
    long event(long nowNanos) {
        pending.incrementAndGet();
        long last = lastLogNanos.get();
        if ((last == NEVER || nowNanos - last >= intervalNanos) && lastLogNanos.compareAndSet(last, nowNanos)) {
            return pending.getAndSet(0);
        }
        return 0;
    }
}
