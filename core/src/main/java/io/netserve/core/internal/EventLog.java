package io.netserve.core.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log of one kind of event about single peers (idle closes, stall closes, limit rejections,
 * malformed input, dropped datagrams...): at most one line per interval, however many events, so
 * a flood of bad peers never becomes a flood of log lines (a disk flood, and with a slow log sink
 * an outage). The first event of a quiet interval is logged at once, with its details; the others
 * of the interval are only counted, and one summary line at its end says how many there were:
 * {@code closed 2998 more idle connections in the last second}.
 *
 * <p>Each line carries the peer as the structured field {@code remote} (its PROXY-protocol client
 * address where there is one, see {@link Peers}) and, for a connection, its channel id as
 * {@code channel}. Time is the event loop's ticker, so tests drive it with
 * {@code EmbeddedChannel.advanceTimeBy}. Thread-safe: one instance per kind and server, shared by
 * the server's event loops.
 */
public final class EventLog {

    /** The longest time between two lines of one kind. */
    public static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long NEVER = Long.MIN_VALUE;

    private final Logger log;
    private final Level level;
    private final String summary;
    private final boolean throttled;
    private final AtomicLong lastLine = new AtomicLong(NEVER);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * A log on {@code logger} at {@code level}; {@code summary} is the summary line, with one
     * {@code {}} for the count of events not logged, e.g. {@code "closed {} more idle connections
     * in the last second"}.
     */
    public EventLog(String logger, Level level, String summary) {
        this(logger, level, summary, true);
    }

    private EventLog(String logger, Level level, String summary, boolean throttled) {
        this.log = LoggerFactory.getLogger(logger);
        this.level = level;
        this.summary = summary;
        this.throttled = throttled;
    }

    /**
     * A log on {@code logger} at {@code level} that writes every event: for DEBUG and TRACE events
     * (a connection opened or closed), which are off unless an operator asks for them, and then are
     * wanted one by one. It costs a level check when off.
     */
    public static EventLog everyEvent(String logger, Level level) {
        return new EventLog(logger, level, null, false);
    }

    /** Logs one event about connection {@code ch} (its remote peer), or counts it for the summary. */
    public void log(Channel ch, String format, Object... args) {
        if (admit(ch.eventLoop())) {
            log.atLevel(level).addKeyValue("remote", Peers.remote(ch)).addKeyValue("channel", ch.id().asShortText())
                    .log(format, args);
        }
    }

    /** Logs one event about {@code source}, a peer of datagram channel {@code ch}, or counts it. */
    public void log(Channel ch, SocketAddress source, String format, Object... args) {
        if (admit(ch.eventLoop())) {
            log.atLevel(level).addKeyValue("remote", source).log(format, args);
        }
    }

    /** Logs one event of a server's own socket (no peer to name), or counts it for the summary. */
    public void logServer(Channel ch, String format, Object... args) {
        if (admit(ch.eventLoop())) {
            log.atLevel(level).log(format, args);
        }
    }

    /** Logs one event with its exception's stack trace (for bugs, not for expected failures), or counts it. */
    public void logWithTrace(Channel ch, Throwable cause, String format, Object... args) {
        if (admit(ch.eventLoop())) {
            LoggingEventBuilder line = log.atLevel(level).addKeyValue("remote", Peers.remote(ch)).setCause(cause);
            line.log(format, args);
        }
    }

    /**
     * Counts one event at {@code executor}'s time; true if it opens a new interval and is to be
     * logged now (always for a log of {@link #everyEvent}, never when the level is off). The first event counted as suppressed schedules the summary for the end of its
     * interval, on {@code executor}.
     */
    boolean admit(EventExecutor executor) {
        if (!log.isEnabledForLevel(level)) {
            return false;
        }
        if (!throttled) {
            return true;
        }
        long now = executor.ticker().nanoTime();
        long last = lastLine.get();
        if ((last == NEVER || now - last >= INTERVAL_NANOS) && lastLine.compareAndSet(last, now)) {
            return true;
        }
        if (suppressed.getAndIncrement() == 0) {
            long delay = Math.max(0, lastLine.get() + INTERVAL_NANOS - now);
            try {
                executor.schedule(this::summarize, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                summarize(); // the event loop is shutting down: say it now
            }
        }
        return false;
    }

    private void summarize() {
        long n = suppressed.getAndSet(0);
        if (n > 0) {
            log.atLevel(level).log(summary, n);
        }
    }
}
