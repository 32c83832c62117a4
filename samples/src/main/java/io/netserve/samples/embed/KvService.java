package io.netserve.samples.embed;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.server.TcpServer;
import io.netserve.samples.kv.KvProtocol;
import io.netserve.samples.kv.KvStore;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An ordinary application service that embeds netserve: it owns a {@link KvStore}, which the
 * application uses directly, and a {@link TcpServer} that serves the same store to the network
 * with {@link KvProtocol}; both live within the service's own start/stop lifecycle.
 *
 * <pre>{@code
 * KvService service = new KvService(ServerConfig.builder().port(0).build());   // the OS picks the port
 * service.start();
 * int port = service.tcpAddress().getPort();
 * service.store().set("motd", "hello".getBytes(UTF_8));  // network clients see it at once
 * ...
 * service.stop();                                         // unbinds, drains, ends every thread it started
 * }</pre>
 *
 * <p>States: new, then running after {@link #start()}, then stopped for good after {@link #stop()}.
 * Thread-safe.
 */
public final class KvService implements AutoCloseable {

    private enum State { NEW, RUNNING, STOPPED }

    private final ServerConfig tcpConfig;
    private final KvStore store;
    private final int maxFrame;
    private State state = State.NEW;
    private TcpServer tcp;

    /** A service for an empty store, with the protocol's default maximum frame, bound as {@code tcpConfig} says. */
    public KvService(ServerConfig tcpConfig) {
        this(tcpConfig, new KvStore(), KvProtocol.DEFAULT_MAX_FRAME);
    }

    /** A service for {@code store}, refusing frames over {@code maxFrame} bytes, bound as {@code tcpConfig} says. */
    public KvService(ServerConfig tcpConfig, KvStore store, int maxFrame) {
        this.tcpConfig = Objects.requireNonNull(tcpConfig, "tcpConfig");
        this.store = Objects.requireNonNull(store, "store");
        this.maxFrame = maxFrame;
    }

    /**
     * Binds the server and starts serving. On failure nothing is left running and the service
     * stays new, so it may be started again.
     *
     * @throws IllegalStateException if already started, or stopped
     * @throws ServerStartException if the server cannot bind or its transport is not available
     */
    public synchronized void start() throws ServerStartException {
        if (state != State.NEW) {
            throw new IllegalStateException("KvService can start once, it is " + state.name().toLowerCase());
        }
        tcp = TcpServer.start(tcpConfig, new KvProtocol(store, maxFrame));
        state = State.RUNNING;
    }

    /**
     * The address the TCP server is bound to, with its real port.
     *
     * @throws IllegalStateException if the service is not running
     */
    public synchronized InetSocketAddress tcpAddress() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("KvService is not running, it is " + state.name().toLowerCase());
        }
        return tcp.localAddress();
    }

    /** The store, shared by the application and the network. */
    public KvStore store() {
        return store;
    }

    /** Whether the service has started and not stopped. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops serving: closes the server gracefully (see {@link TcpServer#close()}) and returns once
     * its port is free and its threads have ended. Idempotent; a service never started just
     * becomes stopped.
     */
    public synchronized void stop() {
        if (state == State.RUNNING) {
            tcp.close();
        }
        state = State.STOPPED;
    }

    /** {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }
}
