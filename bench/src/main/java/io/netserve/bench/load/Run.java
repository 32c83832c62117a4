package io.netserve.bench.load;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
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

    /** How long each look at the JIT compiler lasts while the warm-up waits for it to be quiet. */
    static final long JIT_LOOK_MILLIS = 500;

    /** The JIT counts as quiet when it compiled for less than this share of a look. */
    static final double JIT_QUIET_SHARE = 0.01;

    private final LoadOptions options;
    private final ClientTransport transport;
    private final InetSocketAddress server;
    private final EventLoopGroup group;
    private final List<Recorder> recorders;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final Payloads payloads = new Payloads(allocator);
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private final ServerProcess serverProcess;
    private long warmupNanos;
    private long cpuAtWindowStart = -1;
    private long cpuAtWindowEnd;
    private long serverCpuAtWindowStart = -1;
    private long serverCpuAtWindowEnd = -1;
    private long jitMillisAtWindowStart = -1;
    private long jitMillisAtWindowEnd = -1;

    /** A failure: its outcome and one line saying what happened. */
    record Failure(Outcome outcome, String message) {
    }

    Run(LoadOptions options, ClientTransport transport, InetSocketAddress server) {
        this.options = options;
        this.transport = transport;
        this.server = server;
        this.serverProcess = options.serverProcess();
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads, transport.ioHandlerFactory());
        List<Recorder> list = new ArrayList<>();
        for (int i = 0; i < options.ioThreads; i++) {
            list.add(new Recorder(this, group.next(), payloads));
        }
        this.recorders = Collections.unmodifiableList(list);
        // The first use of the management beans loads and compiles a few hundred classes: before
        // the warm-up, not at the window's edge, where that would be measured.
        processCpuNanos();
        jitMillis();
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

    /** The server's process, or null when its id was not given. */
    ServerProcess serverProcess() {
        return serverProcess;
    }

    /**
     * Runs the measured window on every loop at once, after the warm-up: {@code --warmup} seconds,
     * then on while this JVM's JIT compiler is still busy, up to as long again. Returns when every
     * loop's window has ended, or at once when the run fails (the windows are then ended).
     */
    void measure() throws InterruptedException {
        long stall = secondsToNanos(options.stallTimeout);
        for (Recorder r : recorders) {
            r.startTicking(stall);
        }
        long begin = System.nanoTime();
        long warmup = secondsToNanos(options.warmup);
        failed.await(warmup, TimeUnit.NANOSECONDS);
        long latest = begin + 2 * warmup;
        while (!hasFailed() && jitBusy(latest - System.nanoTime())) {
            // another look
        }
        long start = System.nanoTime();
        warmupNanos = start - begin;
        cpuAtWindowStart = processCpuNanos();
        serverCpuAtWindowStart = serverCpuNanos();
        jitMillisAtWindowStart = jitMillis();
        long end = start + secondsToNanos(options.seconds);
        for (Recorder r : recorders) {
            r.window(start, end);
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
        serverCpuAtWindowEnd = serverCpuNanos();
        jitMillisAtWindowEnd = jitMillis();
    }

    /**
     * Watches the JIT compiler for one look (or the {@code leftNanos} left, if fewer); whether it
     * compiled for at least {@link #JIT_QUIET_SHARE} of that time. False at once when nothing is
     * left or the JVM does not report compile times.
     */
    private boolean jitBusy(long leftNanos) throws InterruptedException {
        long look = Math.min(leftNanos, TimeUnit.MILLISECONDS.toNanos(JIT_LOOK_MILLIS));
        long before = jitMillis();
        if (look <= 0 || before < 0) {
            return false;
        }
        failed.await(look, TimeUnit.NANOSECONDS);
        return jitMillis() - before >= look / 1e6 * JIT_QUIET_SHARE;
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
        return share(cpuAtWindowStart, cpuAtWindowEnd);
    }

    /** The server's CPU share of one core over the window; negative when unknown. */
    double serverCpuShare() {
        return share(serverCpuAtWindowStart, serverCpuAtWindowEnd);
    }

    /** How long the warm-up lasted, in seconds. */
    double warmupSeconds() {
        return warmupNanos / 1e9;
    }

    /** Milliseconds this JVM's JIT compiler spent inside the window; negative when unknown. */
    long jitMillisInWindow() {
        return jitMillisAtWindowStart < 0 || jitMillisAtWindowEnd < 0 ? -1 : jitMillisAtWindowEnd - jitMillisAtWindowStart;
    }

    private double share(long atStart, long atEnd) {
        if (atStart < 0 || atEnd < 0) {
            return -1;
        }
        return (atEnd - atStart) / 1e9 / windowSeconds();
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
        return -1;
    }

    /** The server's CPU time; -1 without its id; an unreadable one (the server is gone) fails the run. */
    private long serverCpuNanos() {
        if (serverProcess == null) {
            return -1;
        }
        try {
            return serverProcess.cpuNanos();
        } catch (IOException | RuntimeException e) {
            fail(Outcome.SERVER_FAILED, "cannot read the CPU time of server process " + serverProcess.pid() + ": "
                    + describe(e));
            return -1;
        }
    }

    /** Total JIT compile time of this JVM in milliseconds; -1 when it is not reported. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Stops the loops (quickly: every connection is closed by then) and releases the payload table. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        payloads.release();
    }
}
