package io.netserve.core.internal.udp;

import io.netserve.test.LogCapture;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SourcePortGuardTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private EmbeddedChannel channel;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        logs = LogCapture.of("io.netserve.core.udp");
        channel = EmbeddedChannel.builder().ticker(Ticker.newMockTicker())
                .handlers(new SourcePortGuard(context)).build();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        logs.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 19, 53, 123, 1023})
    void dropsReleasesAndCountsPrivilegedSourcePorts(int port) {
        DatagramPacket packet = Datagrams.from(port, 10);

        channel.writeInbound(packet);

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(packet.refCnt()).isZero();
        assertThat(metrics.droppedPrivilegedPort()).isEqualTo(1);
        assertThat(logs.messages()).singleElement().asString()
                .contains("dropped a datagram from ").contains(":" + port)
                .contains("its source port is privileged (below 1024)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 40000, 65535})
    void passesUnprivilegedSourcePorts(int port) {
        DatagramPacket packet = Datagrams.from(port, 10);

        channel.writeInbound(packet);

        assertThat(channel.<Object>readInbound()).isSameAs(packet);
        assertThat(metrics.droppedPrivilegedPort()).isZero();
        packet.release();
    }

    @Test
    void passesDatagramsWithoutSenderAndOtherMessages() {
        DatagramPacket connected = new DatagramPacket(Unpooled.buffer(1).writeByte(1), Datagrams.SERVER, null);

        channel.writeInbound(connected, "other");

        assertThat(channel.<Object>readInbound()).isSameAs(connected);
        assertThat(channel.<Object>readInbound()).isEqualTo("other");
        connected.release();
    }

    @Test
    void logsOnceForAFlood() {
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(Datagrams.from(19, 1));
        }

        assertThat(metrics.droppedPrivilegedPort()).isEqualTo(1000);
        assertThat(logs.messages()).hasSize(1);
    }
}
