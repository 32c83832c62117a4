package io.netserve.samples.embed;

import io.netserve.core.config.ClientConfig;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.BindFailedException;
import io.netserve.test.UdpTestClient;
import io.netserve.samples.kv.KvClient;
import io.netserve.samples.kv.KvRequest;
import io.netserve.samples.kv.KvResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KvServiceTest {

    private static final ServerConfig LOOPBACK_ANY_PORT = ServerConfig.builder().host("127.0.0.1").port(0).build();

    /** Loads what a first server loads once per JVM (classes, JDK and Netty helper threads), so that what is counted after is the service's own. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (KvService service = new KvService(LOOPBACK_ANY_PORT)) {
            service.start();
            talk(service.tcpAddress(), KvRequest.get("warm-up"));
        }
    }

    @Test
    void startsOnAnOsChosenPortServesTheSharedStoreAndStopsLeavingNoThreadOrPort() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        KvService service = new KvService(LOOPBACK_ANY_PORT);
        InetSocketAddress bound;
        InetSocketAddress udp;
        try {
            service.start();
            assertThat(service.isRunning()).isTrue();
            bound = service.tcpAddress();
            assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
            assertThat(bound.getPort()).isPositive();
            assertThat(newLiveThreads(before)).as("the service's event loops").isNotEmpty();

            service.store().set("from-app", "set in-process".getBytes(StandardCharsets.UTF_8));
            assertThat(talk(bound, KvRequest.get("from-app")))
                    .isEqualTo(KvResponse.found("set in-process".getBytes(StandardCharsets.UTF_8)));
            talk(bound, KvRequest.set("from-net", new byte[] {42}));
            udp = service.udpAddress();
            assertThat(udp.getAddress().isLoopbackAddress()).isTrue();
            try (UdpTestClient peer = UdpTestClient.bind(udp.getAddress().getHostAddress())) {
                assertThat(peer.exchange("one", udp)).isEqualTo("1 one");
                assertThat(peer.exchange("two", udp)).isEqualTo("2 two");
            }
            assertThat(service.store().get("from-net")).hasValueSatisfying(v -> assertThat(v).containsExactly(42));
        } finally {
            service.stop();
        }

        assertThat(service.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(15)).pollInSameThread().untilAsserted(() -> assertThat(newLiveThreads(before)).isEmpty());
        try (ServerSocket again = new ServerSocket(bound.getPort(), 1, bound.getAddress())) {
            assertThat(again.getLocalPort()).as("the port is free").isEqualTo(bound.getPort());
        }
        try (DatagramSocket again = new DatagramSocket(udp)) {
            assertThat(again.getLocalPort()).as("the UDP port is free").isEqualTo(udp.getPort());
        }
    }

    @Test
    void stopClosesOpenConnections() throws Exception {
        KvService service = new KvService(LOOPBACK_ANY_PORT);
        service.start();
        Socket open = new Socket();
        open.connect(service.tcpAddress(), 10_000);
        open.setSoTimeout(10_000);
        try (open) {
            // One exchange first: a connection still in the accept backlog would be reset, not closed.
            open.getOutputStream().write(new byte[] {0, 0, 0, 4, 'G', 0, 1, 'k'});                  // GET k
            assertThat(open.getInputStream().readNBytes(5)).isEqualTo(new byte[] {0, 0, 0, 1, 1});   // NOT_FOUND
            service.stop();
            assertThat(open.getInputStream().read()).as("end of stream").isEqualTo(-1);
        } finally {
            service.stop();
        }
    }

    @Test
    void theLifecycleIsStartOnceThenStop() throws Exception {
        KvService service = new KvService(LOOPBACK_ANY_PORT);
        assertThatThrownBy(service::tcpAddress).isInstanceOf(IllegalStateException.class)
                .hasMessage("KvService is not running, it is new");
        service.start();
        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("KvService can start once, it is running");
        service.stop();
        service.stop();
        assertThatThrownBy(service::tcpAddress).isInstanceOf(IllegalStateException.class)
                .hasMessage("KvService is not running, it is stopped");
        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("KvService can start once, it is stopped");
    }

    @Test
    void aFailedStartLeavesNothingRunningAndMayBeRetried() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KvService service = new KvService(ServerConfig.builder().port(taken.getLocalPort()).build());
            assertThatThrownBy(service::start).isInstanceOf(BindFailedException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(service.isRunning()).isFalse();
            await().atMost(Duration.ofSeconds(15)).pollInSameThread().untilAsserted(() -> assertThat(newLiveThreads(before)).isEmpty());
        }
    }

    private static List<String> newLiveThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName).toList();
    }

    private static KvResponse talk(InetSocketAddress address, KvRequest request) throws Exception {
        try (KvClient client = KvClient.connect(ClientConfig.builder("127.0.0.1", address.getPort()).build(), 1024)) {
            return client.send(request);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
