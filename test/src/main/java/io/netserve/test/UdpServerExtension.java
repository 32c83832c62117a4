package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.udp.UdpServer;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A JUnit 5 extension that runs a real {@link UdpServer} for a datagram {@link Protocol} on
 * loopback and an OS-chosen port, and hands the test {@link UdpTestClient}s bound on loopback: the
 * UDP counterpart of {@link ServerExtension}, with the same lifecycle (static field: the whole
 * class; instance field: each test) and the same leak check after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final UdpServerExtension server = UdpServerExtension.of(new CounterProtocol(Duration.ofSeconds(60), 100));
 *
 * @Test
 * void countsDatagrams() {
 *     UdpTestClient client = server.newClient();
 *     assertThat(client.exchange("a", server.address())).isEqualTo("1 a");
 * }
 * }</pre>
 *
 * <p>Every accessor throws {@link IllegalStateException} while the server is not running.
 * Thread-safe.
 */
public final class UdpServerExtension extends LoopbackServerExtension<UdpServer, UdpTestClient> {

    private final Protocol protocol;
    private final ServerConfig config;

    private UdpServerExtension(Protocol protocol, ServerConfig config) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** An extension serving {@code protocol} with core's defaults: {@code 127.0.0.1}, an OS-chosen port. */
    public static UdpServerExtension of(Protocol protocol) {
        return of(protocol, ServerConfig.defaults());
    }

    /** An extension serving {@code protocol} with {@code config}; keep port 0 (the default). */
    public static UdpServerExtension of(Protocol protocol, ServerConfig config) {
        return new UdpServerExtension(protocol, config);
    }

    @Override
    UdpServer startServer() throws ServerStartException {
        return UdpServer.start(config, protocol);
    }

    @Override
    UdpTestClient newClient(InetSocketAddress address) {
        return UdpTestClient.bind(address.getAddress().getHostAddress());
    }
}
