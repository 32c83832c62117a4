package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.tcp.TcpChannelInitializer;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Tests a TCP {@link Protocol} without a socket: an {@link EmbeddedChannel} whose pipeline is core's
 * standard TCP pipeline, so the protocol runs between exactly the handlers a {@code TcpServer} puts
 * around it (idle policy, flow control, the exception tail). Write bytes or lines in, read what the
 * protocol wrote back as bytes or strings; {@link #close()} releases every buffer left and fails if
 * Netty reported a leak (leak detection is turned to paranoid while testers are in use).
 *
 * <pre>{@code
 * try (ProtocolTester tester = ProtocolTester.of(new UpperProtocol())) {
 *     tester.writeLine("hello");
 *     assertThat(tester.readLines()).containsExactly("HELLO");
 * }
 * }</pre>
 *
 * <p>Each tester is one connection with its own channel id, so several can share state such as
 * a {@code ChannelGroup}, as a server's connections do. Time is the channel's own: {@link #advanceTimeBy(Duration)} runs the timers that fall due (idle
 * timeouts, write stalls) at once, without sleeping. Not thread-safe: use it from the test's thread.
 */
public final class ProtocolTester implements AutoCloseable {

    private final EmbeddedChannel channel;
    private final ServerMetrics metrics = new ServerMetrics();
    private boolean closed;

    private ProtocolTester(Protocol protocol, ServerConfig config) {
        // A unique id (EmbeddedChannel's default is shared): testers may then share a ChannelGroup.
        Leaks.install();
        channel = new EmbeddedChannel(DefaultChannelId.newInstance(),
                new TcpChannelInitializer(config, new ServerContext(metrics), protocol, null));
    }

    /** A tester for {@code protocol} behind core's default configuration ({@link ServerConfig#defaults()}). */
    public static ProtocolTester of(Protocol protocol) {
        return of(protocol, ServerConfig.defaults());
    }

    /**
     * A tester for {@code protocol} behind the handlers {@code config} asks for: for example an idle
     * timeout, to test the protocol's own {@code IdlePolicy}.
     */
    public static ProtocolTester of(Protocol protocol, ServerConfig config) {
        return new ProtocolTester(Objects.requireNonNull(protocol, "protocol"), Objects.requireNonNull(config, "config"));
    }

    /**
     * Delivers {@code bytes} as one inbound read, as a socket read would, then runs pending tasks.
     *
     * @throws IllegalStateException if the connection is already closed (by the protocol or a core handler)
     */
    public ProtocolTester writeBytes(byte... bytes) {
        ensureNotClosed();
        if (!channel.isOpen()) {
            throw new IllegalStateException("cannot write: the connection was closed");
        }
        // From the channel's allocator, so the leak detector tracks it as it would a socket read.
        channel.writeInbound(channel.alloc().buffer(bytes.length).writeBytes(bytes));
        channel.runPendingTasks();
        return this;
    }

    /** Delivers {@code text} encoded as UTF-8 as one inbound read. */
    public ProtocolTester writeString(String text) {
        return writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Delivers {@code line} and a {@code \n} as one inbound read. */
    public ProtocolTester writeLine(String line) {
        return writeString(line + "\n");
    }

    /**
     * Fires a user event from the head of the pipeline, as core's handlers would: for example
     * {@code IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT}.
     */
    public ProtocolTester fireEvent(Object event) {
        ensureNotClosed();
        channel.pipeline().fireUserEventTriggered(event);
        channel.runPendingTasks();
        return this;
    }

    /** Moves the channel's clock forward and runs every timer and task that fell due. */
    public ProtocolTester advanceTimeBy(Duration duration) {
        ensureNotClosed();
        // Step from one timer to the next, as a running event loop would, so that periodic timers
        // (idle detection ticks) run at their times rather than once at the end.
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
     * Everything the protocol wrote and flushed since the last read, as one byte array (empty if
     * nothing). Each buffer is released here.
     *
     * @throws AssertionError if the protocol wrote something other than a {@link ByteBuf}, which a
     *     socket could not send: usually a missing encoder
     */
    public byte[] readBytes() {
        ensureNotClosed();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            try {
                if (!(msg instanceof ByteBuf)) {
                    throw new AssertionError("the protocol wrote a " + msg.getClass().getName()
                            + ", not a ByteBuf: is an encoder missing? (" + msg + ")");
                }
                out.writeBytes(ByteBufUtil.getBytes((ByteBuf) msg));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return out.toByteArray();
    }

    /** {@link #readBytes()} decoded as UTF-8. */
    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /**
     * {@link #readString()} split into lines, without their {@code \n} or {@code \r\n}.
     *
     * @throws AssertionError if the output does not end with a line separator
     */
    public List<String> readLines() {
        String text = readString();
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("the protocol's output ends with an incomplete line: " + text);
        }
        String[] parts = text.split("\n", -1);
        List<String> lines = new ArrayList<>(parts.length - 1);
        for (int i = 0; i < parts.length - 1; i++) {
            String line = parts[i];
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return lines;
    }

    /**
     * The next message the protocol passed on past its last handler (to core's tail), or null: what
     * a decoder under test produced. The caller owns it and releases it if reference-counted.
     */
    public <T> T readInbound() {
        return channel.readInbound();
    }

    /** Whether the protocol (or a core handler) has not closed the connection. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** The counters core's handlers keep for this connection. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The channel itself, for what this class does not cover. */
    public EmbeddedChannel channel() {
        return channel;
    }

    /**
     * Closes the channel as a disconnecting peer would, releases every message still queued in
     * either direction, and fails if Netty's leak detector reported a buffer never released.
     * Idempotent.
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
        Leaks.assertNone("a ProtocolTester's connection");
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("this ProtocolTester is closed");
        }
    }
}
