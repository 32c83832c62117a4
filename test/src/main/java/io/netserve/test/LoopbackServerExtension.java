package io.netserve.test;

import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ServerExtension} and {@link UdpServerExtension} share: a server started before all
 * tests (static field) or each test (instance field) and stopped after them, clients closed after
 * the test (or all tests) they were made in, and a leak check after each test.
 *
 * @param <S> the server
 * @param <C> the kind of client handed out
 */
abstract class LoopbackServerExtension<S extends ServerHandle, C extends AutoCloseable>
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private S server;
    private String startedBy;
    private boolean inTest;
    private final List<C> classClients = new ArrayList<>();
    private final List<C> testClients = new ArrayList<>();

    /** Starts the server. */
    abstract S startServer() throws ServerStartException;

    /** A client of the server at {@code address}. */
    abstract C newClient(InetSocketAddress address);

    /** Runs just before the server is closed, after the clients were. */
    void beforeClose(S server) {
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws ServerStartException {
        Leaks.install();
        start(context);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) throws ServerStartException {
        Leaks.install();
        inTest = true;
        start(context);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        inTest = false;
        closeAll(testClients);
        stopIfStartedBy(context);
        Leaks.assertNone(context.getDisplayName());
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        closeAll(classClients);
        stopIfStartedBy(context);
        Leaks.assertNone(context.getDisplayName());
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException while the server is not running
     */
    public synchronized S server() {
        if (server == null) {
            throw new IllegalStateException("the server is not running: the extension starts it before all tests "
                    + "(static field) or before each test (instance field), and stops it after them");
        }
        return server;
    }

    /**
     * The address the server is bound to, with its real port.
     *
     * @throws IllegalStateException while the server is not running
     */
    public InetSocketAddress address() {
        return server().localAddress();
    }

    /**
     * The port the server is bound to.
     *
     * @throws IllegalStateException while the server is not running
     */
    public int port() {
        return address().getPort();
    }

    /**
     * The server's live counters.
     *
     * @throws IllegalStateException while the server is not running
     */
    public ServerMetrics metrics() {
        return server().metrics();
    }

    /**
     * A client of the server, closed by this extension after the test (or, if made before all
     * tests, after all of them).
     *
     * @throws IllegalStateException while the server is not running
     */
    public synchronized C newClient() {
        C client = newClient(address());
        (inTest ? testClients : classClients).add(client);
        return client;
    }

    private void start(ExtensionContext context) throws ServerStartException {
        if (server == null) {
            server = startServer();
            startedBy = context.getUniqueId();
        }
    }

    private void stopIfStartedBy(ExtensionContext context) {
        if (server != null && context.getUniqueId().equals(startedBy)) {
            try {
                beforeClose(server);
                server.close();
            } finally {
                server = null;
                startedBy = null;
            }
        }
    }

    private void closeAll(List<C> clients) {
        for (C client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                // A client the test broke on purpose: nothing left to close.
            }
        }
        clients.clear();
    }

    @Override
    public synchronized String toString() {
        return getClass().getSimpleName() + "{" + (server == null ? "not running" : server.toString()) + "}";
    }
}
