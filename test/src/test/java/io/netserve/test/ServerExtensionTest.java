package io.netserve.test;

import io.netserve.core.tcp.TcpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class ServerExtensionTest {

    @Test
    void accessorsThrowWhileTheServerIsNotRunning() {
        ServerExtension extension = ServerExtension.of(KitProtocols.lines());
        assertThatThrownBy(extension::server).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        assertThatThrownBy(extension::address).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(extension::port).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(extension::metrics).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(extension::newClient).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStaticExtensionServesTheWholeClassThenStopsAndFreesItsPortAndThreads() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ClassServer.servers.clear();
        ClassServer.clients.clear();

        run(ClassServer.class).assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(ClassServer.servers).hasSize(2);
        TcpServer server = ClassServer.servers.get(0);
        assertThat(ClassServer.servers.get(1)).isSameAs(server);
        assertThat(server.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(server.closeFuture().toCompletableFuture()).isDone();
        assertThat(ClassServer.clients).allSatisfy(c -> assertThat(c.socket().isClosed()).isTrue());
        assertPortFree(server.localAddress().getPort());
        assertNoNewServerThreads(before);
    }

    @Test
    void anInstanceExtensionGivesEachTestItsOwnServer() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        EachTestServer.servers.clear();

        run(EachTestServer.class).assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(EachTestServer.servers).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(s -> assertThat(s.closeFuture().toCompletableFuture()).isDone());
        assertNoNewServerThreads(before);
    }

    @Test
    void aFailingAssertionInsideAServedTestStillFailsIt() {
        run(Failing.class).assertStatistics(s -> s.started(1).failed(1));
    }

    private static Events run(Class<?> scenario) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(scenario))
                .execute()
                .testEvents();
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    private static void assertNoNewServerThreads(Set<Thread> before) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("netserve-"))
                        .map(Thread::getName).collect(Collectors.toList())).isEmpty());
    }

    /** Run only through the engine test kit above (surefire skips nested classes). */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassServer {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(KitProtocols.lines());

        static final List<TcpServer> servers = new CopyOnWriteArrayList<>();
        static final List<TestClient> clients = new CopyOnWriteArrayList<>();
        static TestClient classClient;

        @BeforeAll
        static void connectOnceForTheClass() {
            classClient = server.newClient();
            clients.add(classClient);
        }

        @Test
        @Order(1)
        void first() {
            servers.add(server.server());
            TestClient client = server.newClient();
            clients.add(client);
            client.sendLine("hi");
            assertThat(client.readLine()).isEqualTo("echo:hi");
        }

        @Test
        @Order(2)
        void second() {
            servers.add(server.server());
            assertThat(clients.get(1).socket().isClosed()).as("the first test's client").isTrue();
            assertThat(classClient.socket().isClosed()).as("the class's client").isFalse();
            classClient.sendLine("still here");
            assertThat(classClient.readLine()).isEqualTo("echo:still here");
        }
    }

    /** Run only through the engine test kit above. */
    static class EachTestServer {
        @RegisterExtension
        final ServerExtension server = ServerExtension.of(KitProtocols.lines());

        static final List<TcpServer> servers = new CopyOnWriteArrayList<>();

        @Test
        void one() {
            exchange();
        }

        @Test
        void two() {
            exchange();
        }

        private void exchange() {
            servers.add(server.server());
            TestClient client = server.newClient();
            client.sendLine("x");
            assertThat(client.readLine()).isEqualTo("echo:x");
        }
    }

    /** Run only through the engine test kit above. */
    static class Failing {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(KitProtocols.lines());

        @Test
        void expectsTheWrongReply() {
            TestClient client = server.newClient();
            client.sendLine("x");
            assertThat(client.readLine()).isEqualTo("something else");
        }
    }
}
