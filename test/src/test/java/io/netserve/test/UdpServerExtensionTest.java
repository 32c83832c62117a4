package io.netserve.test;

import io.netserve.core.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpServerExtensionTest {

    /** Answers each datagram with the same bytes. */
    static final Protocol ECHO = p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.writeAndFlush(new DatagramPacket(packet.content(), packet.sender()));
        }
    });

    @RegisterExtension
    final UdpServerExtension server = UdpServerExtension.of(ECHO);

    @Test
    void servesOnAnOsChosenLoopbackPortAndHandsOutClients() {
        UdpTestClient client = server.newClient();

        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.port()).isPositive();
        assertThat(client.exchange("hello", server.address())).isEqualTo("hello");
        assertThat(server.metrics().datagramsIn()).isEqualTo(1);
    }

    @Test
    void accessorsThrowWhileTheServerIsNotRunning() {
        UdpServerExtension idle = UdpServerExtension.of(ECHO);

        assertThatThrownBy(idle::server).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
        assertThatThrownBy(idle::newClient).isInstanceOf(IllegalStateException.class);
    }
}
