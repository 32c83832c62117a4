package io.netserve.test;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatagramProtocolTesterTest {

    /** Answers each datagram with its text in upper case. */
    private static final Protocol UPPER = p -> p.addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            String text = packet.content().toString(StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
            ctx.writeAndFlush(new DatagramPacket(ctx.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.UTF_8)),
                    packet.sender()));
        }
    });

    @Test
    void answersEachDatagramToItsSender() {
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 40_001);
        try (DatagramProtocolTester tester = DatagramProtocolTester.of(UPPER)) {
            tester.writeDatagram("hello", DatagramProtocolTester.CLIENT).writeDatagram("you", other);

            assertThat(tester.readDatagrams()).satisfiesExactly(
                    p -> assertThat(p.getSocketAddress()).isEqualTo(DatagramProtocolTester.CLIENT),
                    p -> assertThat(p.getSocketAddress()).isEqualTo(other));
            assertThat(tester.metrics().datagramsIn()).isEqualTo(2);
            assertThat(tester.metrics().datagramsOut()).isEqualTo(2);
        }
    }

    @Test
    void theProtocolRunsBehindCoresGuards() {
        ServerConfig config = ServerConfig.builder().maxDatagramSize(4).rateLimitPerSecond(1).build();
        try (DatagramProtocolTester tester = DatagramProtocolTester.of(UPPER, config)) {
            tester.writeDatagram("toolong", DatagramProtocolTester.CLIENT)
                    .writeDatagram("echo", new InetSocketAddress("127.0.0.1", 7))
                    .writeDatagram("ok", DatagramProtocolTester.CLIENT)
                    .writeDatagram("ok2", DatagramProtocolTester.CLIENT);

            assertThat(tester.readStrings()).containsExactly("OK");
            assertThat(tester.metrics().droppedOversize()).isEqualTo(1);
            assertThat(tester.metrics().droppedPrivilegedPort()).isEqualTo(1);
            assertThat(tester.metrics().droppedRateLimited()).isEqualTo(1);
        }
    }

    @Test
    void aLeakingProtocolFailsTheClose() {
        Protocol leaking = p -> p.addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf kept = ((DatagramPacket) msg).content();
                kept.readableBytes(); // keeps the datagram and never releases it
            }
        });
        DatagramProtocolTester tester = DatagramProtocolTester.of(leaking);
        tester.writeDatagram("lost", DatagramProtocolTester.CLIENT);

        assertThatThrownBy(tester::close).isInstanceOf(AssertionError.class).hasMessageContaining("leak");
    }

    @Test
    void refusesUseAfterClose() {
        DatagramProtocolTester tester = DatagramProtocolTester.of(UPPER);
        tester.close();

        assertThatThrownBy(() -> tester.writeDatagram("x", DatagramProtocolTester.CLIENT))
                .isInstanceOf(IllegalStateException.class);
    }
}
