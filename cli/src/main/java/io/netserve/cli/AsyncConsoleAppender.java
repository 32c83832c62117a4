package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.event.KeyValuePair;

import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Writes log events to standard output from a thread of its own, so that the thread that logs
 * (an event loop) never waits for the output: it only puts the event in a bounded queue. When the
 * queue is full, because standard output is not being read (a stuck log shipper, a full pipe), the
 * event is dropped and counted instead; once the output takes writes again, one line says how many
 * were lost. Nothing is ever waited for on the logging side.
 *
 * <p>Unlike Logback's {@code AsyncAppender} with {@code neverBlock}, it counts what it drops
 * (Logback's discards silently, and already drops INFO events once its queue is 80% full), and it
 * writes with one encoder straight to standard output without a second appender: a line is one
 * write to the stream the {@code listening on} line is printed to, so the two never interleave.
 *
 * <p>Thread-safe. The encoder may be swapped while it runs ({@link #setEncoder}); only the worker
 * uses it.
 */
final class AsyncConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** The name of the logger the line about lost events is logged under. */
    static final String DROPPED_LOGGER = "io.netserve.log";

    /** Tells the worker to stop once the queue is empty. */
    private static final ILoggingEvent STOP = new LoggingEvent();

    private final Supplier<PrintStream> out;
    private final BlockingQueue<ILoggingEvent> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong queued = new AtomicLong();
    /** Events taken from the queue and written (or failed to encode); the worker's, read by {@link #flush}. */
    private volatile long done;
    private volatile Encoder<ILoggingEvent> encoder;
    private volatile boolean stopping;
    private Thread worker;
    /** Dropped events already reported; the worker's own. */
    private long reported;

    /**
     * An appender queueing at most {@code capacity} events, encoding them with {@code encoder} and
     * writing them to {@code out} ({@code System::out} but in tests), asked anew for each line.
     */
    AsyncConsoleAppender(int capacity, Encoder<ILoggingEvent> encoder, Supplier<PrintStream> out) {
        this.out = Objects.requireNonNull(out, "out");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** Encodes the events from now on with {@code encoder} (started); the old one is stopped. */
    void setEncoder(Encoder<ILoggingEvent> encoder) {
        Encoder<ILoggingEvent> old = this.encoder;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        old.stop();
    }

    /** The events dropped so far because the queue was full. */
    long dropped() {
        return dropped.sum();
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        worker = new Thread(this::drain, "netserve-log");
        worker.setDaemon(true);
        super.start();
        worker.start();
    }

    /**
     * Stops taking events, and waits at most {@code maxFlushMillis} for those queued to be
     * written: when the output is stuck, a process that exits must not hang on its logs.
     */
    void stop(long maxFlushMillis) {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        queue.offer(STOP); // when full, the worker sees stopping once it has emptied the queue
        try {
            worker.join(maxFlushMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stop(1_000);
    }

    /**
     * Waits at most {@code timeoutMillis} until the events queued so far are written; true if they
     * are. For a line printed directly that must come after them.
     */
    boolean flush(long timeoutMillis) {
        long target = queued.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (done < target) {
            if (System.nanoTime() - deadline >= 0 || !worker.isAlive()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));   // a rare call, at the end of a run
        }
        return true;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Message, thread name and MDC are read now, on the thread that logged.
        event.prepareForDeferredProcessing();
        if (queue.offer(event)) {
            queued.incrementAndGet();
        } else {
            dropped.increment();
        }
    }

    private void drain() {
        try {
            while (true) {
                ILoggingEvent event = queue.take();
                if (event == STOP) {
                    return;
                }
                write(event);
                done++;
                reportDropped();
                if (stopping && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After a write went through, says how many events were dropped since the last such line. */
    private void reportDropped() {
        long total = dropped.sum();
        if (total == reported) {
            return;
        }
        long lost = total - reported;
        reported = total;
        Logger logger = ((ch.qos.logback.classic.LoggerContext) getContext()).getLogger(DROPPED_LOGGER);
        LoggingEvent line = new LoggingEvent(Logger.FQCN, logger, Level.WARN,
                "dropped {} log events: standard output was not read fast enough", null, new Object[] {lost});
        line.addKeyValuePair(new KeyValuePair("dropped", lost));
        write(line);
    }

    private void write(ILoggingEvent event) {
        byte[] line;
        try {
            line = encoder.encode(event);
        } catch (RuntimeException e) {
            addError("could not encode a log event", e);
            return;
        }
        PrintStream stream = out.get();
        stream.write(line, 0, line.length);
        stream.flush();
    }
}
