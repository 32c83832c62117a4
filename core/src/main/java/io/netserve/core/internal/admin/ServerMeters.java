package io.netserve.core.internal.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netserve.core.internal.tls.TlsFailureReason;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.ServerStartException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

/**
 * One server's meters on a Micrometer registry, removed again by {@link #close()}, so that an
 * embedder can start and stop servers on one registry.
 *
 * <pre>{@code
 * ServerMeters meters = ServerMeters.bindTcp(registry, server.metrics(), server.localAddress().getPort(), group);
 * ...
 * meters.close();   // when the server has stopped
 * }</pre>
 *
 * <p>Nothing is counted twice: function counters and gauges read {@link ServerMetrics}'s adders
 * when the registry is scraped, so the hot path stays as it is. Prometheus names (Micrometer's
 * Prometheus naming convention appends the base unit, and the exposition {@code _total}, to a
 * counter's name):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Prometheus name</th><th>meter</th><th>servers</th></tr>
 *   <tr><td>{@code netserve_connections_active}</td><td>gauge {@code netserve.connections.active}</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_connections_total}</td><td>counter {@code netserve.connections}</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_connections_rejected_total}</td><td>counter {@code netserve.connections.rejected}</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_connections_idle_closed_total}</td><td>counter {@code netserve.connections.idle.closed}</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_connections_stall_closed_total}</td><td>counter {@code netserve.connections.stall.closed}</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_tls_handshake_failures_total{reason}}</td><td>counter
 *       {@code netserve.tls.handshake.failures}, {@code reason} one of {@code timeout}, {@code not_tls},
 *       {@code protocol_version}, {@code no_client_certificate}, {@code bad_client_certificate},
 *       {@code certificate_rejected}, {@code closed}, {@code other} (zero without TLS)</td><td>TCP</td></tr>
 *   <tr><td>{@code netserve_datagrams_received_total}</td><td>counter {@code netserve.datagrams.received}</td><td>UDP</td></tr>
 *   <tr><td>{@code netserve_datagrams_sent_total}</td><td>counter {@code netserve.datagrams.sent}</td><td>UDP</td></tr>
 *   <tr><td>{@code netserve_datagrams_dropped_total{reason}}</td><td>counter {@code netserve.datagrams.dropped},
 *       {@code reason} one of {@code oversize}, {@code source_port}, {@code rate_limit}, {@code backpressure}</td>
 *       <td>UDP</td></tr>
 *   <tr><td>{@code netserve_received_bytes_total}</td><td>counter {@code netserve.received}, bytes</td><td>both</td></tr>
 *   <tr><td>{@code netserve_sent_bytes_total}</td><td>counter {@code netserve.sent}, bytes</td><td>both</td></tr>
 *   <tr><td>{@code netty_eventexecutor_tasks_pending{name}}</td><td>Micrometer's {@link NettyEventExecutorMetrics},
 *       one gauge per event loop, named after its thread</td><td>both</td></tr>
 * </table>
 *
 * <p>Every {@code netserve_} meter has the tags {@value #PROTOCOL_TAG} ({@code tcp} or {@code udp})
 * and {@value #PORT_TAG} (the bound port), so a TCP and a UDP server, or two servers on different
 * ports, share a registry with distinct series. A second server of the same protocol and port on
 * one registry is refused with {@link IllegalStateException} rather than silently left uncounted.
 * The first binding on a registry also binds the JVM, process and allocator meters (see
 * {@code ProcessMeters}); the last one closed removes them.
 *
 * <p>Meters hold their state weakly (Micrometer's rule): this object keeps the server's counters
 * reachable, so the server keeps it until it closes it. Thread-safe.
 */
public final class ServerMeters implements AutoCloseable {

    /** The tag that says which protocol a server serves: {@code tcp} or {@code udp}. */
    public static final String PROTOCOL_TAG = "protocol";

    /** The tag that says a server's bound port. */
    public static final String PORT_TAG = "port";

    static final String CONNECTIONS_ACTIVE = "netserve.connections.active";
    static final String CONNECTIONS = "netserve.connections";
    static final String CONNECTIONS_REJECTED = "netserve.connections.rejected";
    static final String CONNECTIONS_IDLE_CLOSED = "netserve.connections.idle.closed";
    static final String CONNECTIONS_STALL_CLOSED = "netserve.connections.stall.closed";
    static final String TLS_HANDSHAKE_FAILURES = "netserve.tls.handshake.failures";
    static final String DATAGRAMS_RECEIVED = "netserve.datagrams.received";
    static final String DATAGRAMS_SENT = "netserve.datagrams.sent";
    static final String DATAGRAMS_DROPPED = "netserve.datagrams.dropped";
    static final String ACCEPT_ERRORS = "netserve.accept.errors";
    static final String CONNECTIONS_PAUSED = "netserve.connections.paused";
    static final String BUFFERED = "netserve.buffered";
    static final String RECEIVED = "netserve.received";
    static final String SENT = "netserve.sent";
    static final String EVENT_LOOP_PENDING = "netty.eventexecutor.tasks.pending";

    /** Serializes the check for a duplicate server with its registration. */
    private static final Object LOCK = new Object();

    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final ProcessMeters process;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Strong references to the state the meters read through weak ones.
    private final ServerMetrics metrics;

    private ServerMeters(MeterRegistry registry, List<Meter> meters, ProcessMeters process, ServerMetrics metrics) {
        this.registry = registry;
        this.meters = meters;
        this.process = process;
        this.metrics = metrics;
    }

    /**
     * A Prometheus registry of netserve's own, for a server with an admin endpoint and no registry
     * of the embedder's.
     *
     * @throws ServerStartException if {@code micrometer-registry-prometheus} is not on the class path
     */
    static MeterRegistry newPrometheusRegistry() throws ServerStartException {
        try {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        } catch (NoClassDefFoundError e) {
            throw new ServerStartException("the admin endpoint's /metrics needs "
                    + "io.micrometer:micrometer-registry-prometheus on the class path", e);
        }
    }

    /**
     * Binds a TCP server's meters (connections, accept errors, TLS handshake failures, bytes) and the
     * pending tasks of its
     * {@code eventLoops}, to {@code registry}.
     *
     * <p>Binding the event-loop gauges starts those of the loops' threads that have not started
     * yet (Micrometer names each gauge after its thread): call this from a thread that is none of
     * them, typically the one that started the server.
     *
     * @param port the server's bound port (the real one when port 0 was asked for)
     * @throws IllegalStateException if a TCP server on {@code port} is bound to {@code registry} already
     */
    public static ServerMeters bindTcp(MeterRegistry registry, ServerMetrics metrics, int port,
                                       Iterable<EventExecutor> eventLoops) {
        Objects.requireNonNull(metrics, "metrics");
        return bind(registry, "tcp", port, eventLoops, metrics, (meters, tags) -> {
            meters.add(Gauge.builder(CONNECTIONS_ACTIVE, metrics, ServerMetrics::connectionsActive)
                    .description("TCP connections open now").tags(tags).register(registry));
            meters.add(counter(registry, CONNECTIONS, metrics, ServerMetrics::connectionsTotal, tags,
                    "TCP connections accepted and served"));
            meters.add(counter(registry, CONNECTIONS_REJECTED, metrics, ServerMetrics::connectionsRejected, tags,
                    "TCP connections closed at once because the connection limit was reached"));
            meters.add(counter(registry, CONNECTIONS_IDLE_CLOSED, metrics, ServerMetrics::idleClosed, tags,
                    "TCP connections closed by the idle policy"));
            meters.add(counter(registry, CONNECTIONS_STALL_CLOSED, metrics, ServerMetrics::stallClosed, tags,
                    "TCP connections closed because their peer stopped reading"));
            meters.add(Gauge.builder(CONNECTIONS_PAUSED, metrics, ServerMetrics::connectionsPaused)
                    .description("TCP connections not read from now: they owe their peer their share of the buffer budget")
                    .tags(tags).register(registry));
            meters.add(Gauge.builder(BUFFERED, metrics, ServerMetrics::bufferedBytes).baseUnit(BaseUnits.BYTES)
                    .description("Bytes written by the protocol and not yet taken by the sockets, over all connections")
                    .tags(tags).register(registry));
            String acceptErrors = "Failures of the listening socket to accept a connection, by reason";
            meters.add(counter(registry, ACCEPT_ERRORS, metrics, ServerMetrics::acceptErrorsFileLimit,
                    tags.and("reason", "too_many_open_files"), acceptErrors));
            meters.add(counter(registry, ACCEPT_ERRORS, metrics, ServerMetrics::acceptErrorsOther,
                    tags.and("reason", "other"), acceptErrors));
            for (String reason : TlsFailureReason.ALL) {
                meters.add(counter(registry, TLS_HANDSHAKE_FAILURES, metrics,
                        m -> m.tlsHandshakeFailuresByReason().getOrDefault(reason, 0L), tags.and("reason", reason),
                        "TLS handshakes that failed or timed out; their connections were closed"));
            }
        });
    }

    /**
     * Binds a UDP server's datagram, drop and byte meters, and the pending tasks of its
     * {@code eventLoops}, to {@code registry}. Event loops: as for {@link #bindTcp}.
     *
     * @param port the server's bound port (the real one when port 0 was asked for)
     * @throws IllegalStateException if a UDP server on {@code port} is bound to {@code registry} already
     */
    public static ServerMeters bindUdp(MeterRegistry registry, ServerMetrics metrics, int port,
                                       Iterable<EventExecutor> eventLoops) {
        Objects.requireNonNull(metrics, "metrics");
        return bind(registry, "udp", port, eventLoops, metrics, (meters, tags) -> {
            meters.add(counter(registry, DATAGRAMS_RECEIVED, metrics, ServerMetrics::datagramsIn, tags,
                    "UDP datagrams received, including those dropped afterwards"));
            meters.add(counter(registry, DATAGRAMS_SENT, metrics, ServerMetrics::datagramsOut, tags,
                    "UDP datagrams handed to the transport for sending"));
            String dropped = "UDP datagrams dropped";
            meters.add(counter(registry, DATAGRAMS_DROPPED, metrics, ServerMetrics::droppedOversize,
                    tags.and("reason", "oversize"), dropped));
            meters.add(counter(registry, DATAGRAMS_DROPPED, metrics, ServerMetrics::droppedPrivilegedPort,
                    tags.and("reason", "source_port"), dropped));
            meters.add(counter(registry, DATAGRAMS_DROPPED, metrics, ServerMetrics::droppedRateLimited,
                    tags.and("reason", "rate_limit"), dropped));
            meters.add(counter(registry, DATAGRAMS_DROPPED, metrics, ServerMetrics::droppedBackpressure,
                    tags.and("reason", "backpressure"), dropped));
        });
    }

    /** Removes this server's meters from the registry (and the process meters with the last server). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        meters.forEach(registry::remove);
        process.release();
    }

    @Override
    public String toString() {
        return "ServerMeters{" + meters.size() + " meters" + (closed.get() ? ", closed" : "") + "}";
    }

    /** Registers the meters of one protocol, adding them to {@code meters}. */
    private interface ProtocolMeters {
        void register(List<Meter> meters, Tags tags);
    }

    private static ServerMeters bind(MeterRegistry registry, String protocol, int port,
                                     Iterable<EventExecutor> eventLoops, ServerMetrics metrics,
                                     ProtocolMeters specific) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(eventLoops, "eventLoops");
        Tags tags = Tags.of(PROTOCOL_TAG, protocol, PORT_TAG, Integer.toString(port));
        synchronized (LOCK) {
            if (registry.find(RECEIVED).tags(tags).meter() != null) {
                throw new IllegalStateException("the meters of a " + protocol + " server on port " + port
                        + " are bound to this registry already; servers sharing a registry need distinct ports");
            }
            List<Meter> meters = new ArrayList<>();
            specific.register(meters, tags);
            meters.add(bytes(registry, RECEIVED, metrics, ServerMetrics::bytesIn, tags, "Payload bytes received"));
            meters.add(bytes(registry, SENT, metrics, ServerMetrics::bytesOut, tags,
                    "Payload bytes handed to the transport for sending"));
            meters.addAll(eventLoopGauges(registry, eventLoops));
            return new ServerMeters(registry, meters, ProcessMeters.acquire(registry), metrics);
        }
    }

    private static <T> FunctionCounter counter(MeterRegistry registry, String name, T state, ToDoubleFunction<T> count,
                                               Tags tags, String description) {
        return FunctionCounter.builder(name, state, count).tags(tags).description(description).register(registry);
    }

    /** A counter of bytes: the base unit makes Prometheus's {@code name_bytes_total}. */
    private static FunctionCounter bytes(MeterRegistry registry, String name, ServerMetrics metrics,
                                         ToDoubleFunction<ServerMetrics> count, Tags tags, String description) {
        return FunctionCounter.builder(name, metrics, count).tags(tags).description(description)
                .baseUnit(BaseUnits.BYTES).register(registry);
    }

    /**
     * Binds Micrometer's event-loop gauges for those of {@code eventLoops} that have none yet (one
     * named after each loop's thread) and returns the gauges added; the gauges of loops bound
     * already, by another server on the same loops, stay that server's.
     */
    private static List<Meter> eventLoopGauges(MeterRegistry registry, Iterable<EventExecutor> eventLoops) {
        List<EventExecutor> fresh = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (EventExecutor loop : eventLoops) {
            if (loop instanceof SingleThreadEventExecutor single) {
                String name = single.threadProperties().name();
                if (registry.find(EVENT_LOOP_PENDING).tag("name", name).gauge() == null) {
                    fresh.add(loop);
                    names.add(name);
                }
            }
        }
        new NettyEventExecutorMetrics(fresh).bindTo(registry);
        List<Meter> added = new ArrayList<>();
        for (String name : names) {
            Gauge gauge = registry.find(EVENT_LOOP_PENDING).tag("name", name).gauge();
            if (gauge != null) {
                added.add(gauge);
            }
        }
        return added;
    }
}
