package io.netserve.core.udp;

import io.netserve.core.internal.Addresses;
import io.netserve.core.server.ServerStartException;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Starting and stopping a {@link UdpServer}: failures to start, and what a graceful close does. */
class UdpServerLifecycleTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger logger;
    private UdpServer server;
    private DatagramSocket client;

    @BeforeEach
    void captureLogs() {
        logger = (Logger) LoggerFactory.getLogger(UdpServer.class);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUnknownHostFailsToStartNamingIt() {
        ServerConfig config = ServerConfig.builder().host("no-such-host.invalid").build();

        assertThatThrownBy(() -> UdpServer.start(config, pipeline -> { }))
                .isInstanceOf(ServerStartException.class)
                .hasMessage("cannot resolve host 'no-such-host.invalid': unknown host");
    }

    @Test
    void closeSendsRepliesStillQueuedThenLogsEachPhase() throws Exception {
        // A protocol that writes its reply but leaves the flush to someone else: close() must flush it.
        server = UdpServer.start(ServerConfig.builder().transport(Transport.NIO).shutdownTimeout(Duration.ofSeconds(5)).build(),
                pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        DatagramPacket packet = (DatagramPacket) msg;
                        ctx.write(new DatagramPacket(packet.content(), packet.sender()));
                    }
                }));
        client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        client.setSoTimeout(300);
        client.send(new java.net.DatagramPacket(new byte[] {5}, 1, server.localAddress()));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().datagramsOut() == 1);
        assertThatThrownBy(() -> client.receive(new java.net.DatagramPacket(new byte[8], 8)))
                .as("nothing flushed yet").isInstanceOf(SocketTimeoutException.class);

        server.close();

        client.setSoTimeout(5_000);
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[8], 8);
        client.receive(reply);
        assertThat(reply.getLength()).isEqualTo(1);
        assertThat(reply.getData()[0]).isEqualTo((byte) 5);
        String where = java.util.regex.Pattern.quote(Addresses.format(server.localAddress()));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.startsWith("shutdown"))
                .satisfiesExactly(
                        m -> assertThat(m).matches("shutdown 1/3: draining 1 datagram channel\\(s\\) on " + where
                                + ": answering until 100 ms pass without a datagram, timeout 5s"),
                        m -> assertThat(m).matches("shutdown 2/3: 1 channel\\(s\\) went quiet in \\d+ ms after 0 more"
                                + " datagram\\(s\\); closing 0 still busy at the deadline"),
                        m -> assertThat(m).matches("shutdown 3/3: stopped " + where + " in \\d+ ms"));
    }

    @Test
    void logsWhatItBoundAndDescribesItself() throws Exception {
        server = UdpServer.start(ServerConfig.builder().transport(Transport.NIO).ioThreads(3).rateLimitPerSecond(50).build(),
                pipeline -> { });
        String where = Addresses.format(server.localAddress());

        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).contains("udp server bound to " + where
                + " (transport=nio, 1 datagram channel(s), max datagram 65507 bytes, rate limit 50/s per source,"
                + " privileged source ports dropped)");
        assertThat(server.toString()).isEqualTo("UdpServer{" + where + ", transport=nio, channels=1}");
        assertThat(server.config().rateLimitPerSecond()).isEqualTo(50);
        assertThat(server.isDraining()).isFalse();
    }
}
