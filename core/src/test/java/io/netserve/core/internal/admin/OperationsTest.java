package io.netserve.core.internal.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import io.netserve.core.udp.UdpServer;
import io.netserve.test.TestClient;
import io.netserve.test.UdpTestClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A server's operations over loopback: its admin endpoint and meters as traffic flows and as it stops. */
class OperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Protocol TCP_ECHO = p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    });
    private static final Protocol UDP_ECHO = p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.writeAndFlush(new DatagramPacket(packet.content(), packet.sender()));
        }
    });

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ServerHandle> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ServerHandle::close);
    }

    @Test
    void metricsOfATcpServerFollowItsTraffic() throws Exception {
        TcpServer server = track(TcpServer.start(config().build(), TCP_ECHO));
        String port = String.valueOf(server.localAddress().getPort());
        PrometheusText before = scrape(server);
        assertThat(before.value("netserve_received_bytes_total", "port", port, "protocol", "tcp")).isZero();

        try (TestClient client = TestClient.connect(server.localAddress())) {
            client.send(new byte[1000]);
            client.readBytes(1000);
            await().atMost(WAIT).untilAsserted(() -> {
                PrometheusText after = scrape(server);
                assertThat(after.value("netserve_received_bytes_total", "port", port, "protocol", "tcp")).isEqualTo(1000);
                assertThat(after.value("netserve_sent_bytes_total", "port", port, "protocol", "tcp")).isEqualTo(1000);
                assertThat(after.value("netserve_connections_total", "port", port, "protocol", "tcp")).isEqualTo(1);
                assertThat(after.value("netserve_connections_active", "port", port, "protocol", "tcp")).isEqualTo(1);
            });
        }
        assertThat(scrape(server).names()).contains("jvm_memory_used_bytes", "process_uptime_seconds");
    }

    @Test
    void metricsOfAUdpServerFollowItsDatagrams() throws Exception {
        UdpServer server = track(UdpServer.start(config().build(), UDP_ECHO));
        String port = String.valueOf(server.localAddress().getPort());
        try (UdpTestClient client = UdpTestClient.bind("127.0.0.1")) {
            assertThat(client.exchange("hello", server.localAddress())).isEqualTo("hello");
        }

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape(server);
            assertThat(text.value("netserve_datagrams_received_total", "port", port, "protocol", "udp")).isEqualTo(1);
            assertThat(text.value("netserve_datagrams_sent_total", "port", port, "protocol", "udp")).isEqualTo(1);
            assertThat(text.value("netserve_received_bytes_total", "port", port, "protocol", "udp")).isEqualTo(5);
        });
    }

    @Test
    void duringTheDrainDelayItReportsNotReadyButStillServesNewConnections() throws Exception {
        TcpServer server = track(TcpServer.start(config().drainDelay(Duration.ofSeconds(2)).build(), TCP_ECHO));
        assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await().atMost(WAIT).until(() -> get(server, "/health/ready").statusCode() == 503);

        assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
        try (TestClient late = TestClient.connect(server.localAddress())) {
            late.sendLine("still served");
            assertThat(late.readLine()).isEqualTo("still served");
        }
        closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> get(server, "/health/live")).isInstanceOf(IOException.class);
    }

    @Test
    void anAdminPortInUseFailsTheStartNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerConfig config = config().adminPort(taken.getLocalPort()).build();

            assertThatThrownBy(() -> TcpServer.start(config, TCP_ECHO)).isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("netserve-tcp") || t.getName().equals(AdminServer.THREAD_NAME)));
    }

    @Test
    void anEmbeddersRegistryGetsTheMetersWithoutAnAdminEndpoint() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TcpServer server = track(TcpServer.start(ServerConfig.builder().meterRegistry(registry).build(), TCP_ECHO));

        assertThat(server.adminAddress()).isEmpty();
        assertThat(registry.find("netserve.connections.active").gauge()).isNotNull();
        server.close();
        assertThat(registry.find("netserve.connections.active").gauge()).as("unbound when the server stops").isNull();
    }

    @Test
    void anAdminEndpointNeedsARegistryItCanScrape() {
        ServerConfig config = config().meterRegistry(new SimpleMeterRegistry()).build();

        assertThatThrownBy(() -> TcpServer.start(config, TCP_ECHO)).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("PrometheusMeterRegistry");
    }

    private static ServerConfig.Builder config() {
        return ServerConfig.builder().adminPort(0).shutdownTimeout(Duration.ofSeconds(5));
    }

    private <S extends ServerHandle> S track(S server) {
        servers.add(server);
        return server;
    }

    private PrometheusText scrape(ServerHandle server) throws Exception {
        HttpResponse<String> response = get(server, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(ServerHandle server, String path) throws IOException, InterruptedException {
        InetSocketAddress admin = server.adminAddress().orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
