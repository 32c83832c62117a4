package io.netserve.core.internal;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelPipeline;
import org.slf4j.event.Level;

import java.util.Objects;

/**
 * What every channel of one server shares: its counters and the logs of events about single peers,
 * each at most a line a second (see {@link EventLog}). The loggers are named by kind, so an
 * operator can turn one kind up or down: {@code io.netserve.core.connection} (each connection
 * opened and closed, at DEBUG, not throttled), {@code io.netserve.core.idle}, {@code .stall},
 * {@code .limit}, {@code .input} (malformed input and unhandled exceptions), {@code .peer} (I/O
 * errors such as resets), {@code .accept} (the listening socket's failures), {@code .tls} (failed
 * TLS handshakes), {@code .udp} (dropped datagrams).
 */
public final class ServerContext {

    private static final String LOGGERS = "io.netserve.core.";

    private final ServerMetrics metrics;
    private final EventLog connections = EventLog.everyEvent(LOGGERS + "connection", Level.DEBUG);
    private final EventLog idleClosed = new EventLog(LOGGERS + "idle", Level.INFO,
            "closed {} more idle connections in the last second");
    private final EventLog stallClosed = new EventLog(LOGGERS + "stall", Level.INFO,
            "closed {} more stalled connections in the last second");
    private final EventLog limitRejected = new EventLog(LOGGERS + "limit", Level.INFO,
            "rejected {} more connections past the connection limit in the last second");
    private final EventLog malformedInput = new EventLog(LOGGERS + "input", Level.WARN,
            "{} more malformed inputs in the last second");
    private final EventLog unhandled = new EventLog(LOGGERS + "input", Level.WARN,
            "{} more unhandled exceptions in the last second");
    private final EventLog ioErrors = new EventLog(LOGGERS + "peer", Level.INFO,
            "{} more I/O errors in the last second");
    private final EventLog acceptErrors = new EventLog(LOGGERS + "accept", Level.WARN,
            "{} more failures to accept connections in the last second");
    private final EventLog tlsHandshakeFailed = new EventLog(LOGGERS + "tls", Level.INFO,
            "{} more failed TLS handshakes in the last second");
    private final EventLog droppedOversize = new EventLog(LOGGERS + "udp", Level.INFO,
            "dropped {} more oversize datagrams in the last second");
    private final EventLog droppedSourcePort = new EventLog(LOGGERS + "udp", Level.INFO,
            "dropped {} more datagrams from privileged source ports in the last second");
    private final EventLog droppedRateLimited = new EventLog(LOGGERS + "udp", Level.INFO,
            "dropped {} more datagrams past the rate limit in the last second");
    private final EventLog droppedBackpressure = new EventLog(LOGGERS + "udp", Level.INFO,
            "dropped {} more replies the datagram channels could not send in the last second");
    private final EventLog droppedTableFull = new EventLog(LOGGERS + "udp", Level.WARN,
            "dropped {} more datagrams from new sources while the rate-limit table was full in the last second");

    /** The context of a server counting into {@code metrics}. */
    public ServerContext(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * The context of the server whose standard pipeline {@code pipeline} is, or null for a pipeline
     * core did not build.
     */
    public static ServerContext of(ChannelPipeline pipeline) {
        TrafficMetricsHandler traffic = pipeline.get(TrafficMetricsHandler.class);
        return traffic == null ? null : traffic.context();
    }

    /** The server's counters. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Connections opened and closed, at DEBUG, each one: off by default. */
    public EventLog connections() {
        return connections;
    }

    /** Connections closed by the idle policy. */
    public EventLog idleClosed() {
        return idleClosed;
    }

    /** Connections closed because their peer stopped reading. */
    public EventLog stallClosed() {
        return stallClosed;
    }

    /** Connections refused by the connection limit. */
    public EventLog limitRejected() {
        return limitRejected;
    }

    /** Input a protocol's decoder refused. */
    public EventLog malformedInput() {
        return malformedInput;
    }

    /** Exceptions no handler dealt with: bugs, logged with their stack trace. */
    public EventLog unhandled() {
        return unhandled;
    }

    /** I/O errors of single peers, such as a reset. */
    public EventLog ioErrors() {
        return ioErrors;
    }

    /** Failures of the listening socket to accept a connection. */
    public EventLog acceptErrors() {
        return acceptErrors;
    }

    /** TLS handshakes that failed or timed out; their connections were closed. */
    public EventLog tlsHandshakeFailed() {
        return tlsHandshakeFailed;
    }

    /** Datagrams dropped for their size. */
    public EventLog droppedOversize() {
        return droppedOversize;
    }

    /** Datagrams dropped for their privileged source port. */
    public EventLog droppedSourcePort() {
        return droppedSourcePort;
    }

    /** Datagrams dropped past their source's rate. */
    public EventLog droppedRateLimited() {
        return droppedRateLimited;
    }

    /** Replies dropped because their datagram channel could not send them. */
    public EventLog droppedBackpressure() {
        return droppedBackpressure;
    }

    /** Datagrams from new sources dropped while the rate-limit table was full. */
    public EventLog droppedTableFull() {
        return droppedTableFull;
    }
}
