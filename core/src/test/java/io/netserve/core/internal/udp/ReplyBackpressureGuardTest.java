package io.netserve.core.internal.udp;

import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.test.LogCapture;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyBackpressureGuardTest {

    private static final int HIGH = 4096;

    private final ServerMetrics metrics = new ServerMetrics();
    private final List<Throwable> exceptions = new ArrayList<>();
    private final LogCapture logs = LogCapture.of("io.netserve.core.udp");
    /** Holds flushes back, as a full socket buffer does. */
    private final ChannelOutboundHandlerAdapter fullSocket = new ChannelOutboundHandlerAdapter() {
        @Override
        public void flush(ChannelHandlerContext ctx) {
            // the socket takes nothing
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel(fullSocket,
            new ReplyBackpressureGuard(new ServerContext(metrics)), new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    exceptions.add(cause);
                }
            });

    @AfterEach
    void tearDown() {
        logs.close();
        channel.finishAndReleaseAll();
    }

    @Test
    void queuesRepliesUpToTheHighWaterMarkThenDropsCountsAndReleasesThem() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(HIGH / 2, HIGH));
        List<DatagramPacket> dropped = new ArrayList<>();
        List<ChannelFuture> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DatagramPacket reply = reply(1000);
            if (!channel.isWritable()) {
                dropped.add(reply);
            }
            results.add(channel.write(reply));
        }

        // Four replies (and Netty's 96 bytes an entry) pass the high water mark: the rest are dropped.
        assertThat(dropped).hasSize(6).allMatch(p -> p.refCnt() == 0);
        assertThat(metrics.droppedBackpressure()).isEqualTo(6);
        assertThat(results.subList(4, 10)).allSatisfy(f ->
                assertThat(f.cause()).isSameAs(ReplyBackpressureGuard.DROPPED));
        assertThat(results.subList(0, 4)).noneMatch(ChannelFuture::isDone);
        assertThat(logs.messages()).singleElement().asString().startsWith("dropped a reply to /127.0.0.1:40000");
    }

    @Test
    void aDroppedReplyWithAVoidPromiseReachesNoExceptionHandler() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(reply(10), channel.voidPromise());
        DatagramPacket reply = reply(10);

        channel.write(reply, channel.voidPromise());

        assertThat(reply.refCnt()).isZero();
        assertThat(metrics.droppedBackpressure()).isEqualTo(1);
        assertThat(exceptions).isEmpty();
    }

    @Test
    void passesEveryReplyOnWhileTheChannelIsWritable() {
        ChannelPromise promise = channel.newPromise();
        channel.writeAndFlush(reply(10), promise);

        assertThat(metrics.droppedBackpressure()).isZero();
        assertThat(channel.isWritable()).isTrue();
        assertThat(new ReplyBackpressureGuard(new ServerContext(metrics)).isSharable()).isTrue();
    }

    private static DatagramPacket reply(int size) {
        return new DatagramPacket(Unpooled.buffer(size).writeZero(size), new InetSocketAddress("127.0.0.1", 40000),
                Datagrams.SERVER);
    }
}
