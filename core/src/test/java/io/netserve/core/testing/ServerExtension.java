package io.netserve.core.testing;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.pipeline.Protocol;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.server.TcpServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * them; then the server is closed gracefully. Every accessor throws {@link IllegalStateException}
 * while the server is not running. Thread-safe.
 */
public final class ServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    private static final Duration CLIENTS_GONE_WAIT = Duration.ofSeconds(2);

    private final Protocol protocol;
    private final ServerConfig config;

    private TcpServer server;
    private String startedBy;
    private boolean inTest;
    private final List<TestClient> classClients = new ArrayList<>();
    private final List<TestClient> testClients = new ArrayList<>();

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
    public synchronized void beforeAll(ExtensionContext context) throws ServerStartException {
        start(context);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) throws ServerStartException {
        inTest = true;
        start(context);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        inTest = false;
        closeAll(testClients);
        stopIfStartedBy(context);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        closeAll(classClients);
        stopIfStartedBy(context);
    }

    /** The running server. */
    public synchronized TcpServer server() {
        if (server == null) {
            throw new IllegalStateException("the server is not running: ServerExtension starts it before all tests "
                    + "(static field) or before each test (instance field), and stops it after them");
        }
        return server;
    }

    /** The address the server is bound to, with its real port. */
    public InetSocketAddress address() {
        return server().localAddress();
    }

    /** The port the server is bound to. */
    public int port() {
        return address().getPort();
    }

    /** The server's live counters. */
    public ServerMetrics metrics() {
        return server().metrics();
    }

    /**
     * A client connected to the server, with {@link TestClient#DEFAULT_TIMEOUT}, closed by this
     * extension after the test (or, if made before all tests, after all of them).
     */
    public synchronized TestClient newClient() {
        TestClient client = TestClient.connect(address());
        (inTest ? testClients : classClients).add(client);
        return client;
    }

    private void start(ExtensionContext context) throws ServerStartException {
        if (server == null) {
            server = TcpServer.start(config, protocol);
            startedBy = context.getUniqueId();
        }
    }

    private void stopIfStartedBy(ExtensionContext context) {
        if (server != null && context.getUniqueId().equals(startedBy)) {
            try {
                awaitClientsGone(server);
                server.close();
            } finally {
                server = null;
                startedBy = null;
            }
        }
    }

    /**
     * Gives the server a moment to see the clients just closed go, so that it drains only
     * connections still open: core's drain counts the connections before it visits them, and one
     * closing in between makes {@code close()} wait for its whole shutdown timeout.
     */
    private static void awaitClientsGone(TcpServer server) {
        try {
            Awaitility.await().atMost(CLIENTS_GONE_WAIT).pollInSameThread().pollInterval(Duration.ofMillis(5))
                    .until(() -> server.metrics().connectionsActive() == 0);
        } catch (ConditionTimeoutException e) {
            // Connections the test opened itself: the drain closes them.
        }
    }

    private static void closeAll(List<TestClient> clients) {
        clients.forEach(TestClient::close);
        clients.clear();
    }

    @Override
    public synchronized String toString() {
        return "ServerExtension{" + (server == null ? "not running" : server.toString()) + "}";
    }
}
