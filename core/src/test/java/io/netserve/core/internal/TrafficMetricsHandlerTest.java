package io.netserve.core.internal;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TrafficMetricsHandlerTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private final ServerMetrics metrics = new ServerMetrics();
    private final TrafficMetricsHandler handler = new TrafficMetricsHandler(new ServerContext(metrics));
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void countsStreamBytesInAndOutAndPassesTheSameBuffersOn() {
        ByteBuf in = Unpooled.wrappedBuffer(new byte[10]);
        ByteBuf out = Unpooled.wrappedBuffer(new byte[7]);

        channel.writeInbound(in);
        channel.writeOutbound(out);

        assertThat(metrics.bytesIn()).isEqualTo(10);
        assertThat(metrics.bytesOut()).isEqualTo(7);
        assertThat(metrics.datagramsIn()).isZero();
        assertThat(metrics.datagramsOut()).isZero();
        ByteBuf readIn = channel.readInbound();
        ByteBuf readOut = channel.readOutbound();
        assertThat(readIn).isSameAs(in);
        assertThat(readOut).isSameAs(out);
        assertThat(in.refCnt()).as("not released or retained by the handler").isEqualTo(1);
        readIn.release();
        readOut.release();
    }

    @Test
    void countsOnlyReadableBytes() {
        ByteBuf in = Unpooled.wrappedBuffer(new byte[10]);
        in.skipBytes(4);

        channel.writeInbound(in);

        assertThat(metrics.bytesIn()).isEqualTo(6);
    }

    @Test
    void countsDatagramsAndTheirPayload() {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[100]), PEER, PEER));
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[50]), PEER, PEER));
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[30]), PEER));

        assertThat(metrics.datagramsIn()).isEqualTo(2);
        assertThat(metrics.bytesIn()).isEqualTo(150);
        assertThat(metrics.datagramsOut()).isEqualTo(1);
        assertThat(metrics.bytesOut()).isEqualTo(30);
    }

    @Test
    void countsOtherHoldersAsBytesAndIgnoresOtherMessages() {
        channel.writeInbound(new DefaultByteBufHolder(Unpooled.wrappedBuffer(new byte[5])));
        channel.writeInbound("not bytes");
        channel.writeOutbound("not bytes either");

        assertThat(metrics.bytesIn()).isEqualTo(5);
        assertThat(metrics.datagramsIn()).isZero();
        assertThat(metrics.bytesOut()).isZero();
        assertThat(channel.inboundMessages()).hasSize(2);
    }

    @Test
    void oneInstanceCountsForManyChannels() {
        EmbeddedChannel second = new EmbeddedChannel(handler);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[3]));
            second.writeInbound(Unpooled.wrappedBuffer(new byte[4]));

            assertThat(metrics.bytesIn()).isEqualTo(7);
            assertThat(handler.isSharable()).isTrue();
        } finally {
            second.finishAndReleaseAll();
        }
    }

    @Test
    void refusesNullContext() {
        assertThatNullPointerException().isThrownBy(() -> new TrafficMetricsHandler(null)).withMessage("context");
    }
}
