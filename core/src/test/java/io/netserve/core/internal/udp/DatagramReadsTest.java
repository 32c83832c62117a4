package io.netserve.core.internal.udp;

import io.netserve.core.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.uring.IoUringChannelOption;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class DatagramReadsTest {

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void setsReadBufferPayloadSizeAndWaterMarksOnARealChannel(Transport transport) throws Exception {
        assumeThat(transport.isAvailable()).as("%s is not available here", transport).isTrue();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(transport.datagramChannelFactory(SocketProtocolFamily.INET))
                    .handler(new ChannelInboundHandlerAdapter());
            DatagramReads.configure(bootstrap, transport, 1400);
            Channel ch = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try {
                int perCall = transport.isNative() ? DatagramReads.DATAGRAMS_PER_CALL : 1;
                assertThat(DatagramReads.readBufferBytes(transport, 1400)).isEqualTo(1401 * perCall);
                assertThat(ch.config().getRecvByteBufAllocator().newHandle().guess()).isEqualTo(1401 * perCall);
                assertThat(ch.config().getWriteBufferHighWaterMark())
                        .isEqualTo(2 * DatagramReads.DATAGRAMS_PER_READ * 1401);
                DatagramPacket pending = new DatagramPacket(Unpooled.EMPTY_BUFFER, new InetSocketAddress("127.0.0.1", 9));
                assertThat(ch.config().getMessageSizeEstimator().newHandle().size(pending)).isEqualTo(1401);
                if (transport == Transport.EPOLL) {
                    assertThat(ch.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE)).isEqualTo(1401);
                } else if (transport == Transport.IO_URING) {
                    assertThat(ch.config().getOption(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE)).isEqualTo(1401);
                }
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void saysWhenTheAdaptiveAllocatorsLowMemoryModeLeavesReadBuffersUnpooled() {
        ByteBufAllocator adaptive = new AdaptiveByteBufAllocator();
        long small = 128L << 20;
        long large = 4L << 30;
        int megabyte = DatagramReads.readBufferBytes(Transport.EPOLL, 65_507);

        assertThat(DatagramReads.unpooledReadBuffers(megabyte, adaptive, small, null)).get(InstanceOfAssertFactories.STRING)
                .contains("1048128 bytes", "heap of 128 MiB", "-Dio.netty.allocator.lowMemory=false");
        assertThat(DatagramReads.unpooledReadBuffers(megabyte, adaptive, large, "true")).isPresent();
        assertThat(DatagramReads.unpooledReadBuffers(megabyte, adaptive, small, "false")).as("mode turned off").isEmpty();
        assertThat(DatagramReads.unpooledReadBuffers(megabyte, adaptive, large, null)).as("a large heap").isEmpty();
        assertThat(DatagramReads.unpooledReadBuffers(16_896, adaptive, small, null)).as("within a size class").isEmpty();
        assertThat(DatagramReads.unpooledReadBuffers(megabyte, PooledByteBufAllocator.DEFAULT, small, null))
                .as("another allocator").isEmpty();
    }

    @Test
    void givesEachDatagramOneByteMoreThanTheMaximum() {
        assertThat(DatagramReads.slotBytes(1)).isEqualTo(2);
        assertThat(DatagramReads.slotBytes(65_507)).isEqualTo(65_508);
    }

    @Test
    void refusesAuto() {
        assertThatThrownBy(() -> DatagramReads.configure(new Bootstrap(), Transport.AUTO, 100))
                .hasMessage("transport must be a concrete transport, was auto");
    }
}
