package io.netserve.core.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of one server, cheap enough to update on every read: connections, bytes, datagrams and
 * drops by reason. Read them from the server handle at any time, from any thread; exporting them
 * is left to the embedding service. A client counts into its own: the connections it made, its
 * bytes and datagrams, its idle closes.
 *
 * <p>The {@code record...} methods are called by core's handlers; a protocol may call them too,
 * for example to count a connection it rejects itself. Thread-safe.
 */
public final class ServerMetrics {

    private final LongAdder connectionsActive = new LongAdder();
    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder connectionsRejected = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder stallClosed = new LongAdder();
    private final LongAdder malformedInput = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();
    private final LongAdder droppedOversize = new LongAdder();
    private final LongAdder droppedPrivilegedPort = new LongAdder();
    private final LongAdder droppedRateLimited = new LongAdder();
    private final LongAdder droppedBackpressure = new LongAdder();
    private final LongAdder acceptErrorsFileLimit = new LongAdder();
    private final LongAdder acceptErrorsOther = new LongAdder();
    private final LongAdder readsPaused = new LongAdder();
    private volatile LongSupplier bufferedBytes = () -> 0;
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final ConcurrentMap<String, LongAdder> tlsHandshakeFailuresByReason = new ConcurrentHashMap<>();

    /** TCP connections open now. */
    public long connectionsActive() {
        return connectionsActive.sum();
    }

    /** TCP connections accepted and served since start (rejected ones not included). */
    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** TCP connections closed at once because the connection limit was reached. */
    public long connectionsRejected() {
        return connectionsRejected.sum();
    }

    /** TCP connections closed by the idle policy. */
    public long idleClosed() {
        return idleClosed.sum();
    }

    /** TCP connections closed because their peer stopped reading for too long. */
    public long stallClosed() {
        return stallClosed.sum();
    }

    /**
     * Inputs a protocol's decoder refused (a malformed or oversize frame or datagram): each closed
     * its TCP connection, or was dropped on a datagram channel.
     */
    public long malformedInput() {
        return malformedInput.sum();
    }

    /** Payload bytes received (TCP stream bytes and UDP datagram payloads). */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Payload bytes handed to the transport for sending. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** UDP datagrams received, including those dropped afterwards. */
    public long datagramsIn() {
        return datagramsIn.sum();
    }

    /** UDP datagrams handed to the transport for sending. */
    public long datagramsOut() {
        return datagramsOut.sum();
    }

    /** UDP datagrams dropped because they were larger than the maximum datagram size. */
    public long droppedOversize() {
        return droppedOversize.sum();
    }

    /** UDP datagrams dropped because their source port was below 1024. */
    public long droppedPrivilegedPort() {
        return droppedPrivilegedPort.sum();
    }

    /** UDP datagrams dropped because their source address exceeded its rate. */
    public long droppedRateLimited() {
        return droppedRateLimited.sum();
    }

    /**
     * UDP replies dropped because the datagram channel could not send them (its socket buffer full)
     * and as many were queued already as its write-buffer high water mark allows.
     */
    public long droppedBackpressure() {
        return droppedBackpressure.sum();
    }

    /**
     * Connections (and datagram channels) not read from now because they owe their peer their
     * share of the server's buffer budget ({@code ServerConfig.maxBufferedBytes}): their peer
     * reads slower than it writes. Each reads again once it owes less.
     */
    public long connectionsPaused() {
        return readsPaused.sum();
    }

    /**
     * Bytes the server's TCP connections owe their peers now: written by the protocol, not yet
     * taken by the sockets. What {@code ServerConfig.maxBufferedBytes} bounds. Summed over the
     * connections when called, so cheap to keep but not to call in a loop.
     */
    public long bufferedBytes() {
        return bufferedBytes.getAsLong();
    }

    /** TLS handshakes that failed or timed out; their connections were closed. */
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    /**
     * {@link #tlsHandshakeFailures()} by reason ({@code timeout}, {@code not_tls}, ...), sorted by
     * reason; a snapshot, reasons never seen are absent.
     */
    public Map<String, Long> tlsHandshakeFailuresByReason() {
        Map<String, Long> counts = new TreeMap<>();
        tlsHandshakeFailuresByReason.forEach((reason, count) -> counts.put(reason, count.sum()));
        return Collections.unmodifiableMap(counts);
    }

    /**
     * TCP: failures to accept a connection because the process ran out of file descriptors (raise
     * {@code ulimit -n}, or {@code LimitNOFILE=} in a systemd unit).
     */
    public long acceptErrorsFileLimit() {
        return acceptErrorsFileLimit.sum();
    }

    /** TCP: failures to accept a connection for any other reason. */
    public long acceptErrorsOther() {
        return acceptErrorsOther.sum();
    }

    /** Counts a failure to accept a connection, {@code fileLimit} when the process ran out of file descriptors. */
    public void recordAcceptError(boolean fileLimit) {
        (fileLimit ? acceptErrorsFileLimit : acceptErrorsOther).increment();
    }

    /** Counts a TCP connection accepted and served. */
    public void recordConnectionOpened() {
        connectionsTotal.increment();
        connectionsActive.increment();
    }

    /** Counts the end of a connection counted by {@link #recordConnectionOpened()}. */
    public void recordConnectionClosed() {
        connectionsActive.decrement();
    }

    /** Counts a connection refused by the connection limit. */
    public void recordConnectionRejected() {
        connectionsRejected.increment();
    }

    /** Counts a connection closed by the idle policy. */
    public void recordIdleClosed() {
        idleClosed.increment();
    }

    /** Counts a connection closed after a write stall. */
    public void recordStallClosed() {
        stallClosed.increment();
    }

    /** Counts an input a protocol's decoder refused. */
    public void recordMalformedInput() {
        malformedInput.increment();
    }

    /** Counts received payload bytes. */
    public void recordBytesIn(long bytes) {
        bytesIn.add(bytes);
    }

    /** Counts payload bytes handed to the transport. */
    public void recordBytesOut(long bytes) {
        bytesOut.add(bytes);
    }

    /** Counts one received datagram of {@code bytes} payload bytes. */
    public void recordDatagramIn(long bytes) {
        datagramsIn.increment();
        bytesIn.add(bytes);
    }

    /** Counts one datagram of {@code bytes} payload bytes handed to the transport. */
    public void recordDatagramOut(long bytes) {
        datagramsOut.increment();
        bytesOut.add(bytes);
    }

    /** Counts a datagram dropped for being larger than the maximum datagram size. */
    public void recordDroppedOversize() {
        droppedOversize.increment();
    }

    /** Counts a datagram dropped for its privileged source port. */
    public void recordDroppedPrivilegedPort() {
        droppedPrivilegedPort.increment();
    }

    /** Counts a datagram dropped by the per-source rate limit. */
    public void recordDroppedRateLimited() {
        droppedRateLimited.increment();
    }

    /** Counts a UDP reply dropped because the channel had as many queued as it may. */
    public void recordDroppedBackpressure() {
        droppedBackpressure.increment();
    }

    /** Counts a connection or datagram channel that stopped being read from because it owes too much. */
    public void recordReadPaused() {
        readsPaused.increment();
    }

    /** Counts the end of a pause counted by {@link #recordReadPaused()}: read again, or closed. */
    public void recordReadResumed() {
        readsPaused.decrement();
    }

    /**
     * Where {@link #bufferedBytes()} comes from: set by the server that owns these metrics, read on
     * each call, from any thread.
     */
    public void bufferedBytesFrom(LongSupplier source) {
        this.bufferedBytes = Objects.requireNonNull(source, "source");
    }

    /**
     * Counts a failed TLS handshake. {@code reason} is one label of a small fixed set, since each
     * distinct reason is kept for the life of the server.
     */
    public void recordTlsHandshakeFailure(String reason) {
        tlsHandshakeFailures.increment();
        tlsHandshakeFailuresByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public String toString() {
        return "ServerMetrics{connectionsActive=" + connectionsActive() + ", connectionsTotal=" + connectionsTotal()
                + ", connectionsRejected=" + connectionsRejected() + ", idleClosed=" + idleClosed()
                + ", stallClosed=" + stallClosed() + ", malformedInput=" + malformedInput() + ", bytesIn=" + bytesIn() + ", bytesOut=" + bytesOut()
                + ", datagramsIn=" + datagramsIn() + ", datagramsOut=" + datagramsOut()
                + ", droppedOversize=" + droppedOversize() + ", droppedPrivilegedPort=" + droppedPrivilegedPort()
                + ", droppedRateLimited=" + droppedRateLimited() + ", droppedBackpressure=" + droppedBackpressure()
                + ", connectionsPaused=" + connectionsPaused() + "}";
    }
}
