package io.netserve.echo.tcp;

import io.netserve.test.JarProcess;
import io.netserve.test.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The contract's "Operations" section, from outside the JVM: the admin endpoint, the drain delay, reuse-port. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OperationsJarIT {

    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final List<String> TCP_METERS = List.of("netserve_connections_active", "netserve_connections_total",
            "netserve_connections_rejected_total", "netserve_connections_idle_closed_total",
            "netserve_connections_stall_closed_total", "netserve_received_bytes_total", "netserve_sent_bytes_total",
            "netserve_accept_errors_total", "netserve_tls_handshake_failures_total", "netserve_connections_paused",
            "netserve_buffered_bytes", "netserve_log_events_dropped_total",
            "jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds");

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theAdminEndpointAnswersAndItsMetricsFollowTheEcho() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--admin-port", "0")) {
            InetSocketAddress service = p.awaitListening();
            InetSocketAddress admin = p.awaitAdmin();
            assertThat(p.stdout().indexOf(p.stdout().stream().filter(l -> l.startsWith("admin on")).findFirst()
                    .orElseThrow())).as("the admin line follows the listening line").isEqualTo(
                    p.stdout().indexOf(p.stdout().stream().filter(l -> l.startsWith("listening on")).findFirst()
                            .orElseThrow()) + 1);

            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(admin, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            for (String name : TCP_METERS) {
                assertThat(metrics.body()).as(name).containsPattern("(?m)^" + name + "[{ ]");
            }
            double before = sample(metrics.body(), "netserve_received_bytes_total");

            try (TestClient client = TestClient.connect(service)) {
                client.send(new byte[4096]);
                client.readBytes(4096);
            }
            await().atMost(EXIT).until(() -> sample(get(admin, "/metrics").body(), "netserve_sent_bytes_total")
                    == before + 4096);
            assertThat(sample(get(admin, "/metrics").body(), "netserve_received_bytes_total")).isEqualTo(before + 4096);

            assertThat(get(admin, "/nowhere").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(uri(admin, "/metrics")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
            assertThat(rawStatusLine(admin, "BANANA\r\n\r\n")).startsWith("HTTP/1.1 400");

            p.terminate();
            assertThat(p.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void duringTheDrainDelayItIsNotReadyYetServesNewConnectionsThenExitsZero() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--admin-port", "0", "--drain-delay", "2s")) {
            InetSocketAddress service = p.awaitListening();
            InetSocketAddress admin = p.awaitAdmin();

            p.terminate();
            await().atMost(EXIT).until(() -> get(admin, "/health/ready").statusCode() == 503);
            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
            try (TestClient late = TestClient.connect(service)) {
                late.sendLine("still here");
                assertThat(late.readLine()).isEqualTo("still here");
            }
            assertThat(p.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void anAdminPortInUseExitsOneNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            JarProcess p = JarProcess.run(JAR, "--port", "0", "--admin-port", String.valueOf(taken.getLocalPort()));

            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(p.stderrText()).contains("127.0.0.1:" + taken.getLocalPort());
            p.assertNoStackTrace();
        }
    }

    @Test
    void withReusePortASecondProcessSharesThePortAndBothServe() throws Exception {
        try (JarProcess first = JarProcess.start(JAR, "--port", "0", "--reuse-port", "--admin-port", "0")) {
            InetSocketAddress service = first.awaitListening();
            InetSocketAddress firstAdmin = first.awaitAdmin();
            try (JarProcess second = JarProcess.start(JAR, "--port", String.valueOf(service.getPort()), "--reuse-port",
                    "--admin-port", "0")) {
                second.awaitListening();
                InetSocketAddress secondAdmin = second.awaitAdmin();

                await().atMost(EXIT).untilAsserted(() -> {
                    try (TestClient client = TestClient.connect(service)) {
                        client.sendLine("x");
                        assertThat(client.readLine()).isEqualTo("x");
                    }
                    assertThat(sample(get(firstAdmin, "/metrics").body(), "netserve_connections_total")).isPositive();
                    assertThat(sample(get(secondAdmin, "/metrics").body(), "netserve_connections_total")).isPositive();
                });
            }
        }
    }

    @Test
    void withoutReusePortASecondProcessExitsOne() throws Exception {
        try (JarProcess first = JarProcess.start(JAR, "--port", "0", "--reuse-port")) {
            InetSocketAddress service = first.awaitListening();

            JarProcess second = JarProcess.run(JAR, "--port", String.valueOf(service.getPort()));

            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(second.stderrText()).contains("Address already in use");
        }
    }

    /** The value of the one sample of {@code name} in a scrape. */
    static double sample(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("a sample of " + name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The body of {@code /metrics} on {@code admin}. */
    static String scrape(InetSocketAddress admin) throws IOException, InterruptedException {
        HttpResponse<String> response = get(admin, "/metrics");
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> get(InetSocketAddress admin, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(admin, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(InetSocketAddress admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.getPort() + path);
    }

    private static String rawStatusLine(InetSocketAddress admin, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", admin.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
