package io.netserve.bench;

import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.tcp.IdleDetectionHandler;
import io.netserve.core.internal.udp.SourceRateLimiter;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The per-message cost of each of core's hot-path handlers on its own, against an empty pipeline:
 * traffic metrics (two counters a message), idle detection (a counter a read batch and a write),
 * and the per-source rate limiter (a table lookup a datagram, over {@code sources} sources). Each
 * runs on an {@link EmbeddedChannel}: handler work only, no system calls.
 *
 * <pre>
 * java -jar bench/target/netserve-bench.jar HandlerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandlerBenchmark {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7);

    @Param({"1", "65536"})
    int sources;

    private EmbeddedChannel empty;
    private EmbeddedChannel metrics;
    private EmbeddedChannel idle;
    private EmbeddedChannel rateLimit;
    private ByteBuf payload;
    private InetSocketAddress[] senders;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
        ServerContext context = new ServerContext(new ServerMetrics());
        empty = new EmbeddedChannel();
        metrics = new EmbeddedChannel(new TrafficMetricsHandler(context));
        idle = new EmbeddedChannel(new IdleDetectionHandler(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(300)));
        rateLimit = new EmbeddedChannel(new SourceRateLimiter(1_000_000_000, 65_536, context));
        senders = new InetSocketAddress[sources];
        for (int i = 0; i < sources; i++) {
            senders[i] = new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 40000);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (EmbeddedChannel ch : new EmbeddedChannel[] {empty, metrics, idle, rateLimit}) {
            ch.finishAndReleaseAll();
        }
        payload.release();
    }

    /** A read and a write through an empty pipeline: the baseline. */
    @Benchmark
    public Object emptyPipeline() {
        return through(empty, payload.retainedDuplicate());
    }

    /** A read and a write counted by the traffic metrics. */
    @Benchmark
    public Object trafficMetrics() {
        return through(metrics, payload.retainedDuplicate());
    }

    /** A read (with its batch's end) and a write seen by idle detection. */
    @Benchmark
    public Object idleDetection() {
        return through(idle, payload.retainedDuplicate());
    }

    /** A datagram from the next of {@code sources} sources through the rate limiter. */
    @Benchmark
    public Object rateLimiter() {
        InetSocketAddress sender = senders[next++ % senders.length];
        return through(rateLimit, new DatagramPacket(payload.retainedDuplicate(), SERVER, sender));
    }

    private static Object through(EmbeddedChannel ch, Object msg) {
        ch.writeInbound(msg);
        Object in = ch.readInbound();
        ch.writeOneOutbound(in);
        ch.flushOutbound();
        Object out = ch.readOutbound();
        ReferenceCountUtil.release(out);
        return out;
    }
}
