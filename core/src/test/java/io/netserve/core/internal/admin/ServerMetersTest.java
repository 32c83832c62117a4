package io.netserve.core.internal.admin;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link ServerMeters} and {@link ProcessMeters} on a real {@link PrometheusMeterRegistry}: the
 * scraped names are exactly the contract's, the values are those of the {@link ServerMetrics}
 * adders at scrape time, and closing removes what binding added.
 */
class ServerMetersTest {

    private static final String TCP_PORT = "7007";
    private static final String UDP_PORT = "7008";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ServerMeters> bindings = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final EventLoopGroup group = newGroup(2);

    @AfterEach
    void closeEverything() {
        bindings.forEach(ServerMeters::close);
        groups.forEach(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        registry.close();
    }

    @Test
    void tcpServerHasExactlyTheContractsNamesWithTheCountersValues() {
        ServerMetrics metrics = new ServerMetrics();
        bind(ServerMeters.bindTcp(registry, metrics, Integer.parseInt(TCP_PORT), group));
        metrics.recordConnectionOpened();
        metrics.recordConnectionOpened();
        metrics.recordConnectionOpened();
        metrics.recordConnectionClosed();
        metrics.recordConnectionRejected();
        metrics.recordIdleClosed();
        metrics.recordIdleClosed();
        metrics.recordStallClosed();
        metrics.recordBytesIn(1234);
        metrics.recordBytesOut(1200);
        metrics.recordAcceptError(true);
        metrics.recordAcceptError(false);
        metrics.recordAcceptError(false);
        metrics.recordReadPaused();
        metrics.recordReadPaused();
        metrics.recordReadResumed();
        metrics.bufferedBytesFrom(() -> 4096);

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.value("netserve_accept_errors_total", "port", TCP_PORT, "protocol", "tcp",
                "reason", "too_many_open_files")).isEqualTo(1.0);
        assertThat(text.value("netserve_accept_errors_total", "port", TCP_PORT, "protocol", "tcp",
                "reason", "other")).isEqualTo(2.0);
        assertThat(tcp(text, "netserve_connections_active")).isEqualTo(2.0);
        assertThat(tcp(text, "netserve_connections_total")).isEqualTo(3.0);
        assertThat(tcp(text, "netserve_connections_rejected_total")).isEqualTo(1.0);
        assertThat(tcp(text, "netserve_connections_idle_closed_total")).isEqualTo(2.0);
        assertThat(tcp(text, "netserve_connections_stall_closed_total")).isEqualTo(1.0);
        assertThat(tcp(text, "netserve_received_bytes_total")).isEqualTo(1234.0);
        assertThat(tcp(text, "netserve_sent_bytes_total")).isEqualTo(1200.0);
        assertThat(tcp(text, "netserve_connections_paused")).isEqualTo(1.0);
        assertThat(tcp(text, "netserve_buffered_bytes")).isEqualTo(4096.0);
        assertThat(text.type("netserve_connections_active")).isEqualTo("gauge");
        assertThat(text.type("netserve_buffered_bytes")).isEqualTo("gauge");
        assertThat(text.type("netserve_connections_total")).isEqualTo("counter");
        assertThat(text.type("netserve_received_bytes_total")).isEqualTo("counter");
        assertThat(netserveNames(text)).containsExactlyInAnyOrder("netserve_connections_active",
                "netserve_connections_total", "netserve_connections_rejected_total",
                "netserve_connections_idle_closed_total", "netserve_connections_stall_closed_total",
                "netserve_connections_paused", "netserve_buffered_bytes", "netserve_tls_handshake_failures_total",
                "netserve_received_bytes_total", "netserve_sent_bytes_total", "netserve_accept_errors_total");
    }

    @Test
    void tcpServerCountsTlsHandshakeFailuresWithASeriesForEveryReason() {
        ServerMetrics metrics = new ServerMetrics();
        bind(ServerMeters.bindTcp(registry, metrics, Integer.parseInt(TCP_PORT), group));
        metrics.recordTlsHandshakeFailure("not_tls");
        metrics.recordTlsHandshakeFailure("not_tls");
        metrics.recordTlsHandshakeFailure("timeout");

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.type("netserve_tls_handshake_failures_total")).isEqualTo("counter");
        assertThat(tlsFailures(text, "not_tls")).isEqualTo(2.0);
        assertThat(tlsFailures(text, "timeout")).isEqualTo(1.0);
        for (String reason : List.of("protocol_version", "no_client_certificate", "bad_client_certificate",
                "certificate_rejected", "closed", "other")) {
            assertThat(tlsFailures(text, reason)).as(reason).isZero();
        }
        metrics.recordTlsHandshakeFailure("closed");
        assertThat(tlsFailures(PrometheusText.parse(registry.scrape()), "closed")).isEqualTo(1.0);
    }

    @Test
    void valuesAreReadAtScrapeTime() {
        ServerMetrics metrics = new ServerMetrics();
        bind(ServerMeters.bindTcp(registry, metrics, Integer.parseInt(TCP_PORT), group));
        assertThat(tcp(PrometheusText.parse(registry.scrape()), "netserve_received_bytes_total")).isZero();

        metrics.recordBytesIn(10);
        assertThat(tcp(PrometheusText.parse(registry.scrape()), "netserve_received_bytes_total")).isEqualTo(10.0);
        metrics.recordBytesIn(5);
        assertThat(tcp(PrometheusText.parse(registry.scrape()), "netserve_received_bytes_total")).isEqualTo(15.0);
    }

    @Test
    void udpServerHasExactlyTheContractsNamesWithEveryDropReason() {
        ServerMetrics metrics = new ServerMetrics();
        bind(ServerMeters.bindUdp(registry, metrics, Integer.parseInt(UDP_PORT), group));
        for (int i = 0; i < 4; i++) {
            metrics.recordDroppedBackpressure();
        }
        metrics.recordDatagramIn(100);
        metrics.recordDatagramIn(50);
        metrics.recordDatagramOut(100);
        metrics.recordDroppedOversize();
        metrics.recordDroppedPrivilegedPort();
        metrics.recordDroppedPrivilegedPort();
        metrics.recordDroppedRateLimited();
        metrics.recordDroppedRateLimited();
        metrics.recordDroppedRateLimited();

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(udp(text, "netserve_datagrams_received_total")).isEqualTo(2.0);
        assertThat(udp(text, "netserve_datagrams_sent_total")).isEqualTo(1.0);
        assertThat(udp(text, "netserve_received_bytes_total")).isEqualTo(150.0);
        assertThat(udp(text, "netserve_sent_bytes_total")).isEqualTo(100.0);
        assertThat(dropped(text, "oversize")).isEqualTo(1.0);
        assertThat(dropped(text, "source_port")).isEqualTo(2.0);
        assertThat(dropped(text, "rate_limit")).isEqualTo(3.0);
        assertThat(dropped(text, "backpressure")).isEqualTo(4.0);
        metrics.recordDroppedBackpressure();
        assertThat(dropped(PrometheusText.parse(registry.scrape()), "backpressure")).isEqualTo(5.0);
        assertThat(netserveNames(text)).containsExactlyInAnyOrder("netserve_datagrams_received_total",
                "netserve_datagrams_sent_total", "netserve_datagrams_dropped_total",
                "netserve_received_bytes_total", "netserve_sent_bytes_total");
    }

    @Test
    void aTcpAndAUdpServerShareARegistryWithDistinctSeries() {
        ServerMetrics tcp = new ServerMetrics();
        ServerMetrics udp = new ServerMetrics();
        bind(ServerMeters.bindTcp(registry, tcp, Integer.parseInt(TCP_PORT), group));
        bind(ServerMeters.bindUdp(registry, udp, Integer.parseInt(TCP_PORT), group));
        tcp.recordBytesIn(7);
        udp.recordDatagramIn(3);

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.value("netserve_received_bytes_total", "protocol", "tcp", "port", TCP_PORT)).isEqualTo(7.0);
        assertThat(text.value("netserve_received_bytes_total", "protocol", "udp", "port", TCP_PORT)).isEqualTo(3.0);
    }

    @Test
    void twoTcpServersOnOneRegistryAreTaggedByPortAndASecondOnTheSamePortIsRefused() {
        ServerMetrics first = new ServerMetrics();
        ServerMetrics second = new ServerMetrics();
        bind(ServerMeters.bindTcp(registry, first, 7001, group));
        bind(ServerMeters.bindTcp(registry, second, 7002, group));
        first.recordConnectionOpened();
        second.recordConnectionOpened();
        second.recordConnectionOpened();

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.value("netserve_connections_total", "protocol", "tcp", "port", "7001")).isEqualTo(1.0);
        assertThat(text.value("netserve_connections_total", "protocol", "tcp", "port", "7002")).isEqualTo(2.0);
        assertThatThrownBy(() -> ServerMeters.bindTcp(registry, new ServerMetrics(), 7001, group))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tcp server on port 7001");
    }

    @Test
    void closingABindingRemovesItsMetersAndLetsTheNextServerBindAgain() {
        ServerMeters tcp = ServerMeters.bindTcp(registry, new ServerMetrics(), Integer.parseInt(TCP_PORT), group);
        EventLoopGroup udpLoops = newGroup(1);
        bind(ServerMeters.bindUdp(registry, new ServerMetrics(), Integer.parseInt(UDP_PORT), udpLoops));

        tcp.close();
        tcp.close();

        PrometheusText text = PrometheusText.parse(registry.scrape());
        assertThat(netserveNames(text)).doesNotContain("netserve_connections_total");
        assertThat(text.value("netserve_received_bytes_total", "protocol", "tcp", "port", TCP_PORT)).isNull();
        assertThat(text.value("netserve_received_bytes_total", "protocol", "udp", "port", UDP_PORT)).isZero();
        assertThat(text.names()).contains("jvm_memory_used_bytes");
        assertThat(text.samples().keySet()).noneMatch(k -> k.startsWith("netty_eventexecutor_tasks_pending")
                && k.contains(threadName(group.next())));
        assertThat(text.value("netty_eventexecutor_tasks_pending", "name", threadName(udpLoops.next()))).isZero();

        ServerMetrics again = new ServerMetrics();
        again.recordBytesIn(3);
        bind(ServerMeters.bindTcp(registry, again, Integer.parseInt(TCP_PORT), group));
        assertThat(PrometheusText.parse(registry.scrape())
                .value("netserve_received_bytes_total", "protocol", "tcp", "port", TCP_PORT)).isEqualTo(3.0);
    }

    @Test
    void jvmProcessEventLoopAndAllocatorMetersArePresent() {
        bind(ServerMeters.bindTcp(registry, new ServerMetrics(), Integer.parseInt(TCP_PORT), group));

        PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total", "process_uptime_seconds",
                "process_cpu_usage", "system_cpu_count", "process_files_open_files",
                "netty_eventexecutor_tasks_pending", "netty_allocator_memory_used");
        for (EventExecutor loop : group) {
            assertThat(text.value("netty_eventexecutor_tasks_pending", "name", threadName(loop))).isNotNull();
        }
        String allocator = ByteBufAllocator.DEFAULT.getClass().getSimpleName();
        assertThat(text.value("netty_allocator_memory_used", "allocator_type", allocator,
                "id", String.valueOf(ByteBufAllocator.DEFAULT.hashCode()), "memory_type", "direct")).isNotNull();
    }

    @Test
    void eventLoopGaugesCountTasksPendingOnANetty42IoEventLoop() throws Exception {
        EventLoopGroup one = newGroup(1);
        bind(ServerMeters.bindTcp(registry, new ServerMetrics(), Integer.parseInt(TCP_PORT), one));
        EventExecutor loop = one.next();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        assertThat(blocked.await(20, TimeUnit.SECONDS)).isTrue();
        loop.execute(() -> { });
        loop.execute(() -> { });

        Double pending = PrometheusText.parse(registry.scrape()).value("netty_eventexecutor_tasks_pending",
                "name", threadName(loop));
        release.countDown();

        assertThat(pending).isEqualTo(2.0);
    }

    @Test
    void theLastBindingClosedRemovesTheProcessMetersTooAndTheirGcListener() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        ServerMeters first = ServerMeters.bindTcp(simple, new ServerMetrics(), 1, group);
        ServerMeters second = ServerMeters.bindTcp(simple, new ServerMetrics(), 2, group);
        // A collection registers the lazily bound GC pause timer, which must go too.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            System.gc();
            assertThat(simple.find("jvm.gc.pause").meters()).isNotEmpty();
        });

        first.close();
        assertThat(simple.find("jvm.memory.used").meters()).isNotEmpty();
        second.close();

        assertThat(simple.getMeters()).isEmpty();
    }

    @Test
    void aRegistryThatHasJvmMetersAlreadyGetsNoSecondSetAndKeepsItsOwn() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        new JvmMemoryMetrics().bindTo(simple);
        int own = simple.getMeters().size();

        ServerMeters meters = ServerMeters.bindTcp(simple, new ServerMetrics(), 1, group);
        assertThat(simple.find("jvm.gc.memory.allocated").meters()).isEmpty();
        meters.close();

        assertThat(simple.getMeters()).hasSize(own);
    }

    private EventLoopGroup newGroup(int threads) {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        groups.add(loops);
        return loops;
    }

    private ServerMeters bind(ServerMeters meters) {
        bindings.add(meters);
        return meters;
    }

    private static Double tcp(PrometheusText text, String name) {
        return text.value(name, "protocol", "tcp", "port", TCP_PORT);
    }

    private static Double udp(PrometheusText text, String name) {
        return text.value(name, "protocol", "udp", "port", UDP_PORT);
    }

    private static Double dropped(PrometheusText text, String reason) {
        return text.value("netserve_datagrams_dropped_total", "protocol", "udp", "port", UDP_PORT, "reason", reason);
    }

    private static Double tlsFailures(PrometheusText text, String reason) {
        return text.value("netserve_tls_handshake_failures_total", "protocol", "tcp", "port", TCP_PORT, "reason", reason);
    }

    private static List<String> netserveNames(PrometheusText text) {
        return text.names().stream().filter(n -> n.startsWith("netserve_")).toList();
    }

    private static String threadName(EventExecutor loop) {
        return ((SingleThreadEventExecutor) loop).threadProperties().name();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
