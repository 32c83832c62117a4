package io.netserve.echo.tcp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.Protocol;
import io.netserve.core.tcp.TcpServer;
import io.netserve.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

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
 * thin subclass; a transport that does not load here is skipped. It tests what the echo does (every
 * byte back, half-close, the drain of an echo in flight); core's guards (idle, stall, limits,
 * backpressure) are tested once, in core, on every transport.
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
        Protocol protocol = pipeline -> pipeline.addLast("echo", EchoHandler.INSTANCE);
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

    private Socket connect(TcpServer server) throws IOException {
        InetSocketAddress address = server.localAddress();
        Socket s = Loopback.connect(address);
        sockets.add(s);
        return s;
    }
}
