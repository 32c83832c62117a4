package io.netserve.core.udp;

import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.config.ServerConfig;
import io.netserve.test.UdpRelay;
import io.netserve.test.UdpTestClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link UdpClient} end to end over loopback: requests and replies in both modes, retries through
 * a relay that loses a datagram, timeouts, strangers ignored, a refused port, bounds, and a shared
 * event loop. Written once and run for each transport that loads here by a thin subclass.
 */
abstract class UdpClientSuite {

    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** The transport under test. */
    abstract Transport transport();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        await().atMost(AWAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("netserve-client") && t.isAlive()));
    }

    @Test
    void aRequestGetsItsReplyOverAnUnconnectedSocket() throws Exception {
        UdpServer server = echo();
        UdpClient client = bind(config(server.localAddress()));

        assertThat(text(client.request(ascii("ping")))).isEqualTo("ping");
        assertThat(text(client.request(ascii("")))).isEmpty();
        assertThat(client.isConnected()).isFalse();
        assertThat(client.transport()).isEqualTo(transport());
        assertThat(client.remoteAddress()).isEqualTo(server.localAddress());
        assertThat(client.metrics().datagramsOut()).isEqualTo(2);
        assertThat(client.metrics().datagramsIn()).isEqualTo(2);
        assertThat(server.metrics().datagramsIn()).isEqualTo(2);
    }

    @Test
    void aRequestGetsItsReplyOverAConnectedSocket() throws Exception {
        UdpServer server = echo();
        UdpClient client = connect(config(server.localAddress()));

        assertThat(text(client.request(ascii("pong")))).isEqualTo("pong");
        if (transport() == Transport.NIO) {
            assertThatThrownBy(() -> client.request(ascii(""))).isExactlyInstanceOf(IOException.class)
                    .hasMessage("cannot send to " + "127.0.0.1:" + server.localAddress().getPort()
                            + ": NIO cannot send an empty datagram on a connected socket");
        } else {
            assertThat(text(client.request(ascii("")))).isEmpty();
        }
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void talksOverIpv6() throws Exception {
        assumeTrue(UdpTestClient.canBind("::1"), "no IPv6 loopback here");
        UdpServer server = echo("::1");
        UdpClient client = bind(config(server.localAddress()));

        assertThat(text(client.request(ascii("six")))).isEqualTo("six");
        assertThat(client.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void requestsTakeTurnsAndEachGetsItsOwnReply() throws Exception {
        UdpServer server = echo();
        UdpClient client = bind(config(server.localAddress()));

        List<CompletableFuture<ByteBuf>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(client.requestAsync(ascii("request " + i)));
        }

        for (int i = 0; i < 50; i++) {
            assertThat(text(replies.get(i).get(20, TimeUnit.SECONDS))).isEqualTo("request " + i);
        }
        assertThat(client.pending()).isZero();
    }

    @Test
    void aRequestIsSentAgainWhenTheRelayLosesTheFirstDatagram() throws Exception {
        UdpServer server = echo();
        try (UdpRelay relay = UdpRelay.to(server.localAddress()).drop(0.5).seed(seedDroppingOnlyTheFirst(0.5))
                .towardsServerOnly().start()) {
            UdpClient client = bind(config(relay.address()).requestTimeout(Duration.ofMillis(200)).retries(2));

            assertThat(text(client.request(ascii("again")))).isEqualTo("again");

            assertThat(relay.dropped()).isEqualTo(1);
            assertThat(server.metrics().datagramsIn()).isEqualTo(1);
            assertThat(client.metrics().datagramsOut()).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithoutAReplyFailsAfterItsLastTry() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            silent.setSoTimeout(10_000);
            UdpClient client = bind(config((InetSocketAddress) silent.getLocalSocketAddress())
                    .requestTimeout(Duration.ofMillis(100)).retries(2));

            assertThatThrownBy(() -> client.request(ascii("anyone?")))
                    .isExactlyInstanceOf(TimeoutException.class)
                    .hasMessage("no reply from 127.0.0.1:" + silent.getLocalPort() + " after 3 tries of 100 ms");
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                silent.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("anyone?");
            }
        }
    }

    @Test
    void datagramsFromAnyoneButTheServerAreIgnored() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            server.setSoTimeout(10_000);
            UdpClient client = bind(config((InetSocketAddress) server.getLocalSocketAddress()).requestTimeout(Duration.ZERO));

            CompletableFuture<ByteBuf> reply = client.requestAsync(ascii("who?"));
            DatagramPacket request = new DatagramPacket(new byte[64], 64);
            server.receive(request);
            InetSocketAddress clientAddress = new InetSocketAddress("127.0.0.1", client.localAddress().getPort());
            stranger.send(new DatagramPacket("spoof".getBytes(StandardCharsets.US_ASCII), 5, clientAddress));
            await().atMost(AWAIT).until(() -> client.metrics().datagramsIn() == 1);
            server.send(new DatagramPacket("real".getBytes(StandardCharsets.US_ASCII), 4, request.getSocketAddress()));

            assertThat(text(reply.get(20, TimeUnit.SECONDS))).isEqualTo("real");
        }
    }

    @Test
    void aConnectedSocketHearsThatNothingListens() throws Exception {
        int port;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = gone.getLocalPort();
        }
        UdpClient client = connect(ClientConfig.builder("127.0.0.1", port).transport(transport())
                .requestTimeout(Duration.ofSeconds(20)).retries(0));

        assertThatThrownBy(() -> client.request(ascii("hello?")))
                .isInstanceOf(PortUnreachableException.class)
                .hasMessage("nothing listens on 127.0.0.1:" + port + " (ICMP port unreachable)");
    }

    @Test
    void requestsPastTheBoundAreRefusedAndClosingFailsThoseLeft() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            UdpClient client = bind(config((InetSocketAddress) silent.getLocalSocketAddress())
                    .requestTimeout(Duration.ZERO).maxRequestsInFlight(2));
            CompletableFuture<ByteBuf> first = client.requestAsync(ascii("1"));
            CompletableFuture<ByteBuf> second = client.requestAsync(ascii("2"));

            assertThatThrownBy(() -> client.requestAsync(ascii("3")).join()).cause()
                    .isExactlyInstanceOf(RejectedExecutionException.class)
                    .hasMessage("2 requests already pending to 127.0.0.1:" + silent.getLocalPort());

            client.close();
            for (CompletableFuture<ByteBuf> left : List.of(first, second)) {
                assertThatThrownBy(() -> left.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isExactlyInstanceOf(IOException.class)
                        .hasMessage("the client of 127.0.0.1:" + silent.getLocalPort() + " is closed");
            }
            client.closeFuture().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientRunsOnTheEventLoopsOfAServer() throws Exception {
        UdpServer server = echo();
        UdpClient client = bind(config(server.localAddress()).eventLoopGroup(server.eventLoopGroup()));

        assertThat(text(client.request(ascii("shared")))).isEqualTo("shared");
        assertThat(client.channel().eventLoop().submit(() -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS))
                .startsWith("netserve-udp");

        client.close();
        assertThat(server.eventLoopGroup().isShuttingDown()).isFalse();
    }

    @Test
    void aDatagramCanBeSentWithoutWaitingForAReply() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            server.setSoTimeout(10_000);
            UdpClient client = bind(config((InetSocketAddress) server.getLocalSocketAddress()));

            client.send(ascii("fire and forget")).get(20, TimeUnit.SECONDS);

            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            server.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("fire and forget");
        }
    }

    /** A seed whose rule drops the first datagram (a draw below {@code share}) and passes the second. */
    private static long seedDroppingOnlyTheFirst(double share) {
        for (long seed = 1; ; seed++) {
            Random random = new Random(seed);
            if (random.nextDouble() < share && random.nextDouble() >= share) {
                return seed;
            }
        }
    }

    private ClientConfig.Builder config(InetSocketAddress server) {
        return ClientConfig.builder(server.getAddress().getHostAddress(), server.getPort()).transport(transport());
    }

    private UdpServer echo() throws Exception {
        return echo("127.0.0.1");
    }

    private UdpServer echo(String host) throws Exception {
        UdpServer server = UdpServer.start(ServerConfig.builder().host(host).transport(transport()).ioThreads(1)
                .shutdownTimeout(Duration.ofSeconds(2)).build(),
                pipeline -> pipeline.addLast(new UdpServerSuite.Reflect(ConcurrentHashMap.newKeySet())));
        closeables.add(server);
        return server;
    }

    private UdpClient bind(ClientConfig.Builder config) throws IOException {
        UdpClient client = UdpClient.bind(config.build());
        closeables.add(client);
        return client;
    }

    private UdpClient connect(ClientConfig.Builder config) throws IOException {
        UdpClient client = UdpClient.connect(config.build());
        closeables.add(client);
        return client;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** The reply's text; releases it. */
    private static String text(ByteBuf reply) {
        try {
            return reply.toString(StandardCharsets.US_ASCII);
        } finally {
            reply.release();
        }
    }
}
