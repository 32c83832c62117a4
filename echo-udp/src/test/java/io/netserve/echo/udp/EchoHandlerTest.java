package io.netserve.echo.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EchoHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7007);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final EmbeddedChannel channel = new EmbeddedChannel(EchoHandler.INSTANCE);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void answersTheSenderWithTheSameBufferUncopied() {
        ByteBuf content = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);

        channel.writeInbound(new DatagramPacket(content, SERVER, CLIENT));

        DatagramPacket reply = channel.readOutbound();
        assertThat(reply.recipient()).isEqualTo(CLIENT);
        assertThat(reply.content()).isSameAs(content);
        assertThat(reply.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(content.refCnt()).isEqualTo(1);
        assertThat(channel.<Object>readOutbound()).as("exactly one reply").isNull();
        reply.release();
        assertThat(content.refCnt()).isZero();
    }

    @Test
    void answersEmptyDatagramsToo() {
        channel.writeInbound(new DatagramPacket(Unpooled.buffer(0), SERVER, CLIENT));

        DatagramPacket reply = channel.readOutbound();
        assertThat(reply.content().readableBytes()).isZero();
        assertThat(reply.recipient()).isEqualTo(CLIENT);
        reply.release();
    }

    @Test
    void flushesOncePerReadBatch() {
        for (int i = 0; i < 3; i++) {
            channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.buffer(1).writeByte(i), SERVER, CLIENT));
        }
        assertThat(channel.outboundMessages()).as("nothing flushed before the batch ends").isEmpty();

        channel.pipeline().fireChannelReadComplete();

        assertThat(channel.outboundMessages()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            DatagramPacket reply = channel.readOutbound();
            assertThat(reply.content().getByte(0)).isEqualTo((byte) i);
            reply.release();
        }
    }

    @Test
    void answersTheOnePeerOfAConnectedChannel() {
        ByteBuf content = Unpooled.buffer(1).writeByte(9);

        channel.writeInbound(new DatagramPacket(content, SERVER, null));

        ByteBuf reply = channel.readOutbound();
        assertThat(reply).isSameAs(content);
        reply.release();
    }

    @Test
    void passesOtherMessagesOn() {
        channel.writeInbound("not a datagram");

        assertThat(channel.<Object>readInbound()).isEqualTo("not a datagram");
        assertThat(channel.<Object>readOutbound()).isNull();
    }
}
