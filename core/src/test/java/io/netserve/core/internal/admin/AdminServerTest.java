package io.netserve.core.internal.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link AdminServer} end to end on 127.0.0.1: a real {@link HttpClient} for what clients send,
 * raw sockets for what they should not. Every server is closed after each test, and its thread
 * must be gone.
 */
class AdminServerTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Supplier<String> FIXED_METRICS = () -> "# HELP up Whether it is up\n# TYPE up gauge\nup 1.0\n";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(AWAIT).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        // Last opened, first closed: servers before the meters, the meters before their registry.
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        await().atMost(AWAIT).untilAsserted(() -> assertThat(adminThreads()).isZero());
    }

    @Test
    void liveAnswers200WithAShortTextBody() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        HttpResponse<String> live = get(admin, "/health/live");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("live\n");
        assertThat(live.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void readinessFollowsTheSupplier() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        AdminServer admin = start(ready::get, FIXED_METRICS);

        assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        HttpResponse<String> notReady = get(admin, "/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("not ready\n");
        assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
        ready.set(true);
        assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsIsTheRegistrysScrapeInTheTextFormatAndFollowsTheCounters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        resources.add(registry::close);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resources.add(() -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        ServerMetrics metrics = new ServerMetrics();
        ServerMeters meters = ServerMeters.bindTcp(registry, metrics, 7007, loops);
        resources.add(meters);
        AdminServer admin = start(() -> true, registry::scrape);
        metrics.recordConnectionOpened();
        metrics.recordBytesIn(100);
        metrics.recordBytesOut(90);

        HttpResponse<String> first = get(admin, "/metrics");
        metrics.recordConnectionOpened();
        metrics.recordConnectionClosed();
        metrics.recordBytesIn(23);
        metrics.recordBytesOut(33);
        HttpResponse<String> second = get(admin, "/metrics?name[]=ignored");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText before = PrometheusText.parse(first.body());
        PrometheusText after = PrometheusText.parse(second.body());
        assertThat(tcp(before, "netserve_connections_total")).isEqualTo(1.0);
        assertThat(tcp(before, "netserve_connections_active")).isEqualTo(1.0);
        assertThat(tcp(before, "netserve_received_bytes_total")).isEqualTo(100.0);
        assertThat(tcp(before, "netserve_sent_bytes_total")).isEqualTo(90.0);
        assertThat(tcp(after, "netserve_connections_total")).isEqualTo(2.0);
        assertThat(tcp(after, "netserve_connections_active")).isEqualTo(1.0);
        assertThat(tcp(after, "netserve_received_bytes_total")).isEqualTo(123.0);
        assertThat(tcp(after, "netserve_sent_bytes_total")).isEqualTo(123.0);
        assertThat(after.names()).contains("netserve_connections_active", "netserve_connections_total",
                "netserve_connections_rejected_total", "netserve_connections_idle_closed_total",
                "netserve_connections_stall_closed_total", "netserve_received_bytes_total",
                "netserve_sent_bytes_total", "jvm_memory_used_bytes", "process_uptime_seconds", "process_cpu_usage");
    }

    @Test
    void queryStringsAreIgnoredAndAbsoluteFormTargetsUnderstood() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        assertThat(get(admin, "/health/live?verbose=1").statusCode()).isEqualTo(200);
        try (RawHttp raw = raw(admin)) {
            raw.send("GET http://localhost/health/ready?x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void anyOtherPathIs404WhateverTheMethod() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        for (String path : List.of("/", "/health", "/health/live/", "/metricsx", "/Metrics", "/health/ready/x")) {
            assertThat(get(admin, path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(send(admin, "POST", "/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void anotherMethodOnAnEndpointIs405WithAllow() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
            HttpResponse<String> response = send(admin, method, "/metrics");
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).as(method).hasValue("GET, HEAD");
        }
        assertThat(send(admin, "POST", "/health/ready").statusCode()).isEqualTo(405);
    }

    @Test
    void headGetsTheHeadersOfGetAndNoBody() throws Exception {
        AdminServer admin = start(() -> false, FIXED_METRICS);

        try (RawHttp raw = raw(admin)) {
            RawHttp.Response head = raw.send("HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            // The next bytes must be the next response: HEAD sent no body.
            RawHttp.Response get = raw.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").read();
            RawHttp.Response notReady = raw.send("HEAD /health/ready HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            RawHttp.Response live = raw.send("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n").read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(FIXED_METRICS.get().length()));
            assertThat(head.header("content-type")).isEqualTo(AdminServer.METRICS_CONTENT_TYPE);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(FIXED_METRICS.get());
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.header("content-length")).isEqualTo("10");
            assertThat(live.body()).isEqualTo("live\n");
        }
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnectionAndPipelinedOnesInOrder() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        try (RawHttp raw = raw(admin)) {
            RawHttp.Response first = raw.send("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n").read();
            RawHttp.Response second = raw.send("GET /health/ready HTTP/1.1\r\nHost: a\r\n\r\n").read();
            raw.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response third = raw.read();
            RawHttp.Response fourth = raw.read();

            assertThat(first.body()).isEqualTo("live\n");
            assertThat(first.header("connection")).isNull();
            assertThat(second.body()).isEqualTo("ready\n");
            assertThat(third.body()).isEqualTo(FIXED_METRICS.get());
            assertThat(fourth.status()).isEqualTo(404);
        }
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        try (RawHttp raw = raw(admin)) {
            RawHttp.Response response = raw.send("GET /health/live HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .read();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (RawHttp raw = raw(admin)) {
            assertThat(raw.send("GET /health/live HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(raw.closedByServer()).isTrue();
        }
        try (RawHttp raw = raw(admin)) {
            RawHttp.Response kept = raw.send("GET /health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(kept.header("connection")).isEqualTo("keep-alive");
            assertThat(raw.send("GET /health/ready HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void aMalformedRequestLineIs400AndClose() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        for (String request : List.of("this is not http\r\n\r\n", "GET /health/live HTTP/9\r\n\r\n",
                "GET\r\n\r\n")) {
            try (RawHttp raw = raw(admin)) {
                RawHttp.Response response = raw.send(request).read();
                assertThat(response.status()).as(request).isEqualTo(400);
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(raw.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aMalformedHeaderIs400() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        try (RawHttp raw = raw(admin)) {
            RawHttp.Response response = raw.send("GET /health/live HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n")
                    .read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void anOversizeRequestLineOrHeaderIs400() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        String longPath = "/" + "a".repeat(AdminServer.MAX_INITIAL_LINE);
        String longHeader = "X-Big: " + "b".repeat(AdminServer.MAX_HEADER_SIZE) + "\r\n";
        String manyHeaders = "X-Many: 0123456789012345678901234567890123456789\r\n".repeat(200);
        for (String request : List.of("GET " + longPath + " HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /health/live HTTP/1.1\r\nHost: a\r\n" + longHeader + "\r\n",
                "GET /health/live HTTP/1.1\r\nHost: a\r\n" + manyHeaders + "\r\n")) {
            try (RawHttp raw = raw(admin)) {
                RawHttp.Response response = raw.send(request).read();
                assertThat(response.status()).isEqualTo(400);
                assertThat(raw.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        try (RawHttp raw = raw(admin)) {
            RawHttp.Response response = raw.send("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: "
                    + (AdminServer.MAX_BODY + 1) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
        }
    }

    @Test
    void aSlowClientWithHalfARequestDoesNotBlockAnother() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS);

        try (RawHttp slow = raw(admin)) {
            slow.send("GET /health/li");

            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(admin, "/metrics").body()).isEqualTo(FIXED_METRICS.get());

            assertThat(slow.send("ve HTTP/1.1\r\nHost: a\r\n\r\n").read().body()).isEqualTo("live\n");
        }
    }

    @Test
    void aConnectionThatCompletesNoRequestInTimeIsClosed() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS, AdminServer.DEFAULT_MAX_CONNECTIONS,
                Duration.ofMillis(300));

        try (RawHttp silent = raw(admin); RawHttp trickling = raw(admin); RawHttp idle = raw(admin)) {
            trickling.send("GET /hea");
            assertThat(idle.send("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);

            assertThat(silent.closedByServer()).isTrue();
            assertThat(trickling.closedByServer()).isTrue();
            assertThat(idle.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionsOverTheCapAreClosedOnAccept() throws Exception {
        AdminServer admin = start(() -> true, FIXED_METRICS, 2, AdminServer.DEFAULT_REQUEST_TIMEOUT);

        try (RawHttp first = raw(admin); RawHttp second = raw(admin)) {
            assertThat(first.send("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(second.send("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            try (RawHttp third = raw(admin)) {
                assertThat(third.closedByServer()).isTrue();
            }
        }
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200));
    }

    @Test
    void aFailingMetricsSupplierIs500() throws Exception {
        AdminServer admin = start(() -> true, () -> {
            throw new IllegalStateException("registry closed");
        });

        assertThat(get(admin, "/metrics").statusCode()).isEqualTo(500);
        assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void answersWhileTheServicesEventLoopIsBlocked() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TcpServer service = TcpServer.start(ServerConfig.builder().port(0).ioThreads(1).build(),
                pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws InterruptedException {
                        ReferenceCountUtil.release(msg);
                        entered.countDown();
                        release.await(20, TimeUnit.SECONDS);
                    }
                }));
        resources.add(service);
        resources.add(release::countDown);
        AdminServer admin = start(() -> !service.isDraining(), FIXED_METRICS);

        try (Socket client = new Socket(service.localAddress().getAddress(), service.localAddress().getPort())) {
            client.getOutputStream().write(1);
            assertThat(entered.await(20, TimeUnit.SECONDS)).as("the service's only event loop is busy").isTrue();

            assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(admin, "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesOnIpv6Loopback() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        assumeTrue(ipv6LoopbackWorks(), "::1 is not configured here");
        AdminServer admin = AdminServer.start(v6, () -> true, FIXED_METRICS);
        resources.add(admin);

        try (RawHttp raw = new RawHttp(admin.localAddress())) {
            assertThat(raw.send("GET /health/live HTTP/1.1\r\nHost: [::1]\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> AdminServer.start(admin.localAddress(), () -> true, FIXED_METRICS))
                .hasMessageStartingWith("cannot bind admin endpoint [::1]:" + admin.localAddress().getPort() + ": ");
    }

    @Test
    void startsOnPortZeroAndStopsWithoutLeavingItsThread() throws Exception {
        AdminServer admin = AdminServer.start(ANY_PORT, () -> true, FIXED_METRICS);
        try {
            assertThat(admin.localAddress().getPort()).isPositive();
            assertThat(admin.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
            assertThat(adminThreads()).isEqualTo(1);
        } finally {
            admin.close();
        }
        admin.close();

        await().atMost(AWAIT).untilAsserted(() -> assertThat(adminThreads()).isZero());
        assertThatThrownBy(() -> get(admin, "/health/live")).isInstanceOf(IOException.class);
    }

    @Test
    void aPortInUseFailsWithTheAddressAndTheReasonAndNoThreadLeft() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

            assertThatThrownBy(() -> AdminServer.start(address, () -> true, FIXED_METRICS))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessage("cannot bind admin endpoint 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use");
            await().atMost(AWAIT).untilAsserted(() -> assertThat(adminThreads()).isZero());
        }
    }

    private AdminServer start(BooleanSupplier ready, Supplier<String> metrics) throws ServerStartException {
        return start(ready, metrics, AdminServer.DEFAULT_MAX_CONNECTIONS, AdminServer.DEFAULT_REQUEST_TIMEOUT);
    }

    private AdminServer start(BooleanSupplier ready, Supplier<String> metrics, int maxConnections, Duration timeout)
            throws ServerStartException {
        AdminServer admin = AdminServer.start(ANY_PORT, ready, metrics, maxConnections, timeout);
        resources.add(admin);
        return admin;
    }

    private RawHttp raw(AdminServer admin) throws IOException {
        return new RawHttp(admin.localAddress());
    }

    private HttpResponse<String> get(AdminServer admin, String path) throws IOException, InterruptedException {
        return send(admin, "GET", path);
    }

    private HttpResponse<String> send(AdminServer admin, String method, String path)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(AWAIT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Double tcp(PrometheusText text, String name) {
        return text.value(name, "protocol", "tcp", "port", "7007");
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return s.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long adminThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(AdminServer.THREAD_NAME) && t.isAlive())
                .count();
    }
}
