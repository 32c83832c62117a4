package io.netserve.echo.tcp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.pipeline.Protocol;
import io.netserve.core.server.TcpServer;
import io.netserve.core.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static io.netserve.echo.tcp.Loopback.assertClosedByPeer;
import static io.netserve.echo.tcp.Loopback.assertEchoes;
import static io.netserve.echo.tcp.Loopback.call;
import static io.netserve.echo.tcp.Loopback.randomBytes;
import static io.netserve.echo.tcp.Loopback.readAndVerify;
import static io.netserve.echo.tcp.Loopback.writeChunked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TCP echo service end to end: a {@link TcpServer} with {@link EchoHandler} on a loopback port
 * chosen by the OS, driven by blocking java.net clients. Written once, run for each transport by a
 * thin subclass; a transport that does not load here is skipped.
 */
abstract class EchoServerSuite {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int HIGH_WATER_MARK = 64 * 1024;
    private static final int LOW_WATER_MARK = 32 * 1024;

    private final Transport transport;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<TcpServer> servers = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    EchoServerSuite(Transport transport) {
        this.transport = transport;
    }

    @BeforeEach
    void transportLoads() {
        assumeTrue(transport.isAvailable(), () -> transport.cliName() + " does not load here: "
                + transport.unavailabilityCause().map(Throwable::getMessage).orElse(""));
    }

    @AfterEach
    void closeEverything() throws Exception {
        pool.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        for (TcpServer server : servers) {
            server.close();
        }
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    @Test
    void echoesOneByte() throws Exception {
        Socket s = connect(start(b -> b));

        assertEchoes(s, new byte[] {42});
    }

    @Test
    void echoesEveryByteValue() throws Exception {
        Socket s = connect(start(b -> b));
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }

        assertEchoes(s, all);
    }

    @Test
    void echoesTenMebibytesWhileTheClientReadsConcurrently() throws Exception {
        TcpServer server = start(b -> b);
        Socket s = connect(server);
        byte[] data = randomBytes(10 << 20, 1);

        Future<?> writer = pool.submit(call(() -> writeChunked(s.getOutputStream(), data, 0, data.length, null)));
        readAndVerify(s.getInputStream(), data, null);

        writer.get(30, TimeUnit.SECONDS);
        assertThat(server.metrics().bytesIn()).isEqualTo(data.length);
        await().atMost(WAIT).until(() -> server.metrics().bytesOut() == data.length);
    }

    @Test
    void servesTwoHundredConcurrentConnectionsEachWithItsOwnBytes() throws Exception {
        TcpServer server = start(b -> b);
        int connections = 200;
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            open.add(connect(server));
        }
        await().atMost(WAIT).until(() -> server.metrics().connectionsActive() == connections);

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = open.get(i);
            byte[] payload = randomBytes(1024 + 61 * i, 1000 + i);   // distinct sizes and contents
            tasks.add(() -> {
                assertEchoes(s, payload);
                return null;
            });
        }
        for (Future<Void> done : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
            done.get();   // rethrows a failed comparison; CancellationException if one timed out
        }
        assertThat(server.metrics().connectionsActive()).isEqualTo(connections);
    }

    @Test
    void halfCloseGetsEverythingBackThenEndOfStream() throws Exception {
        TcpServer server = start(b -> b);
        Socket s = connect(server);
        byte[] data = randomBytes(1 << 20, 2);

        Future<?> writer = pool.submit(call(() -> {
            writeChunked(s.getOutputStream(), data, 0, data.length, null);
            s.shutdownOutput();
        }));
        readAndVerify(s.getInputStream(), data, null);

        assertThat(s.getInputStream().read()).as("end of stream after the echo").isEqualTo(-1);
        writer.get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> server.metrics().connectionsActive() == 0);
    }

    @Test
    void halfCloseWhileTheServerStillOwesBytesGetsThemAllBack() throws Exception {
        TcpServer server = start(b -> b);
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(8 * 1024);   // a small window keeps the server's echo queued on its side
        s.setSoTimeout(Loopback.SO_TIMEOUT_MILLIS);
        s.connect(server.localAddress(), 10_000);
        byte[] data = randomBytes(1 << 20, 12);

        // Send everything and the end of input before reading a byte: the server reads the end of
        // input while it still has echo to send, and must send it all before closing.
        pool.submit(call(() -> {
            writeChunked(s.getOutputStream(), data, 0, data.length, null);
            s.shutdownOutput();
        })).get(30, TimeUnit.SECONDS);
        readAndVerify(s.getInputStream(), data, null);

        assertThat(s.getInputStream().read()).as("end of stream after the echo").isEqualTo(-1);
    }

    @Test
    void halfCloseWithNothingSentClosesAtOnce() throws Exception {
        Socket s = connect(start(b -> b));

        s.shutdownOutput();

        assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void idleConnectionIsClosedWhileAnActiveOneStays() throws Exception {
        TcpServer server = start(b -> b.allIdleTimeout(Duration.ofMillis(400)));
        Socket idle = connect(server);
        Socket active = connect(server);
        byte[] ping = {7};
        assertEchoes(idle, ping);
        assertEchoes(active, ping);

        // Each poll is an echo on the active connection, so it never goes idle; the poll fails at
        // once should the server close it.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertEchoes(active, ping);
            return server.metrics().idleClosed() == 1;
        });

        assertClosedByPeer(idle);
        assertEchoes(active, ping);
        assertThat(server.metrics().connectionsActive()).isEqualTo(1);
    }

    @Test
    void zeroIdleTimeoutLeavesAQuietConnectionOpen() throws Exception {
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        TcpServer server = start(b -> b.allIdleTimeout(Duration.ZERO), capturing(accepted));
        Socket s = connect(server);
        assertEchoes(s, new byte[] {1});

        assertThat(accepted).singleElement()
                .satisfies(ch -> assertThat(ch.pipeline().get(IdleStateHandler.class)).as("idle handler").isNull());
        await().during(Duration.ofSeconds(1)).atMost(WAIT)
                .until(() -> server.metrics().connectionsActive() == 1 && server.metrics().idleClosed() == 0);
        assertEchoes(s, new byte[] {2});
    }

    @Test
    void writeStallTimeoutClosesAPeerThatStoppedReading() throws Exception {
        TcpServer server = start(b -> b.writeStallTimeout(Duration.ofMillis(300)));
        Socket stalled = connect(server);
        Socket healthy = connect(server);

        // The stalled peer writes and never reads: the server becomes unwritable and, 300 ms later,
        // closes it; the blocked write then fails.
        Future<?> writer = pool.submit(call(() -> writeChunked(stalled.getOutputStream(), randomBytes(64 << 20, 8),
                0, 64 << 20, null)));
        await().atMost(WAIT).until(() -> server.metrics().stallClosed() == 1);

        assertThat(writer).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class);
        assertEchoes(healthy, randomBytes(1 << 20, 9));
        assertThat(server.metrics().connectionsActive()).isEqualTo(1);
    }

    @Test
    void aPeerThatStopsReadingDoesNotSlowAnotherOnTheSameEventLoop() throws Exception {
        TcpServer server = start(b -> b.ioThreads(1));   // one event loop serves both connections
        Socket rude = connect(server);
        Socket polite = connect(server);
        AtomicLong rudeWritten = new AtomicLong();

        pool.submit(call(() -> writeChunked(rude.getOutputStream(), randomBytes(64 << 20, 10), 0, 64 << 20,
                rudeWritten)));
        await().atMost(WAIT).until(() -> rudeWritten.get() >= 1 << 20);   // the rude peer is filling buffers

        byte[] data = randomBytes(10 << 20, 11);
        Future<?> writer = pool.submit(call(() -> writeChunked(polite.getOutputStream(), data, 0, data.length, null)));
        readAndVerify(polite.getInputStream(), data, null);
        writer.get(30, TimeUnit.SECONDS);
        assertThat(rudeWritten.get()).as("the rude peer is held back, not served").isLessThan(64 << 20);
    }

    @Test
    void connectionPastTheLimitIsClosedAtOnceAndTheOthersStillEcho() throws Exception {
        TcpServer server = start(b -> b.maxConnections(3));
        List<Socket> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(server);
            assertEchoes(s, new byte[] {(byte) i});
            admitted.add(s);
        }

        Socket fourth = connect(server);
        fourth.setSoTimeout(5_000);   // "at once": long before any idle timeout
        assertClosedByPeer(fourth);

        assertThat(server.metrics().connectionsRejected()).isEqualTo(1);
        for (Socket s : admitted) {
            assertEchoes(s, new byte[] {1, 2, 3});
        }
        admitted.get(0).close();
        await().atMost(WAIT).until(() -> server.metrics().connectionsActive() == 2);
        assertEchoes(connect(server), new byte[] {4});   // a freed slot admits a new connection
    }

    @Test
    void clientThatWritesWithoutReadingCannotGrowServerMemory() throws Exception {
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        TcpServer server = start(b -> b.writeBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK), capturing(accepted));
        Socket s = connect(server);
        byte[] data = randomBytes(64 << 20, 3);
        AtomicLong written = new AtomicLong();

        Future<?> writer = pool.submit(call(() -> writeChunked(s.getOutputStream(), data, 0, data.length, written)));
        await().atMost(WAIT).until(() -> accepted.size() == 1);
        Channel ch = accepted.get(0);
        long readBatch = readBatchBytes(ch);

        // Sample the server's pending outbound bytes on the channel's own event loop until the
        // writer can make no more progress (or is done): the client never reads meanwhile.
        Pending peak = new Pending();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            peak.add(sample(ch), written.get());
            return writer.isDone() || peak.stalledFor(10);
        });

        assertThat(peak.max).as("pending outbound bytes, bound = high water mark %d + one read batch %d",
                HIGH_WATER_MARK, readBatch).isLessThanOrEqualTo(HIGH_WATER_MARK + readBatch);
        assertThat(peak.sawBackpressure).as("server stopped reading while unwritable").isTrue();

        readAndVerify(s.getInputStream(), data, null);
        writer.get(30, TimeUnit.SECONDS);
        assertEchoes(s, new byte[] {9});
    }

    @Test
    void resetOfOneClientDoesNotDisturbAnotherMidStream() throws Exception {
        TcpServer server = start(b -> b);
        Socket steady = connect(server);
        Socket rude = connect(server);
        byte[] data = randomBytes(8 << 20, 4);
        int half = data.length / 2;
        CountDownLatch resetDone = new CountDownLatch(1);
        AtomicLong echoed = new AtomicLong();

        Future<?> writer = pool.submit(call(() -> {
            OutputStream out = steady.getOutputStream();
            writeChunked(out, data, 0, half, null);
            assertThat(resetDone.await(30, TimeUnit.SECONDS)).isTrue();
            writeChunked(out, data, half, data.length, null);
        }));
        Future<?> reader = pool.submit(call(() -> readAndVerify(steady.getInputStream(), data, echoed)));
        await().atMost(WAIT).until(() -> echoed.get() > 0);

        // The rude client leaves the server bytes to send, then resets instead of closing.
        pool.submit(call(() -> rude.getOutputStream().write(randomBytes(256 << 10, 5)))).get(30, TimeUnit.SECONDS);
        rude.setSoLinger(true, 0);
        rude.close();
        await().atMost(WAIT).until(() -> server.metrics().connectionsActive() == 1);
        resetDone.countDown();

        writer.get(30, TimeUnit.SECONDS);
        reader.get(30, TimeUnit.SECONDS);
        assertThat(echoed.get()).isEqualTo(data.length);
        assertEchoes(steady, new byte[] {1});
        assertEchoes(connect(server), new byte[] {2});
    }

    /**
     * The contract's shutdown: "finish echoing what was already received, close". TcpServer's own
     * promise is wider still: connections with bytes still arriving finish, until the shutdown
     * timeout. So a client that is mid-stream when close() begins gets every byte back, then EOF.
     */
    @Test
    void closeFinishesAnEchoInFlightThenEndsTheConnection() throws Exception {
        TcpServer server = start(b -> b.shutdownTimeout(Duration.ofSeconds(10)));
        Socket s = connect(server);
        byte[] data = randomBytes(32 << 20, 7);
        AtomicLong echoed = new AtomicLong();
        Future<?> reader = pool.submit(call(() -> {
            readAndVerify(s.getInputStream(), data, echoed);
            assertThat(s.getInputStream().read()).as("end of stream after the echo").isEqualTo(-1);
        }));

        // All of it is sent before the close (the drain owes what was received, not what comes
        // after), and megabytes of it are still in the buffers on their way back.
        writeChunked(s.getOutputStream(), data, 0, data.length, null);
        Future<?> closing = pool.submit(server::close);

        reader.get(30, TimeUnit.SECONDS);
        closing.get(30, TimeUnit.SECONDS);
        assertThat(echoed.get()).isEqualTo(data.length);
    }

    @Test
    void echoesOverIpv6Loopback() throws Exception {
        assumeTrue(Loopback.ipv6LoopbackAvailable(), "no IPv6 loopback here");
        TcpServer server = start(b -> b.host("::1"));
        assertThat(server.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(server.localAddress().getAddress().isLoopbackAddress()).isTrue();

        assertEchoes(connect(server), randomBytes(4096, 6));
    }

    private TcpServer start(UnaryOperator<ServerConfig.Builder> tweak) throws Exception {
        return start(tweak, pipeline -> pipeline.addLast("echo", EchoHandler.INSTANCE));
    }

    private TcpServer start(UnaryOperator<ServerConfig.Builder> tweak, Protocol protocol) throws Exception {
        ServerConfig config = tweak.apply(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .transport(transport)
                .ioThreads(2)
                .shutdownTimeout(Duration.ofSeconds(2))).build();
        TcpServer server = TcpServer.start(config, protocol);
        servers.add(server);
        assertThat(server.transport()).isEqualTo(transport);
        assertThat(server.localAddress().getPort()).isPositive();
        return server;
    }

    /** The echo protocol, plus a handler next to it that hands each server-side channel to the test. */
    private static Protocol capturing(List<Channel> accepted) {
        ChannelCapture capture = new ChannelCapture(accepted);
        return pipeline -> pipeline.addLast("capture", capture).addLast("echo", EchoHandler.INSTANCE);
    }

    private Socket connect(TcpServer server) throws IOException {
        InetSocketAddress address = server.localAddress();
        Socket s = Loopback.connect(address);
        sockets.add(s);
        return s;
    }

    /** The most bytes one read loop of {@code ch} can take in before it looks at autoRead again. */
    private static long readBatchBytes(Channel ch) {
        // Adaptive receive buffers grow to at most 64 KiB; a read loop reads at most maxMessagesPerRead of them.
        MaxMessagesRecvByteBufAllocator alloc = ch.config().getRecvByteBufAllocator();
        return (long) alloc.maxMessagesPerRead() * 64 * 1024;
    }

    private static Sample sample(Channel ch) throws Exception {
        return ch.eventLoop().submit(() -> {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            return new Sample(out == null ? 0 : out.totalPendingWriteBytes(), ch.config().isAutoRead(),
                    ch.isWritable());
        }).get(10, TimeUnit.SECONDS);
    }

    private record Sample(long pendingBytes, boolean autoRead, boolean writable) {
    }

    /** The peak of the samples, and whether the client's writes stopped making progress. */
    private static final class Pending {
        long max;
        boolean sawBackpressure;
        private long lastWritten = -1;
        private int unchanged;

        void add(Sample s, long written) {
            max = Math.max(max, s.pendingBytes());
            sawBackpressure |= !s.autoRead() && !s.writable();
            unchanged = written == lastWritten ? unchanged + 1 : 0;
            lastWritten = written;
        }

        boolean stalledFor(int samples) {
            return sawBackpressure && unchanged >= samples;
        }
    }

    /** Hands each server-side channel to the test; adds nothing to the data path. */
    @Sharable
    private static final class ChannelCapture extends ChannelInboundHandlerAdapter {
        private final List<Channel> channels;

        ChannelCapture(List<Channel> channels) {
            this.channels = channels;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channels.add(ctx.channel());
        }
    }
}
