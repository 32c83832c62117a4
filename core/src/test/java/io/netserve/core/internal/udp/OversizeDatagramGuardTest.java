package io.netserve.core.internal.udp;

import io.netserve.test.LogCapture;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OversizeDatagramGuardTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel channel;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        logs = LogCapture.of("io.netserve.core.udp");
        channel = EmbeddedChannel.builder().ticker(ticker).handlers(new OversizeDatagramGuard(100, context)).build();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        logs.close();
    }

    @Test
    void passesDatagramsUpToTheMaximumUntouched() {
        DatagramPacket one = Datagrams.from(40000, 1);
        DatagramPacket full = Datagrams.from(40000, 100);
        DatagramPacket empty = Datagrams.from(40000, 0);

        channel.writeInbound(one, full, empty);

        assertThat(channel.<Object>readInbound()).isSameAs(one);
        assertThat(channel.<Object>readInbound()).isSameAs(full);
        assertThat(channel.<Object>readInbound()).isSameAs(empty);
        assertThat(full.refCnt()).isEqualTo(1);
        assertThat(metrics.droppedOversize()).isZero();
        one.release();
        full.release();
        empty.release();
    }

    @Test
    void dropsReleasesAndCountsALongerDatagram() {
        DatagramPacket cut = Datagrams.from(40000, 101);

        channel.writeInbound(cut);

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(cut.refCnt()).isZero();
        assertThat(metrics.droppedOversize()).isEqualTo(1);
    }

    @Test
    void passesOtherMessagesOn() {
        channel.writeInbound("not a datagram");

        assertThat(channel.<Object>readInbound()).isEqualTo("not a datagram");
    }

    @Test
    void logsAtMostOneLineASecondWithTheCount() {
        channel.writeInbound(Datagrams.from(40001, 200));
        channel.writeInbound(Datagrams.from(40002, 200));
        channel.writeInbound(Datagrams.from(40003, 200));
        assertThat(logs.messages()).singleElement().asString()
                .contains("dropped a datagram from ").contains("40001")
                .contains("longer than the maximum datagram size of 100 bytes");

        ticker.advance(1, TimeUnit.SECONDS);
        channel.writeInbound(Datagrams.from(40004, 200));

        assertThat(logs.messages()).hasSize(3);
        assertThat(logs.messages().get(1)).contains("40004");
        assertThat(logs.messages().get(2)).isEqualTo("dropped 2 more oversize datagrams in the last second");
        assertThat(metrics.droppedOversize()).isEqualTo(4);
    }
}
