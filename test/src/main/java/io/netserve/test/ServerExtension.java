package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A JUnit 5 extension that runs a real {@link TcpServer} for a {@link Protocol} on loopback and an
 * OS-chosen port, and hands the test connected {@link TestClient}s. Registered on a
 * {@code static} field it serves the whole class (started before all tests, stopped after them);
 * on an instance field, each test gets a fresh server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension server = ServerExtension.of(new UpperProtocol());
 *
 * @Test
 * void answersInUpperCase() {
 *     TestClient client = server.newClient();            // closed by the extension
 *     client.sendLine("hello");
 *     assertThat(client.readLine()).isEqualTo("HELLO");
 * }
 * }</pre>
 *
 * <p>Clients made during a test are closed after it; those made before all tests, after all of
 * them; then the server is closed gracefully. After each test a leak of Netty buffers fails it.
 * Every accessor throws {@link IllegalStateException} while the server is not running.
 * Thread-safe.
 */
public final class ServerExtension extends LoopbackServerExtension<TcpServer, TestClient> {

    private static final Duration CLIENTS_GONE_WAIT = Duration.ofSeconds(2);

    private final Protocol protocol;
    private final ServerConfig config;

    private ServerExtension(Protocol protocol, ServerConfig config) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * An extension serving {@code protocol} with core's defaults ({@link ServerConfig#defaults()}:
     * {@code 127.0.0.1}, an OS-chosen port, limits and timeouts on).
     */
    public static ServerExtension of(Protocol protocol) {
        return of(protocol, ServerConfig.defaults());
    }

    /**
     * An extension serving {@code protocol} with {@code config}, for example with an idle timeout
     * to test. Keep port 0 (the default), so tests never collide on a port.
     */
    public static ServerExtension of(Protocol protocol, ServerConfig config) {
        return new ServerExtension(protocol, config);
    }

    @Override
    TcpServer startServer() throws ServerStartException {
        return TcpServer.start(config, protocol);
    }

    @Override
    TestClient newClient(InetSocketAddress address) {
        return TestClient.connect(address);
    }

    /**
     * Gives the server a moment to see the clients just closed go, so that it drains only
     * connections still open: core's drain counts the connections before it visits them, and one
     * closing in between makes {@code close()} wait for its whole shutdown timeout.
     */
    @Override
    void beforeClose(TcpServer server) {
        try {
            Awaitility.await().atMost(CLIENTS_GONE_WAIT).pollInSameThread().pollInterval(Duration.ofMillis(5))
                    .until(() -> server.metrics().connectionsActive() == 0);
        } catch (ConditionTimeoutException e) {
            // Connections the test opened itself: the drain closes them.
        }
    }
}
