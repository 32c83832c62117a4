package io.netserve.echo.udp;

import io.netserve.test.JarProcess;
import io.netserve.test.UdpTestClient;
import io.netserve.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The outside contract of {@code echo-udp/target/echo-udp.jar}, as a script or an operator meets
 * it: run with {@code java -jar} alone, talked to over real sockets, stopped with SIGTERM.
 */
class EchoUdpJarIT {

    private static final Path JAR = Path.of("target", "echo-udp.jar");
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration SILENCE = Duration.ofMillis(300);

    private final List<JarProcess> processes = new ArrayList<>();
    private final List<UdpTestClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(UdpTestClient::close);
        processes.forEach(JarProcess::close);
    }

    @Test
    void printsTheListeningLineEchoesAndExitsZeroOnSigterm() throws Exception {
        JarProcess jar = start("--port", "0");
        Matcher listening = jar.awaitStdout(JarProcess.LISTENING);
        int port = Integer.parseInt(listening.group(2));
        assertThat(port).isPositive();
        UdpTestClient client = client("127.0.0.1");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);

        for (int size : new int[] {0, 1, 1400, 65_507}) {
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            client.send(payload, server);
            assertThat(client.receive().getData()).as("the reply to %d bytes", size).isEqualTo(payload);
        }
        client.assertSilent(SILENCE);

        jar.terminate();
        assertThat(jar.awaitExit(START)).isZero();
        assertThat(jar.stdout()).filteredOn(line -> line.startsWith("listening on")).hasSize(1);
        assertThat(String.join("\n", jar.stdout())).contains("termination signal received")
                .contains("shutdown 3/3: stopped 127.0.0.1:" + port);
        assertThat(jar.stderr()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void runsOnEachTransportThatLoads(Transport transport) throws Exception {
        assumeThat(transport.isAvailable()).as("%s is not available here", transport).isTrue();
        JarProcess jar = start("--port", "0", "--transport", transport.cliName(), "--io-threads", "2");
        Matcher listening = jar.awaitStdout(JarProcess.LISTENING);
        assertThat(listening.group(3)).isEqualTo(transport.cliName());

        int port = Integer.parseInt(listening.group(2));
        for (int i = 0; i < 8; i++) {
            UdpTestClient client = client("127.0.0.1");
            client.send(new byte[] {(byte) i}, new InetSocketAddress("127.0.0.1", port));
            assertThat(client.receive().getData()).containsExactly((byte) i);
        }
        jar.terminate();
        assertThat(jar.awaitExit(START)).isZero();
    }

    @Test
    void printsIpv6InBrackets() throws Exception {
        assumeThat(UdpTestClient.canBind("::1")).as("IPv6 loopback ::1 is not available here").isTrue();
        JarProcess jar = start("--host", "::1", "--port", "0");
        Matcher listening = jar.awaitStdout(JarProcess.LISTENING);
        assertThat(listening.group(1)).isEqualTo("[::1]");

        UdpTestClient client = client("::1");
        client.send(new byte[] {6}, new InetSocketAddress("::1", Integer.parseInt(listening.group(2))));
        assertThat(client.receive().getData()).containsExactly((byte) 6);
    }

    @Test
    void dropsOversizeDatagramsAndPastTheRate() throws Exception {
        JarProcess jar = start("--port", "0", "--max-datagram-size", "100", "--rate-limit", "5");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(jar.awaitStdout(JarProcess.LISTENING).group(2)));
        UdpTestClient client = client("127.0.0.1");

        client.send(new byte[101], server);
        client.send(new byte[100], server);
        assertThat(client.receive().getData()).hasSize(100);
        client.assertSilent(SILENCE);

        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            client.send(new byte[] {(byte) i}, server);
        }
        int answered = client.countUntilSilent(SILENCE);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(answered).isBetween(3, 4 + (int) Math.ceil(seconds * 5));

        UdpTestClient other = client("127.0.0.2");
        other.send(new byte[] {42}, server);
        assertThat(other.receive().getData()).containsExactly((byte) 42);
    }

    @Test
    void dropsPrivilegedSourcePortsUnlessAllowed() throws Exception {
        UdpTestClient client = UdpTestClient.bindPrivilegedPort();
        clients.add(client);
        JarProcess strict = start("--port", "0");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(strict.awaitStdout(JarProcess.LISTENING).group(2)));
        client.send(new byte[] {7}, server);
        client.assertSilent(SILENCE);

        JarProcess open = start("--port", "0", "--allow-privileged-source-ports");
        server = new InetSocketAddress("127.0.0.1", Integer.parseInt(open.awaitStdout(JarProcess.LISTENING).group(2)));
        client.send(new byte[] {7}, server);
        assertThat(client.receive().getData()).containsExactly((byte) 7);
    }

    @Test
    void helpAndVersionPrintAndExitZero() throws Exception {
        JarProcess help = start("--help");
        assertThat(help.awaitExit(START)).isZero();
        assertThat(String.join("\n", help.stdout())).contains("Usage: echo-udp")
                .contains("--host", "--port", "--transport", "--io-threads", "--shutdown-timeout",
                        "--max-datagram-size", "--rate-limit", "--allow-privileged-source-ports", "--version");

        JarProcess version = start("--version");
        assertThat(version.awaitExit(START)).isZero();
        assertThat(String.join("\n", version.stdout())).startsWith("echo-udp ").contains("nio: available");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--max-datagram-size=0", "--max-datagram-size=65508", "--rate-limit=-1",
            "--rate-limit=fast", "--port=70000", "--io-threads=0", "--transport=dpdk", "--shutdown-timeout=soon"})
    void aBadCommandLineExitsTwoNamingTheOption(String arg) throws Exception {
        JarProcess jar = start(arg);

        assertThat(jar.awaitExit(START)).isEqualTo(2);
        String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String stderr = String.join("\n", jar.stderr());
        assertThat(stderr).contains(option).contains("Try 'echo-udp --help' for more information.")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(jar.stdout()).noneMatch(line -> line.startsWith("listening on"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "nio"})
    void aPortInUseExitsOne(String transport) throws Exception {
        int port = client("127.0.0.1").localPort();

        JarProcess jar = start("--port", String.valueOf(port), "--transport", transport, "--io-threads", "2");

        assertThat(jar.awaitExit(START)).isEqualTo(1);
        assertThat(jar.stderr()).singleElement().asString()
                .startsWith("echo-udp: cannot bind 127.0.0.1:" + port + ": ")
                .endsWith("Address already in use");
    }

    @Test
    void aSecondInstanceOnTheSamePortExitsOne() throws Exception {
        JarProcess first = start("--port", "0");
        String port = first.awaitStdout(JarProcess.LISTENING).group(2);

        JarProcess second = start("--port", port);

        assertThat(second.awaitExit(START)).isEqualTo(1);
        assertThat(String.join("\n", second.stderr())).contains("Address already in use");
    }

    @Test
    void theAdminEndpointExportsTheDatagramMetersAndDropsByReason() throws Exception {
        JarProcess jar = start("--port", "0", "--admin-port", "0", "--max-datagram-size", "100");
        InetSocketAddress server = jar.awaitListening();
        InetSocketAddress admin = jar.awaitAdmin();
        UdpTestClient client = client("127.0.0.1");
        client.send(new byte[101], server);
        assertThat(client.exchange("hello", server)).isEqualTo("hello");

        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics");
        String port = String.valueOf(server.getPort());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).contains("netserve_datagrams_received_total{port=\"" + port + "\",protocol=\"udp\"} 2.0")
                    .contains("netserve_datagrams_sent_total{port=\"" + port + "\",protocol=\"udp\"} 1.0")
                    .contains("netserve_datagrams_dropped_total{port=\"" + port + "\",protocol=\"udp\",reason=\"oversize\"} 1.0")
                    .containsPattern("netserve_datagrams_dropped_total\\{[^}]*reason=\"source_port\"}")
                    .containsPattern("netserve_datagrams_dropped_total\\{[^}]*reason=\"rate_limit\"}")
                    .containsPattern("netserve_datagrams_dropped_total\\{[^}]*reason=\"backpressure\"}")
                    .contains("netserve_received_bytes_total{port=\"" + port + "\",protocol=\"udp\"} 106.0")
                    .contains("netserve_sent_bytes_total").contains("jvm_memory_used_bytes");
        });
    }

    @Test
    void anUnknownHostExitsOne() throws Exception {
        JarProcess jar = start("--host", "no-such-host.invalid", "--port", "0");

        assertThat(jar.awaitExit(START)).isEqualTo(1);
        assertThat(jar.stderr()).singleElement().asString().contains("no-such-host.invalid");
    }

    private JarProcess start(String... args) {
        JarProcess jar = JarProcess.start(JAR, args);
        processes.add(jar);
        return jar;
    }

    private UdpTestClient client(String host) {
        UdpTestClient client = UdpTestClient.bind(host);
        clients.add(client);
        return client;
    }
}
