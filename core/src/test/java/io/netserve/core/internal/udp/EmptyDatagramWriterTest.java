package io.netserve.core.internal.udp;

import io.netserve.core.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class EmptyDatagramWriterTest {

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void anEmptyDatagramIsSentOnEveryTransport(Transport transport) throws Exception {
        assumeThat(transport.isAvailable()).as("%s is not available here", transport).isTrue();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(5000);
            Channel ch = new Bootstrap().group(group).channelFactory(transport.datagramChannelFactory(SocketProtocolFamily.INET))
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try {
                assertThat(EmptyDatagramWriter.isNeededFor(ch)).isEqualTo(transport != Transport.IO_URING);
                if (EmptyDatagramWriter.isNeededFor(ch)) {
                    ch.pipeline().addFirst("emptyDatagrams", EmptyDatagramWriter.INSTANCE);
                }
                DatagramPacket empty = new DatagramPacket(Unpooled.buffer(0), (InetSocketAddress) peer.getLocalSocketAddress());

                ChannelFuture written = ch.writeAndFlush(empty).sync();

                assertThat(written.isSuccess()).isTrue();
                assertThat(empty.refCnt()).isZero();
                java.net.DatagramPacket received = new java.net.DatagramPacket(new byte[16], 16);
                peer.receive(received);
                assertThat(received.getLength()).isZero();
                assertThat(received.getSocketAddress()).isEqualTo(ch.localAddress());
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void passesEverythingOnWhereTheTransportSendsEmptyDatagramsItself() {
        EmbeddedChannel channel = new EmbeddedChannel(EmptyDatagramWriter.INSTANCE);
        try {
            DatagramPacket empty = new DatagramPacket(Unpooled.buffer(0), new InetSocketAddress("127.0.0.1", 9999));
            DatagramPacket full = new DatagramPacket(Unpooled.buffer(1).writeByte(1), new InetSocketAddress("127.0.0.1", 9999));

            channel.writeOutbound(empty, full);

            assertThat(EmptyDatagramWriter.isNeededFor(channel)).isFalse();
            assertThat(channel.<Object>readOutbound()).isSameAs(empty);
            assertThat(channel.<Object>readOutbound()).isSameAs(full);
            empty.release();
            full.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
