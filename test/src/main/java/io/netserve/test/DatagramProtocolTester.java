package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.udp.UdpChannelInitializer;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Tests a UDP {@link Protocol} without a socket, the datagram counterpart of
 * {@link ProtocolTester}: an {@link EmbeddedChannel} whose pipeline is core's standard datagram
 * pipeline, so the protocol runs behind exactly the guards a {@code UdpServer} puts in front of it
 * (oversize, privileged source ports, the rate limit). Deliver datagrams from any source address,
 * read the datagrams the protocol sent back with their recipients; {@link #close()} releases what
 * is left and fails if Netty reported a leak.
 *
 * <pre>{@code
 * try (DatagramProtocolTester tester = DatagramProtocolTester.of(new CounterProtocol(Duration.ofSeconds(60), 100))) {
 *     tester.writeDatagram("hello", DatagramProtocolTester.CLIENT);
 *     assertThat(tester.readStrings()).containsExactly("1 hello");
 * }
 * }</pre>
 *
 * <p>Time is the channel's own: {@link #advanceTimeBy(Duration)} runs the timers that fall due
 * (session expiry, rate-limit windows) at once. Not thread-safe: use it from the test's thread.
 */
public final class DatagramProtocolTester implements AutoCloseable {

    /** A source address that passes the guards: loopback, an unprivileged port. */
    public static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);

    /** The address the datagrams are delivered to, as a server's channel would be bound. */
    public static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 65_432);

    private final EmbeddedChannel channel;
    private final ServerMetrics metrics = new ServerMetrics();
    private boolean closed;

    private DatagramProtocolTester(Protocol protocol, ServerConfig config) {
        Leaks.install();
        channel = new EmbeddedChannel(new UdpChannelInitializer(config, new ServerContext(metrics), protocol));
    }

    /** A tester for {@code protocol} behind core's default configuration. */
    public static DatagramProtocolTester of(Protocol protocol) {
        return of(protocol, ServerConfig.defaults());
    }

    /**
     * A tester for {@code protocol} behind the guards {@code config} asks for, for example a rate
     * limit or a smaller maximum datagram size.
     */
    public static DatagramProtocolTester of(Protocol protocol, ServerConfig config) {
        return new DatagramProtocolTester(Objects.requireNonNull(protocol, "protocol"),
                Objects.requireNonNull(config, "config"));
    }

    /** Delivers one datagram of {@code payload} from {@code sender}, as one read batch, then runs pending tasks. */
    public DatagramProtocolTester writeDatagram(byte[] payload, InetSocketAddress sender) {
        ensureNotClosed();
        ByteBuf content = channel.alloc().buffer(payload.length).writeBytes(payload);
        channel.writeInbound(new io.netty.channel.socket.DatagramPacket(content, SERVER, sender));
        channel.runPendingTasks();
        return this;
    }

    /** Delivers {@code text} encoded as UTF-8 as one datagram from {@code sender}. */
    public DatagramProtocolTester writeDatagram(String text, InetSocketAddress sender) {
        return writeDatagram(text.getBytes(StandardCharsets.UTF_8), sender);
    }

    /** Moves the channel's clock forward and runs every timer and task that fell due, in order. */
    public DatagramProtocolTester advanceTimeBy(Duration duration) {
        ensureNotClosed();
        long remaining = duration.toNanos();
        while (true) {
            channel.runPendingTasks();
            long next = channel.runScheduledPendingTasks();
            long step = next < 0 || next > remaining ? remaining : Math.max(1, next);
            if (step == 0) {
                return this;
            }
            channel.advanceTimeBy(step, TimeUnit.NANOSECONDS);
            remaining -= step;
        }
    }

    /**
     * The datagrams the protocol sent and flushed since the last read, each with exactly its bytes
     * and its recipient as the socket address. Each buffer is released here.
     *
     * @throws AssertionError if the protocol wrote something that is not an addressed datagram
     */
    public List<DatagramPacket> readDatagrams() {
        ensureNotClosed();
        List<DatagramPacket> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            try {
                if (!(msg instanceof io.netty.channel.socket.DatagramPacket)) {
                    throw new AssertionError("the protocol wrote a " + msg.getClass().getName()
                            + ", not an addressed DatagramPacket (" + msg + ")");
                }
                io.netty.channel.socket.DatagramPacket packet = (io.netty.channel.socket.DatagramPacket) msg;
                byte[] bytes = ByteBufUtil.getBytes(packet.content());
                out.add(new DatagramPacket(bytes, bytes.length, packet.recipient()));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return out;
    }

    /** {@link #readDatagrams()}, each decoded as UTF-8. */
    public List<String> readStrings() {
        List<String> texts = new ArrayList<>();
        for (DatagramPacket p : readDatagrams()) {
            texts.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
        return texts;
    }

    /** The counters core's handlers keep: datagrams in and out, drops by reason. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The channel itself, for what this class does not cover. */
    public EmbeddedChannel channel() {
        return channel;
    }

    /**
     * Closes the channel (ending a protocol's sessions), releases every message still queued, and
     * fails if Netty's leak detector reported a buffer never released. Idempotent.
     *
     * @throws AssertionError on a leak report
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.finishAndReleaseAll();
        Leaks.assertNone("a DatagramProtocolTester's channel");
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("this DatagramProtocolTester is closed");
        }
    }
}
