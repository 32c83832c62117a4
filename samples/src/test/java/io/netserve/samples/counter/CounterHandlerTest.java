package io.netserve.samples.counter;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CounterHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7010);
    private static final InetSocketAddress ADA = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress BOB = new InetSocketAddress("::1", 40000);

    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel(new CounterHandler(Duration.ofSeconds(60), 2));
        channel.freezeTime();
    }

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private String send(InetSocketAddress from, String text) {
        DatagramPacket in = new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), SERVER, from);
        channel.writeInbound(in);
        assertThat(in.refCnt()).as("the datagram read is released").isZero();
        DatagramPacket reply = channel.readOutbound();
        try {
            assertThat(reply.recipient()).isEqualTo(from);
            return reply.content().toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }

    @Test
    void countsEachPeersDatagramsApart() {
        assertThat(send(ADA, "hello")).isEqualTo("1 hello");
        assertThat(send(ADA, "again")).isEqualTo("2 again");
        assertThat(send(BOB, "hi")).isEqualTo("1 hi");
        assertThat(send(ADA, "")).isEqualTo("3 ");
        assertThat(send(BOB, "wörld")).isEqualTo("2 wörld");
    }

    @Test
    void startsAgainAtOneAfterTheSessionTimeout() {
        send(ADA, "a");
        send(ADA, "b");
        channel.advanceTimeBy(59, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(send(ADA, "c")).isEqualTo("3 c");

        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(send(ADA, "d")).isEqualTo("1 d");
    }

    @Test
    void aThirdPeerPushesOutTheLeastRecentlyActiveAtTheCap() {
        InetSocketAddress cyd = new InetSocketAddress("127.0.0.2", 40000);
        send(ADA, "a");
        send(BOB, "b");
        send(ADA, "a");
        assertThat(send(cyd, "c")).isEqualTo("1 c");

        assertThat(send(ADA, "a")).as("kept: the most recent").isEqualTo("3 a");
        assertThat(send(BOB, "b")).as("evicted: starts again").isEqualTo("1 b");
    }
}
