package io.netserve.bench;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.tcp.TcpChannelInitializer;
import io.netserve.echo.tcp.EchoHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
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

import java.util.concurrent.TimeUnit;

/**
 * What core's standard TCP pipeline costs per echoed buffer: the echo handler alone (the baseline
 * a hand-wired Netty echo has) against the same handler behind {@link TcpChannelInitializer}
 * (limit, metrics, idle detection, backpressure, write stall, exception tail). Both run on an
 * {@link EmbeddedChannel}, so the figure is pipeline work only, no system calls.
 *
 * <pre>
 * java -jar bench/target/netserve-bench.jar PipelineBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    @Param({"64", "16384"})
    int size;

    private EmbeddedChannel bare;
    private EmbeddedChannel full;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setUp() {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeZero(size);
        bare = new EmbeddedChannel(EchoHandler.INSTANCE);
        ServerConfig config = ServerConfig.builder().build();
        full = new EmbeddedChannel(new TcpChannelInitializer(config, new ServerContext(new ServerMetrics()),
                p -> p.addLast("echo", EchoHandler.INSTANCE), null));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.finishAndReleaseAll();
        full.finishAndReleaseAll();
        payload.release();
    }

    /** The echo handler alone. */
    @Benchmark
    public Object echoHandlerAlone() {
        return roundTrip(bare);
    }

    /** The echo handler behind core's standard pipeline. */
    @Benchmark
    public Object echoBehindCorePipeline() {
        return roundTrip(full);
    }

    private Object roundTrip(EmbeddedChannel ch) {
        ch.writeInbound(payload.retainedDuplicate());
        Object out = ch.readOutbound();
        ReferenceCountUtil.release(out);
        return out;
    }
}
