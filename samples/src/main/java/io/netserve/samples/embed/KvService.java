package io.netserve.samples.embed;

import io.netserve.core.config.ClientConfig;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import io.netserve.core.udp.UdpServer;
import io.netserve.samples.counter.CounterProtocol;
import io.netserve.samples.kv.KvClient;
import io.netserve.samples.kv.KvProtocol;
import io.netserve.samples.kv.KvStore;

import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An ordinary application service that embeds netserve: it owns a {@link KvStore}, which the
 * application uses directly, a {@link TcpServer} that serves the same store to the network with
 * {@link KvProtocol}, and a {@link UdpServer} answering datagrams with {@link CounterProtocol} (a
 * per-peer counter, e.g. for a liveness probe); all live within the service's own start/stop
 * lifecycle. Both servers bind as the one config says (with port 0 each gets its own port).
 *
 * <pre>{@code
 * KvService service = new KvService(ServerConfig.builder().port(0).build());   // the OS picks the port
 * service.start();
 * int port = service.tcpAddress().getPort();           // and service.udpAddress()
 * service.store().set("motd", "hello".getBytes(UTF_8));  // network clients see it at once
 * try (KvClient self = service.client()) {               // and so does the service's own client
 *     self.send(KvRequest.get("motd"));
 * }
 * ...
 * service.stop();                                         // unbinds both, drains, ends every thread it started
 * }</pre>
 *
 * <p>States: new, then running after {@link #start()}, then stopped for good after {@link #stop()}.
 * Thread-safe.
 */
public final class KvService implements AutoCloseable {

    private enum State { NEW, RUNNING, STOPPED }

    private final ServerConfig config;
    private final KvStore store;
    private final int maxFrame;
    private State state = State.NEW;
    private TcpServer tcp;
    private UdpServer udp;

    /** A service for an empty store, with the protocol's default maximum frame, bound as {@code config} says. */
    public KvService(ServerConfig config) {
        this(config, new KvStore(), KvProtocol.DEFAULT_MAX_FRAME);
    }

    /** A service for {@code store}, refusing frames over {@code maxFrame} bytes, bound as {@code config} says. */
    public KvService(ServerConfig config, KvStore store, int maxFrame) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.maxFrame = maxFrame;
    }

    /**
     * Binds both servers and starts serving. On failure nothing is left running and the service
     * stays new, so it may be started again.
     *
     * @throws IllegalStateException if already started, or stopped
     * @throws ServerStartException if a server cannot bind or its transport is not available
     */
    public synchronized void start() throws ServerStartException {
        if (state != State.NEW) {
            throw new IllegalStateException("KvService can start once, it is " + state.name().toLowerCase());
        }
        TcpServer startedTcp = TcpServer.start(config, new KvProtocol(store, maxFrame));
        try {
            udp = UdpServer.start(config, new CounterProtocol(CounterProtocol.DEFAULT_SESSION_TIMEOUT,
                    CounterProtocol.DEFAULT_MAX_SESSIONS));
        } catch (ServerStartException | RuntimeException e) {
            startedTcp.close();
            throw e;
        }
        tcp = startedTcp;
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

    /**
     * The address the UDP server is bound to, with its real port.
     *
     * @throws IllegalStateException if the service is not running
     */
    public synchronized InetSocketAddress udpAddress() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("KvService is not running, it is " + state.name().toLowerCase());
        }
        return udp.localAddress();
    }

    /**
     * A client of this service's own kv-server over the network, running on that server's event
     * loops (it starts no thread): how the application calls its kv-server as any other client
     * would, for example to check that it answers. Close it before {@link #stop()}.
     *
     * @throws IllegalStateException if the service is not running
     * @throws IOException if it cannot connect
     */
    public KvClient client() throws IOException {
        InetSocketAddress bound;
        EventLoopGroup loops;
        synchronized (this) {
            bound = tcpAddress();
            loops = tcp.eventLoopGroup();
        }
        InetAddress ip = bound.getAddress();
        String host = !ip.isAnyLocalAddress() ? ip.getHostAddress() : ip instanceof Inet6Address ? "::1" : "127.0.0.1";
        return KvClient.connect(ClientConfig.builder(host, bound.getPort()).eventLoopGroup(loops).build(), maxFrame);
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
     * Stops serving: closes both servers gracefully (see {@link TcpServer#close()} and
     * {@link UdpServer#close()}) and returns once their ports are free and their threads have ended. Idempotent; a service never started just
     * becomes stopped.
     */
    public synchronized void stop() {
        if (state == State.RUNNING) {
            try {
                tcp.close();
            } finally {
                udp.close();
            }
        }
        state = State.STOPPED;
    }

    /** {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }
}
