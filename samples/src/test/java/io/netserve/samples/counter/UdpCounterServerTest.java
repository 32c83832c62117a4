package io.netserve.samples.counter;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.udp.UdpServer;
import io.netserve.test.UdpTestClient;
import io.netserve.samples.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter protocol served by a real {@link UdpServer} on loopback, and udp-client against it. */
class UdpCounterServerTest {

    private UdpServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).build();
        server = UdpServer.start(config, new CounterProtocol(Duration.ofSeconds(60), 100));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void countsEachPeersDatagramsInItsOwnSession() throws Exception {
        InetSocketAddress to = server.localAddress();
        try (UdpTestClient ada = UdpTestClient.bind("127.0.0.1"); UdpTestClient bob = UdpTestClient.bind("127.0.0.1")) {
            assertThat(ada.exchange("one", to)).isEqualTo("1 one");
            assertThat(ada.exchange("two", to)).isEqualTo("2 two");
            assertThat(bob.exchange("uno", to)).isEqualTo("1 uno");
            assertThat(ada.exchange("three", to)).isEqualTo("3 three");
            assertThat(bob.exchange("dos", to)).isEqualTo("2 dos");
        }
        assertThat(server.metrics().datagramsIn()).isEqualTo(5);
    }

    @Test
    void udpClientPrintsEachCountedReply() {
        Run run = Run.withInput("a\nb\nc\n", "udp-client", "--port", String.valueOf(server.localAddress().getPort()),
                "--timeout", "10s");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("1 a\n2 b\n3 c\n");
    }

    @Test
    void badSessionOptionsAreABadCommandLineNamingTheOption() {
        Run zero = Run.of("udp-counter-server", "--port", "0", "--max-sessions", "0");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("samples udp-counter-server: Invalid value for option '--max-sessions': "
                + "must be at least 1, was 0\nTry 'samples udp-counter-server --help' for more information.\n");

        Run timeout = Run.of("udp-counter-server", "--port", "0", "--session-timeout", "0");
        assertThat(timeout.status()).isEqualTo(2);
        assertThat(timeout.err()).startsWith("samples udp-counter-server: Invalid value for option "
                + "'--session-timeout': must be positive, was 0ms\n");
    }
}
