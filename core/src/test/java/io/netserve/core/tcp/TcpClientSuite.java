package io.netserve.core.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.client.Connector;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.client.TcpClientInitializer;
import io.netserve.core.server.ServerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netserve.core.metrics.ServerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TcpClient} and {@link RequestClient} end to end over loopback against core's own
 * {@link TcpServer}: connecting (refused, timed out, every address tried), request and reply in
 * order, timeouts, failures when the server closes, reconnecting, backpressure and a shared event
 * loop. Written once and run for each transport that loads here by a thin subclass. Every client
 * and server is closed after each test, and no client thread is left behind.
 */
abstract class TcpClientSuite {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Protocol ECHO = pipeline -> pipeline.addLast("echo", EchoTestHandler.INSTANCE);
    /** Requests and replies are lines, sent with their line end and received without it. */
    private static final Protocol LINES = pipeline -> pipeline.addLast(new LineBasedFrameDecoder(1 << 20),
            new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8));

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** The transport under test. */
    abstract Transport transport();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        await().atMost(AWAIT).untilAsserted(() -> assertThat(clientThreads()).isEmpty());
    }

    @Test
    void connectsAndTalksOnTheTransportAsked() throws Exception {
        TcpServer server = server(ECHO);
        List<String> received = new CopyOnWriteArrayList<>();
        TcpClient client = client(config(server), pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf bytes = (ByteBuf) msg;
                received.add(bytes.toString(StandardCharsets.US_ASCII));
                bytes.release();
            }
        }));

        client.channel().writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)).sync();

        await().atMost(AWAIT).until(() -> String.join("", received).equals("hello"));
        assertThat(client.transport()).isEqualTo(transport());
        assertThat(client.state()).isEqualTo(TcpClient.State.CONNECTED);
        assertThat(client.remoteAddress()).isEqualTo(server.localAddress());
        assertThat(client.localAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(client.metrics().connectionsTotal()).isEqualTo(1);
        assertThat(client.metrics().bytesOut()).isEqualTo(5);
        assertThat(client.toString()).contains("127.0.0.1:" + server.localAddress().getPort(), transport().cliName());
    }

    @Test
    void aRefusedConnectionIsAConnectExceptionNamingTheAddress() throws Exception {
        int port = freePort();

        assertThatThrownBy(() -> TcpClient.connect(ClientConfig.builder("127.0.0.1", port).transport(transport()).build(), ECHO))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void aServerThatNeverAcceptsIsAConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> queued = fillBacklog(full);
            try {
                ClientConfig config = ClientConfig.builder("127.0.0.1", full.getLocalPort()).transport(transport())
                        .connectTimeout(Duration.ofMillis(300)).build();

                assertThatThrownBy(() -> TcpClient.connect(config, ECHO))
                        .isInstanceOf(ConnectTimeoutException.class)
                        .hasMessage("cannot connect to 127.0.0.1:" + full.getLocalPort() + ": no answer within 300 ms");
            } finally {
                for (Socket c : queued) {
                    c.close();
                }
            }
        }
    }

    @Test
    void anUnknownHostSaysSo() {
        assertThatThrownBy(() -> TcpClient.connect(ClientConfig.builder("no-such-host.invalid", 7).build(), ECHO))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("cannot resolve host 'no-such-host.invalid': unknown host");
    }

    @Test
    void everyAddressIsTriedInOrderUntilOneAnswers() throws Exception {
        TcpServer server = server(ECHO);
        int port = server.localAddress().getPort();
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), port);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        EventLoopGroup group = group();
        Bootstrap bootstrap = new Bootstrap().group(group.next()).channel(transport().socketChannelClass())
                .handler(new TcpClientInitializer(config(server).build(), new ServerContext(new ServerMetrics()), null, ECHO));
        Connector connector = new Connector(bootstrap, "localhost", port, 5_000);

        Future<Channel> connected = connector.connect(List.of(v6, v4)).awaitUninterruptibly();

        assertThat(connected.isSuccess()).as("%s", connected.cause()).isTrue();
        assertThat(connected.getNow().remoteAddress()).isEqualTo(v4);
        connected.getNow().close().sync();

        int unused = freePort();
        Future<Channel> none = connector.connect(List.of(new InetSocketAddress(v6.getAddress(), unused),
                new InetSocketAddress(v4.getAddress(), unused))).awaitUninterruptibly();
        assertThat(none.cause()).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("cannot connect to localhost:" + port + " at any of its 2 addresses ([::1]:" + unused + ": ")
                .hasMessageEndingWith("; 127.0.0.1:" + unused + ": Connection refused)");
    }

    @Test
    void aNameConnectsWhateverItsAddresses() throws Exception {
        TcpServer server = server(ECHO);
        RequestClient<String, String> client = requests(ClientConfig.builder("localhost", server.localAddress().getPort())
                .transport(transport()).build());

        assertThat(client.send("hi\n")).isEqualTo("hi");
    }

    @Test
    void aThousandPipelinedRequestsAreAnsweredInOrder() throws Exception {
        TcpServer server = server(ECHO);
        RequestClient<String, String> client = requests(config(server).build());

        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            replies.add(client.sendAsync("request " + i + "\n"));
        }

        for (int i = 0; i < 1000; i++) {
            assertThat(replies.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("request " + i);
        }
        assertThat(client.inFlight()).isZero();
        assertThat(server.metrics().bytesIn()).isEqualTo(client.client().metrics().bytesOut());
    }

    @Test
    void aRequestWithoutItsReplyTimesOutAndItsLateReplyIsDropped() throws Exception {
        // Answers nothing until the second line, then both: the first reply comes after its request timed out.
        TcpServer server = server(pipeline -> pipeline.addLast(new LineBasedFrameDecoder(1024),
                new ChannelInboundHandlerAdapter() {
                    private ByteBuf first;
                    private boolean held;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf line = (ByteBuf) msg;
                        if (!held) {
                            held = true;
                            first = line;
                            return;
                        }
                        ctx.write(first);
                        first = null;
                        ctx.write(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
                        ctx.write(line);
                        ctx.writeAndFlush(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        if (first != null) {
                            first.release();
                        }
                        ctx.fireChannelInactive();
                    }
                }));
        RequestClient<String, String> client = requests(config(server).requestTimeout(Duration.ofMillis(200)).build());

        assertThatThrownBy(() -> client.send("first\n"))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("no reply from 127.0.0.1:" + server.localAddress().getPort() + " within 200 ms");
        CompletableFuture<String> second = client.sendAsync("second\n");

        assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void everyPendingRequestFailsWhenTheServerCloses() throws Exception {
        AtomicInteger lines = new AtomicInteger();
        TcpServer server = server(pipeline -> pipeline.addLast(new LineBasedFrameDecoder(1024),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        lines.incrementAndGet();
                    }
                }));
        RequestClient<String, String> client = requests(config(server).build());
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(client.sendAsync("unanswered " + i + "\n"));
        }
        await().atMost(AWAIT).until(() -> lines.get() == 10);

        server.close();

        for (CompletableFuture<String> request : pending) {
            assertThatThrownBy(() -> request.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isExactlyInstanceOf(EOFException.class)
                    .hasMessage("connection closed by " + "127.0.0.1:" + server.localAddress().getPort() + " before its reply");
        }
        await().atMost(AWAIT).until(() -> client.client().state() == TcpClient.State.CLOSED);
        client.client().closeFuture().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(client.inFlight()).isZero();
        assertThatThrownBy(() -> client.send("after\n")).isExactlyInstanceOf(IOException.class)
                .hasMessage("the connection to 127.0.0.1:" + server.localAddress().getPort() + " is closed");
    }

    @Test
    void reconnectsWhenTheServerRestartsOnTheSamePort() throws Exception {
        TcpServer first = server(ECHO);
        int port = first.localAddress().getPort();
        List<TcpClient.State> states = new CopyOnWriteArrayList<>();
        RequestClient<String, String> client = requests(config(first).reconnect(true)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
        client.client().onStateChange((state, cause) -> states.add(state));
        assertThat(client.send("before\n")).isEqualTo("before");

        first.close();
        await().atMost(AWAIT).until(() -> client.client().state() == TcpClient.State.RECONNECTING);
        assertThatThrownBy(() -> client.send("meanwhile\n")).isExactlyInstanceOf(ConnectException.class)
                .hasMessage("not connected to 127.0.0.1:" + port + ": reconnecting");
        await().atMost(AWAIT).until(() -> states.size() >= 2); // the loss, and at least one failed attempt

        server(ServerConfig.builder().port(port).transport(transport()), ECHO);
        await().atMost(AWAIT).until(() -> client.client().state() == TcpClient.State.CONNECTED);

        assertThat(client.send("after\n")).isEqualTo("after");
        assertThat(states).startsWith(TcpClient.State.RECONNECTING).endsWith(TcpClient.State.CONNECTED)
                .doesNotContain(TcpClient.State.CLOSED);
        assertThat(client.client().metrics().connectionsTotal()).isEqualTo(2);

        client.close();
        assertThat(states).endsWith(TcpClient.State.CLOSED);
    }

    @Test
    void aServerThatStopsReadingCostsBoundedMemory() throws Exception {
        TcpServer server = server(pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.channel().config().setAutoRead(false);
                ctx.fireChannelActive();
            }
        }));
        int max = 512;   // 32 MiB of requests: more than the socket buffers of both ends hold
        int size = 64 * 1024;
        RequestClient<String, String> client = requests(config(server).maxRequestsInFlight(max)
                .requestTimeout(Duration.ZERO).writeBufferWaterMark(32 * 1024, 64 * 1024).build());
        String big = "x".repeat(size - 1) + "\n";

        List<CompletableFuture<String>> accepted = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            accepted.add(client.sendAsync(big));
        }
        CompletableFuture<String> oneMore = client.sendAsync(big);

        assertThatThrownBy(oneMore::join).cause().isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage(max + " requests already in flight to 127.0.0.1:" + server.localAddress().getPort());
        Channel ch = client.client().channel();
        await().atMost(AWAIT).until(() -> !ch.isWritable());
        long pending = ch.eventLoop().submit(() -> {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            return out == null ? 0L : out.totalPendingWriteBytes();
        }).get(20, TimeUnit.SECONDS);
        assertThat(pending).as("bytes held by the client").isLessThanOrEqualTo(64 * 1024 + 2L * size);
        assertThat(client.inFlight()).isEqualTo(max);
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void aClientRunsOnTheEventLoopsOfAServer() throws Exception {
        TcpServer server = server(ECHO);
        ClientConfig config = config(server).eventLoopGroup(server.eventLoopGroup()).build();
        RequestClient<String, String> client = requests(config);

        assertThat(client.send("shared\n")).isEqualTo("shared");
        assertThat(client.client().transport()).isEqualTo(transport());
        String thread = client.client().channel().eventLoop().submit(() -> Thread.currentThread().getName())
                .get(20, TimeUnit.SECONDS);
        assertThat(thread).startsWith("netserve-tcp");
        assertThat(clientThreads()).isEmpty();

        client.close();
        assertThat(server.eventLoopGroup().isShuttingDown()).isFalse();
        RequestClient<String, String> again = requests(config);
        assertThat(again.send("still\n")).isEqualTo("still");
    }

    @Test
    void aLostConnectionClosesAClientWithoutReconnect() throws Exception {
        TcpServer server = server(ECHO);
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        TcpClient client = client(config(server), ECHO);
        client.onStateChange((state, cause) -> causes.add(cause));

        server.close();

        client.closeFuture().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(TcpClient.State.CLOSED);
        assertThat(causes).singleElement().isInstanceOf(EOFException.class)
                .extracting(Throwable::getMessage).isEqualTo("connection to 127.0.0.1:"
                        + server.localAddress().getPort() + " lost");
        await().atMost(AWAIT).untilAsserted(() -> assertThat(clientThreads()).isEmpty());
    }

    @Test
    void anIdleConnectionIsClosedByTheClient() throws Exception {
        TcpServer server = server(ECHO);
        TcpClient client = client(config(server).allIdleTimeout(Duration.ofMillis(200)), ECHO);

        client.closeFuture().toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(client.metrics().idleClosed()).isEqualTo(1);
    }

    @Test
    void closeFromTheEventLoopDoesNotWait() throws Exception {
        TcpServer server = server(ECHO);
        TcpClient client = client(config(server), ECHO);

        client.channel().eventLoop().submit(client::close).get(20, TimeUnit.SECONDS);

        client.closeFuture().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(TcpClient.State.CLOSED);
        client.close();
    }

    private ClientConfig.Builder config(TcpServer server) {
        return ClientConfig.builder("127.0.0.1", server.localAddress().getPort()).transport(transport());
    }

    private TcpServer server(Protocol protocol) throws ServerStartException {
        return server(ServerConfig.builder().transport(transport()), protocol);
    }

    private TcpServer server(ServerConfig.Builder config, Protocol protocol) throws ServerStartException {
        TcpServer server = TcpServer.start(config.ioThreads(1).shutdownTimeout(Duration.ofSeconds(2)).build(), protocol);
        closeables.add(server);
        return server;
    }

    private TcpClient client(ClientConfig.Builder config, Protocol protocol) throws IOException {
        TcpClient client = TcpClient.connect(config.build(), protocol);
        closeables.add(client);
        return client;
    }

    private RequestClient<String, String> requests(ClientConfig config) throws IOException {
        RequestClient<String, String> client = RequestClient.connect(config, LINES, String.class);
        closeables.add(client);
        return client;
    }

    private EventLoopGroup group() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport().ioHandlerFactory());
        closeables.add(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        return group;
    }

    /** Connections that fill {@code server}'s accept queue, which never drains: the next SYN goes unanswered. */
    private static List<Socket> fillBacklog(ServerSocket server) throws IOException {
        List<Socket> queued = new ArrayList<>();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(address, 1_000);
                queued.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return queued; // this one was not answered: the queue is full
            }
        }
        throw new IllegalStateException("the accept queue of " + address + " never filled");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("netserve-client") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
