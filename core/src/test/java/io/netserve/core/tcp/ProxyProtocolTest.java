package io.netserve.core.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.test.LogCapture;
import io.netserve.test.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A TCP server behind a proxy that speaks the PROXY protocol: hand-made v1 and v2 headers, and a
 * real HAProxy with {@code send-proxy-v2} when Debian's {@code haproxy} is installed.
 */
class ProxyProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Protocol ECHO = pipeline -> pipeline.addLast("echo", EchoTestHandler.INSTANCE);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final List<TcpServer> servers = new ArrayList<>();
    private final LogCapture idleLogs = LogCapture.of("io.netserve.core.idle");
    private final LogCapture limitLogs = LogCapture.of("io.netserve.core.limit");
    private Process haproxy;

    @AfterEach
    void tearDown() throws InterruptedException {
        idleLogs.close();
        limitLogs.close();
        servers.forEach(TcpServer::close);
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aV1HeaderIsNotEchoedAndItsClientIsNamedInTheLogs() throws Exception {
        TcpServer server = start(config().allIdleTimeout(Duration.ofMillis(300)));
        try (TestClient client = TestClient.connect(server.localAddress())) {
            client.send("PROXY TCP4 198.51.100.9 127.0.0.1 40001 7000\r\nhello\n");
            assertThat(client.readLine()).isEqualTo("hello");

            assertThat(client.awaitClosed()).isEmpty();
        }
        await().atMost(WAIT).until(() -> !idleLogs.messages().isEmpty());
        assertThat(idleLogs.messages().get(0)).startsWith("closing idle connection /198.51.100.9:40001");
    }

    @Test
    void aV2HeaderNamesItsClientInTheConnectionLimit() throws Exception {
        TcpServer server = start(config().maxConnections(1));
        try (TestClient first = TestClient.connect(server.localAddress());
             TestClient second = TestClient.connect(server.localAddress())) {
            first.send(v2Tcp4("192.0.2.10", 50001)).sendLine("in");
            assertThat(first.readLine()).isEqualTo("in");

            second.send(v2Tcp4("192.0.2.11", 50002));
            assertThat(second.awaitClosed()).isEmpty();
        }
        assertThat(limitLogs.messages()).singleElement().asString().endsWith("rejected /192.0.2.11:50002");
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedAndTheServerGoesOn() throws Exception {
        TcpServer server = start(config());
        try (TestClient plain = TestClient.connect(server.localAddress())) {
            plain.send("GET / HTTP/1.1\r\n\r\n"); // a whole line that is not a PROXY header
            assertThat(plain.awaitClosed()).isEmpty();
        }
        // Netty's decoder closes the connection before it reports the bad header.
        await().atMost(WAIT).until(() -> server.metrics().malformedInput() == 1);
        try (TestClient client = TestClient.connect(server.localAddress())) {
            client.send("PROXY TCP4 198.51.100.9 127.0.0.1 40001 7000\r\nok\n");
            assertThat(client.readLine()).isEqualTo("ok");
        }
    }

    @Test
    void behindARealHaproxyWithSendProxyV2TheClientIsTheOneThatConnected(@TempDir Path dir) throws Exception {
        Path binary = Path.of("/usr/sbin/haproxy");
        assumeTrue(Files.isExecutable(binary), "Debian's haproxy is not installed (apt-get install haproxy)");
        TcpServer server = start(config().allIdleTimeout(Duration.ofMillis(500)));
        int front = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 30s", "  timeout server 30s",
                "frontend front", "  bind 127.0.0.1:" + front, "  default_backend echo",
                "backend echo", "  server s1 127.0.0.1:" + server.localAddress().getPort() + " send-proxy-v2", ""));
        haproxy = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();

        try (Socket raw = connectWhenListening(front)) {
            raw.getOutputStream().write("through haproxy\n".getBytes(StandardCharsets.UTF_8));
            byte[] echo = raw.getInputStream().readNBytes(16);
            assertThat(new String(echo, StandardCharsets.UTF_8)).isEqualTo("through haproxy\n");

            // Idle, the server closes it, and names the client that connected to HAProxy, not HAProxy.
            await().atMost(WAIT).until(() -> !idleLogs.messages().isEmpty());
            assertThat(idleLogs.messages().get(0)).startsWith("closing idle connection /127.0.0.1:" + raw.getLocalPort() + ":");
        }
    }

    private ServerConfig.Builder config() {
        return ServerConfig.builder().proxyProtocol(true).shutdownTimeout(Duration.ofSeconds(2));
    }

    private TcpServer start(ServerConfig.Builder config) throws Exception {
        TcpServer server = TcpServer.start(config.build(), ECHO);
        servers.add(server);
        return server;
    }

    private static byte[] v2Tcp4(String source, int port) throws IOException {
        byte[] header = new byte[28];
        System.arraycopy(V2_SIGNATURE, 0, header, 0, 12);
        header[12] = 0x21; // v2, PROXY
        header[13] = 0x11; // TCP over IPv4
        header[15] = 12;   // address block length
        System.arraycopy(InetAddress.getByName(source).getAddress(), 0, header, 16, 4);
        System.arraycopy(InetAddress.getByName("127.0.0.1").getAddress(), 0, header, 20, 4);
        header[24] = (byte) (port >>> 8);
        header[25] = (byte) port;
        header[26] = (byte) (7000 >>> 8);
        header[27] = (byte) 7000;
        return header;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Connects to 127.0.0.1:{@code port} once HAProxy listens there. */
    private static Socket connectWhenListening(int port) {
        Socket[] connected = new Socket[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            Socket s = new Socket();
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            connected[0] = s;
            return true;
        });
        return connected[0];
    }
}
