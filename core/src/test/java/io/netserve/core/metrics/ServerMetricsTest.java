package io.netserve.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ServerMetricsTest {

    private final ServerMetrics metrics = new ServerMetrics();

    @Test
    void startsAtZero() {
        assertThat(metrics.toString()).isEqualTo("ServerMetrics{connectionsActive=0, connectionsTotal=0, "
                + "connectionsRejected=0, idleClosed=0, stallClosed=0, malformedInput=0, bytesIn=0, bytesOut=0, datagramsIn=0, "
                + "datagramsOut=0, droppedOversize=0, droppedPrivilegedPort=0, droppedRateLimited=0, "
                + "droppedBackpressure=0, connectionsPaused=0}");
        assertThat(metrics.bufferedBytes()).isZero();
    }

    @Test
    void connectionsOpenAndCloseKeepATotal() {
        metrics.recordConnectionOpened();
        metrics.recordConnectionOpened();
        metrics.recordConnectionClosed();
        metrics.recordConnectionRejected();

        assertThat(metrics.connectionsActive()).isEqualTo(1);
        assertThat(metrics.connectionsTotal()).isEqualTo(2);
        assertThat(metrics.connectionsRejected()).isEqualTo(1);
    }

    @Test
    void eachRecordCountsIntoItsOwnCounter() {
        metrics.recordIdleClosed();
        metrics.recordStallClosed();
        metrics.recordStallClosed();
        metrics.recordBytesIn(10);
        metrics.recordBytesOut(20);
        metrics.recordDatagramIn(5);
        metrics.recordDatagramOut(6);
        metrics.recordDroppedOversize();
        metrics.recordDroppedPrivilegedPort();
        metrics.recordDroppedPrivilegedPort();
        metrics.recordDroppedRateLimited();
        metrics.recordDroppedBackpressure();
        metrics.recordReadPaused();
        metrics.recordReadPaused();
        metrics.recordReadResumed();
        metrics.bufferedBytesFrom(() -> 42);

        assertThat(metrics.droppedBackpressure()).isEqualTo(1);
        assertThat(metrics.connectionsPaused()).isEqualTo(1);
        assertThat(metrics.bufferedBytes()).isEqualTo(42);
        assertThat(metrics.idleClosed()).isEqualTo(1);
        assertThat(metrics.stallClosed()).isEqualTo(2);
        assertThat(metrics.bytesIn()).isEqualTo(15);
        assertThat(metrics.bytesOut()).isEqualTo(26);
        assertThat(metrics.datagramsIn()).isEqualTo(1);
        assertThat(metrics.datagramsOut()).isEqualTo(1);
        assertThat(metrics.droppedOversize()).isEqualTo(1);
        assertThat(metrics.droppedPrivilegedPort()).isEqualTo(2);
        assertThat(metrics.droppedRateLimited()).isEqualTo(1);
    }

    @Test
    void tlsHandshakeFailuresAreCountedByReason() {
        assertThat(metrics.tlsHandshakeFailuresByReason()).isEmpty();
        metrics.recordTlsHandshakeFailure("timeout");
        metrics.recordTlsHandshakeFailure("not_tls");
        metrics.recordTlsHandshakeFailure("timeout");

        assertThat(metrics.tlsHandshakeFailures()).isEqualTo(3);
        assertThat(metrics.tlsHandshakeFailuresByReason()).containsExactly(entry("not_tls", 1L), entry("timeout", 2L));
    }
}
