package io.netserve.bench;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.udp.UdpChannelInitializer;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.util.concurrent.TimeUnit;

/**
 * What core's standard datagram pipeline costs per echoed datagram: an echo alone against the same
 * echo behind {@link UdpChannelInitializer} (metrics, oversize and source-port guards, and with
 * {@code rateLimit > 0} the per-source rate limiter). On an {@link EmbeddedChannel}: pipeline work
 * only, no system calls.
 *
 * <pre>
 * java -jar bench/target/netserve-bench.jar UdpPipelineBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UdpPipelineBenchmark {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Param({"0", "10000000"})
    int rateLimit;

    private EmbeddedChannel bare;
    private EmbeddedChannel full;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setUp() {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
        bare = new EmbeddedChannel(new Echo());
        ServerConfig config = ServerConfig.builder().rateLimitPerSecond(rateLimit).build();
        full = new EmbeddedChannel(new UdpChannelInitializer(config, new ServerContext(new ServerMetrics()),
                p -> p.addLast("echo", new Echo())));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.finishAndReleaseAll();
        full.finishAndReleaseAll();
        payload.release();
    }

    /** The echo alone. */
    @Benchmark
    public Object echoAlone() {
        return roundTrip(bare);
    }

    /** The echo behind core's standard datagram pipeline. */
    @Benchmark
    public Object echoBehindCorePipeline() {
        return roundTrip(full);
    }

    private Object roundTrip(EmbeddedChannel ch) {
        ch.writeInbound(new DatagramPacket(payload.retainedDuplicate(), SERVER, CLIENT));
        Object out = ch.readOutbound();
        ReferenceCountUtil.release(out);
        return out;
    }

    /** Answers each datagram to its sender with the same buffer, flushed per batch, as echo-udp does. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
