package io.netserve.bench.load;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a scenario: its event loops, the payload table, one {@link Recorder} per loop, the
 * measured window and the first failure. Scenarios drive their phases from the calling thread
 * (connect, {@link #measure()}, close) and their connections report to the recorder of their loop.
 */
final class Run implements AutoCloseable {

    /** Longest wait for a phase that does not depend on the measured time (connecting, closing). */
    static final long PHASE_TIMEOUT_SECONDS = 30;

    private final LoadOptions options;
    private final ClientTransport transport;
    private final InetSocketAddress server;
    private final EventLoopGroup group;
    private final List<Recorder> recorders;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final Payloads payloads = new Payloads(allocator);
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private volatile long cpuAtWindowStart = -1;
    private long cpuAtWindowEnd;

    /** A failure: its outcome and one line saying what happened. */
    record Failure(Outcome outcome, String message) {
    }

    Run(LoadOptions options, ClientTransport transport, InetSocketAddress server) {
        this.options = options;
        this.transport = transport;
        this.server = server;
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads, transport.ioHandlerFactory());
        List<Recorder> list = new ArrayList<>();
        for (int i = 0; i < options.ioThreads; i++) {
            list.add(new Recorder(this, group.next(), payloads));
        }
        this.recorders = Collections.unmodifiableList(list);
    }

    LoadOptions options() {
        return options;
    }

    ClientTransport transport() {
        return transport;
    }

    InetSocketAddress server() {
        return server;
    }

    ByteBufAllocator allocator() {
        return allocator;
    }

    Payloads payloads() {
        return payloads;
    }

    /** The recorder (and so the loop) of connection {@code conn}: connections are spread round robin. */
    Recorder recorder(int conn) {
        return recorders.get(conn % recorders.size());
    }

    List<Recorder> recorders() {
        return recorders;
    }

    /** Records the first failure and wakes the thread driving the run; later ones are dropped. */
    void fail(Outcome outcome, String message) {
        if (failure.compareAndSet(null, new Failure(outcome, message))) {
            failed.countDown();
        }
    }

    /** The first failure, or null. */
    Failure failure() {
        return failure.get();
    }

    boolean hasFailed() {
        return failure.get() != null;
    }

    void windowStarted(Recorder recorder) {
        if (cpuAtWindowStart < 0) {
            cpuAtWindowStart = processCpuNanos();
        }
    }

    /**
     * Runs the measured window: warm-up, then the measured seconds, on every loop at once; returns
     * when every loop's window has ended, or at once when the run fails (the windows are then ended).
     */
    void measure() throws InterruptedException {
        long now = System.nanoTime();
        long warmStart = now + secondsToNanos(options.warmup);
        long end = warmStart + secondsToNanos(options.seconds);
        long stall = secondsToNanos(options.stallTimeout);
        for (Recorder r : recorders) {
            r.schedule(warmStart, end, stall);
        }
        long deadline = end + TimeUnit.SECONDS.toNanos(PHASE_TIMEOUT_SECONDS);
        for (Recorder r : recorders) {
            while (!r.windowEnded().isDone() && !hasFailed()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(Outcome.SERVER_FAILED, "the measured window did not end in time");
                    break;
                }
                failed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        }
        stopRecording();
        cpuAtWindowEnd = processCpuNanos();
    }

    /** Ends every loop's window now and waits for them; after this, no connection sends. */
    void stopRecording() {
        for (Recorder r : recorders) {
            r.loop().execute(() -> r.endWindow(System.nanoTime()));
        }
        for (Recorder r : recorders) {
            r.windowEnded().awaitUninterruptibly(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits for {@code futures}; a failed one fails the run with {@code what} and its cause, and so
     * does a timeout.
     *
     * @return whether all succeeded
     */
    boolean awaitAll(List<? extends Future<?>> futures, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_TIMEOUT_SECONDS);
        for (Future<?> f : futures) {
            while (!f.isDone()) {
                if (hasFailed()) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(Outcome.SERVER_FAILED, what + ": no answer within " + PHASE_TIMEOUT_SECONDS + " s");
                    return false;
                }
                f.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
            if (!f.isSuccess()) {
                fail(Outcome.SERVER_FAILED, what + ": " + describe(f.cause()));
                return false;
            }
        }
        return !hasFailed();
    }

    /** Blocks until the run fails or {@code nanos} have passed. */
    void sleepUnlessFailed(long nanos) throws InterruptedException {
        failed.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The merged round-trip histogram of every loop (after {@link #measure()}). */
    Histogram histogram() {
        Histogram all = new Histogram(1, Recorder.MAX_ROUND_TRIP_NANOS, 3);
        for (Recorder r : recorders) {
            all.add(r.histogram());
        }
        return all;
    }

    long sum(java.util.function.ToLongFunction<Recorder> counter) {
        long total = 0;
        for (Recorder r : recorders) {
            total += counter.applyAsLong(r);
        }
        return total;
    }

    /** The measured window's length: the longest of the loops' windows. */
    double windowSeconds() {
        long longest = 0;
        for (Recorder r : recorders) {
            longest = Math.max(longest, r.windowNanos());
        }
        return Math.max(longest, 1) / 1e9;
    }

    /** This process's CPU share of one core over the window (1.0: one core busy all along). */
    double cpuShare() {
        if (cpuAtWindowStart < 0) {
            return 0;
        }
        return (cpuAtWindowEnd - cpuAtWindowStart) / 1e9 / windowSeconds();
    }

    /** One line for a failure's cause: the innermost message. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return (message == null ? root.getClass().getSimpleName() : message).replace('\n', ' ');
    }

    static long secondsToNanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return 0;
    }

    /** Stops the loops (quickly: every connection is closed by then) and releases the payload table. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        payloads.release();
    }
}
