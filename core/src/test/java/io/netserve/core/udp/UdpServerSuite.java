package io.netserve.core.udp;

import io.netserve.core.internal.Addresses;
import io.netserve.core.server.BindFailedException;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.Protocol;
import io.netserve.test.UdpTestClient;
import io.netserve.core.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link UdpServer} does for its clients, over real sockets on loopback, written once and
 * run for each transport and thread count by a thin subclass.
 */
abstract class UdpServerSuite {

    private static final Duration SILENCE = Duration.ofMillis(300);

    private final List<UdpServer> servers = new ArrayList<>();
    private final List<UdpTestClient> opened = new ArrayList<>();
    private final Set<Channel> channelsSeen = ConcurrentHashMap.newKeySet();

    /** The transport under test. */
    abstract Transport transport();

    /** The event-loop threads the servers get. */
    abstract int ioThreads();

    @BeforeEach
    void requireTransport() {
        assumeThat(transport().isAvailable()).as("%s is not available here: %s", transport(),
                transport().unavailabilityCause().map(Throwable::toString).orElse("")).isTrue();
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(UdpTestClient::close);
        servers.forEach(UdpServer::close);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1400, ServerConfig.MAX_UDP_PAYLOAD})
    void answersEachDatagramOnceWithTheSameBytes(int size) throws Exception {
        UdpServer server = start(b -> b);
        UdpTestClient client = client("127.0.0.1");
        byte[] payload = random(size, size);

        client.send(payload, server.localAddress());
        java.net.DatagramPacket reply = client.receive();

        assertThat(reply.getLength()).isEqualTo(size);
        assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
        assertThat(reply.getSocketAddress()).isEqualTo(server.localAddress());
        client.assertSilent(SILENCE);
        assertThat(server.metrics().datagramsIn()).isEqualTo(1);
        assertThat(server.metrics().bytesIn()).isEqualTo(size);
        assertThat(server.metrics().datagramsOut()).isEqualTo(1);
        assertThat(server.metrics().bytesOut()).isEqualTo(size);
    }

    @Test
    void answersThousandsOfDatagramsFromSeveralSocketsExactlyOnce() throws Exception {
        UdpServer server = start(b -> b);
        int clients = 4;
        int perClient = 2_500;
        int window = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                UdpTestClient client = client("127.0.0.1");
                int id = c;
                tasks.add(() -> exchange(client, server, id, perClient, window));
            }
            int lost = 0;
            for (Future<Integer> f : pool.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
                lost += f.get();
            }
            System.out.printf("%s, %d thread(s): %d of %d datagrams from %d sockets unanswered%n",
                    transport().cliName(), ioThreads(), lost, clients * perClient, clients);
            assertThat(lost).as("datagrams lost on loopback with a window of %d", window).isZero();
            assertThat(server.metrics().datagramsIn()).isEqualTo(clients * perClient);
            assertThat(server.metrics().datagramsOut()).isEqualTo(clients * perClient);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends {@code count} numbered datagrams, at most {@code window} unanswered; checks each reply; returns the lost. */
    private static int exchange(UdpTestClient client, UdpServer server, int id, int count, int window) throws IOException {
        BitSet answered = new BitSet(count);
        int received = 0;
        byte[] in = new byte[128];
        java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
        for (int seq = 0; seq < count; seq++) {
            client.send(numbered(id, seq), server.localAddress());
            while (seq + 1 - received >= window) {
                received += take(client.socket(), reply, id, answered) ? 1 : 0;
            }
        }
        try {
            while (received < count) {
                received += take(client.socket(), reply, id, answered) ? 1 : 0;
            }
        } catch (SocketTimeoutException e) {
            return count - received;
        }
        return 0;
    }

    private static boolean take(DatagramSocket socket, java.net.DatagramPacket reply, int id, BitSet answered)
            throws IOException {
        reply.setLength(reply.getData().length);
        socket.receive(reply);
        ByteBuffer b = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
        assertThat(reply.getLength()).isEqualTo(64);
        assertThat(b.getInt()).as("client id").isEqualTo(id);
        int seq = b.getInt();
        assertThat(Arrays.copyOf(reply.getData(), 64)).isEqualTo(numbered(id, seq));
        assertThat(answered.get(seq)).as("a second reply to datagram %d", seq).isFalse();
        answered.set(seq);
        return true;
    }

    private static byte[] numbered(int id, int seq) {
        ByteBuffer b = ByteBuffer.allocate(64).putInt(id).putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) (id * 31 + seq + b.position()));
        }
        return b.array();
    }

    @Test
    void bindsOneChannelPerThreadOnNativeTransportsAndOneOnNio() throws Exception {
        UdpServer server = start(b -> b);
        int expected = transport().isNative() ? ioThreads() : 1;
        assertThat(server.channels()).hasSize(expected).allMatch(Channel::isActive);
        assertThat(server.channels()).extracting(Channel::localAddress).containsOnly(server.localAddress());

        // The kernel spreads sources over SO_REUSEPORT channels by hash: 32 sources all on one of
        // two channels would happen once in two billion runs.
        for (int i = 0; i < 32; i++) {
            UdpTestClient client = client("127.0.0.1");
            client.send(new byte[] {(byte) i}, server.localAddress());
            assertThat(client.receive().getData()[0]).isEqualTo((byte) i);
        }
        assertThat(channelsSeen).hasSize(expected);
    }

    @Test
    void dropsDatagramsLongerThanTheMaximumWholeAndCountsThem() throws Exception {
        UdpServer server = start(b -> b.maxDatagramSize(1000));
        UdpTestClient client = client("127.0.0.1");
        int[] sizes = {1001, 1000, 5000, 1, 1000, ServerConfig.MAX_UDP_PAYLOAD};
        List<byte[]> answered = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] payload = random(sizes[i], i);
            if (sizes[i] <= 1000) {
                answered.add(payload);
            }
            client.send(payload, server.localAddress()); // sent back to back: read in one batch where the transport batches
        }

        List<byte[]> replies = new ArrayList<>();
        for (int i = 0; i < answered.size(); i++) {
            java.net.DatagramPacket reply = client.receive();
            replies.add(Arrays.copyOf(reply.getData(), reply.getLength()));
        }

        assertThat(replies).containsExactlyInAnyOrderElementsOf(answered);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().datagramsIn() == sizes.length);
        assertThat(server.metrics().droppedOversize()).isEqualTo(3);
        client.assertSilent(SILENCE);
    }

    @Test
    void dropsDatagramsPastTheRateWhileAnotherSourceIsStillAnswered() throws Exception {
        int rate = 10;
        UdpServer server = start(b -> b.rateLimitPerSecond(rate));
        UdpTestClient flooder = client("127.0.0.1");
        UdpTestClient other = client("127.0.0.2");
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            flooder.send(new byte[] {(byte) i}, server.localAddress());
        }
        other.send(new byte[] {42}, server.localAddress());

        assertThat(other.receive().getData()[0]).isEqualTo((byte) 42);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().datagramsIn() == 101);
        int replies = flooder.countUntilSilent(SILENCE);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(replies).isBetween(rate, rate + (int) Math.ceil(seconds * rate));
        assertThat(server.metrics().droppedRateLimited()).isEqualTo(100 - replies);
    }

    @Test
    void dropsDatagramsFromPrivilegedSourcePorts() throws Exception {
        UdpServer server = start(b -> b);
        UdpTestClient client = privilegedClient();

        for (int i = 0; i < 3; i++) {
            client.send(new byte[] {7}, server.localAddress());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().droppedPrivilegedPort() == 3);
        client.assertSilent(SILENCE);
        assertThat(server.metrics().datagramsOut()).isZero();
    }

    @Test
    void answersPrivilegedSourcePortsWhenAllowed() throws Exception {
        UdpServer server = start(b -> b.allowPrivilegedSourcePorts(true));
        UdpTestClient client = privilegedClient();

        client.send(new byte[] {7}, server.localAddress());

        assertThat(client.receive().getData()[0]).isEqualTo((byte) 7);
        assertThat(server.metrics().droppedPrivilegedPort()).isZero();
    }

    @Test
    void servesIpv6() throws Exception {
        assumeThat(UdpTestClient.canBind("::1")).as("IPv6 loopback ::1 is not available here").isTrue();
        UdpServer server = start(b -> b.host("::1"));
        UdpTestClient client = client("::1");
        byte[] payload = random(1400, 6);

        client.send(payload, server.localAddress());
        java.net.DatagramPacket reply = client.receive();

        assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
        assertThat(Addresses.format(server.localAddress())).isEqualTo("[::1]:" + server.localAddress().getPort());
    }

    @Test
    void keepsServingAfterAProtocolException() throws Exception {
        UdpServer server = start(b -> b, pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf content = ((DatagramPacket) msg).content();
                if (content.getByte(content.readerIndex()) == 'X') {
                    content.release();
                    throw new IllegalStateException("protocol bug");
                }
                ctx.fireChannelRead(msg);
            }
        }).addLast(new Reflect(channelsSeen)));
        UdpTestClient client = client("127.0.0.1");

        client.send(new byte[] {'X'}, server.localAddress());
        client.send(new byte[] {'o', 'k'}, server.localAddress());

        java.net.DatagramPacket reply = client.receive();
        assertThat(new String(reply.getData(), 0, reply.getLength(), "US-ASCII")).isEqualTo("ok");
        assertThat(server.channels()).allMatch(Channel::isActive);
    }

    @Test
    void refusesAPortInUse() throws Exception {
        int port = client("127.0.0.1").localPort();

        assertThatThrownBy(() -> start(b -> b.port(port)))
                .isInstanceOf(BindFailedException.class)
                .hasMessageStartingWith("cannot bind 127.0.0.1:" + port + ": ")
                .hasMessageEndingWith("Address already in use");
        assertNoEventLoopThreadsLeft();
    }

    @Test
    void aSecondServerOnTheSamePortFailsInsteadOfSharingIt() throws Exception {
        UdpServer first = start(b -> b);
        int port = first.localAddress().getPort();

        assertThatThrownBy(() -> start(b -> b.port(port)))
                .isInstanceOf(BindFailedException.class)
                .hasMessageContaining("Address already in use");
        UdpTestClient client = client("127.0.0.1");
        client.send(new byte[] {1}, first.localAddress());
        assertThat(client.receive().getData()[0]).isEqualTo((byte) 1);
    }

    @Test
    void twoServersWithReusePortShareThePortAndBothAnswer() throws Exception {
        UdpServer first = start(b -> b.reusePort(true));
        UdpServer second = start(b -> b.reusePort(true).port(first.localAddress().getPort()));

        // The kernel picks a socket by the source's hash: enough sources reach both servers.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (UdpTestClient source = UdpTestClient.bind("127.0.0.1")) {
                source.send(new byte[] {7}, first.localAddress());
                assertThat(source.receive().getData()[0]).isEqualTo((byte) 7);
            }
            assertThat(first.metrics().datagramsIn()).isPositive();
            assertThat(second.metrics().datagramsIn()).isPositive();
        });
    }

    @Test
    void closeStopsTheServerAndItsThreads() throws Exception {
        UdpServer server = start(b -> b);
        UdpTestClient client = client("127.0.0.1");
        client.send(new byte[] {1}, server.localAddress());
        client.receive();

        server.close();

        assertThat(server.isDraining()).isTrue();
        assertThat(server.closeFuture().toCompletableFuture()).isCompleted();
        assertThat(server.channels()).noneMatch(Channel::isOpen);
        assertNoEventLoopThreadsLeft();
        client.send(new byte[] {2}, server.localAddress());
        client.assertSilent(SILENCE);
        server.close(); // idempotent
    }

    @Test
    void closeAnswersWhatWasReceivedBeforeIt() throws Exception {
        UdpServer server = start(b -> b);
        UdpTestClient client = client("127.0.0.1");
        int count = 100;
        for (int i = 0; i < count; i++) {
            client.send(numbered(0, i), server.localAddress());
        }

        server.close(); // at once: some of them are still in the socket buffer, or not even read

        BitSet answered = new BitSet(count);
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[128], 128);
        for (int i = 0; i < count; i++) {
            take(client.socket(), reply, 0, answered);
        }
        assertThat(answered.cardinality()).isEqualTo(count);
        assertThat(server.metrics().datagramsIn()).isEqualTo(count);
    }

    private UdpServer start(UnaryOperator<ServerConfig.Builder> custom) throws ServerStartException {
        return start(custom, pipeline -> pipeline.addLast("reflect", new Reflect(channelsSeen)));
    }

    private UdpServer start(UnaryOperator<ServerConfig.Builder> custom, Protocol protocol) throws ServerStartException {
        ServerConfig config = custom.apply(ServerConfig.builder().host("127.0.0.1").port(0)
                .transport(transport()).ioThreads(ioThreads()).shutdownTimeout(Duration.ofSeconds(2))).build();
        UdpServer server = UdpServer.start(config, protocol);
        servers.add(server);
        assertThat(server.transport()).isEqualTo(transport());
        return server;
    }

    private UdpTestClient client(String host) {
        UdpTestClient client = UdpTestClient.bind(host);
        opened.add(client);
        return client;
    }

    private UdpTestClient privilegedClient() {
        UdpTestClient client = UdpTestClient.bindPrivilegedPort();
        opened.add(client);
        return client;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertNoEventLoopThreadsLeft() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("netserve-udp") && t.isAlive()));
    }

    /** Answers each datagram with its own bytes, flushing once per read batch; notes the channels it served. */
    @Sharable
    static final class Reflect extends ChannelInboundHandlerAdapter {
        private final Set<Channel> seen;

        Reflect(Set<Channel> seen) {
            this.seen = seen;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add(ctx.channel());
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
