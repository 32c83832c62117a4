package io.netserve.core.internal.udp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UdpChannelInitializerTest {

    /** Answers each datagram with its own content, as an echo would. */
    private static final Protocol REFLECT = pipeline -> pipeline.addLast("reflect", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.writeAndFlush(new DatagramPacket(packet.content(), packet.sender()));
        }
    });

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);

    @Test
    void buildsThePipelineInItsDocumentedOrder() {
        ServerConfig config = ServerConfig.builder().rateLimitPerSecond(10).build();
        EmbeddedChannel channel = new EmbeddedChannel(new UdpChannelInitializer(config, context, REFLECT));
        try {
            assertThat(names(channel)).containsExactly(
                    "metrics", "oversize", "sourcePort", "rateLimit", "backpressure", "replyLimit", "reflect", "tail");
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void leavesOutTheGuardsThatAreOff() {
        ServerConfig config = ServerConfig.builder().allowPrivilegedSourcePorts(true).build();
        EmbeddedChannel channel = new EmbeddedChannel(new UdpChannelInitializer(config, context, REFLECT));
        try {
            assertThat(names(channel)).containsExactly("metrics", "oversize", "backpressure", "replyLimit", "reflect",
                    "tail");
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void sharesItsHandlersBetweenTheChannelsOfOneServer() {
        ServerConfig config = ServerConfig.builder().rateLimitPerSecond(10).build();
        UdpChannelInitializer initializer = new UdpChannelInitializer(config, context, REFLECT);
        EmbeddedChannel a = new EmbeddedChannel(initializer);
        EmbeddedChannel b = new EmbeddedChannel(initializer);
        try {
            for (String name : List.of("metrics", "oversize", "sourcePort", "rateLimit", "tail")) {
                assertThat(a.pipeline().get(name)).as(name).isSameAs(b.pipeline().get(name));
            }
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }

    @Test
    void countsAndAnswersGoodDatagramsAndDropsBadOnesByReason() {
        ServerConfig config = ServerConfig.builder().maxDatagramSize(100).rateLimitPerSecond(2).build();
        EmbeddedChannel channel = new EmbeddedChannel(new UdpChannelInitializer(config, context, REFLECT));
        try {
            channel.writeInbound(Datagrams.from(40000, 10));   // answered
            channel.writeInbound(Datagrams.from(40000, 101));  // oversize
            channel.writeInbound(Datagrams.from(19, 10));      // privileged source port
            channel.writeInbound(Datagrams.from(40000, 100));  // answered: the rate's second
            channel.writeInbound(Datagrams.from(40000, 10));   // past the rate

            DatagramPacket first = channel.readOutbound();
            DatagramPacket second = channel.readOutbound();
            assertThat(first.content().readableBytes()).isEqualTo(10);
            assertThat(first.recipient().getPort()).isEqualTo(40000);
            assertThat(second.content().readableBytes()).isEqualTo(100);
            assertThat(channel.<Object>readOutbound()).isNull();
            first.release();
            second.release();

            assertThat(metrics.datagramsIn()).isEqualTo(5);
            assertThat(metrics.bytesIn()).isEqualTo(10 + 101 + 10 + 100 + 10);
            assertThat(metrics.datagramsOut()).isEqualTo(2);
            assertThat(metrics.bytesOut()).isEqualTo(110);
            assertThat(metrics.droppedOversize()).isEqualTo(1);
            assertThat(metrics.droppedPrivilegedPort()).isEqualTo(1);
            assertThat(metrics.droppedRateLimited()).isEqualTo(1);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aProtocolExceptionLeavesTheChannelOpen() {
        Protocol failing = pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((DatagramPacket) msg).release();
                throw new IllegalStateException("protocol bug");
            }
        });
        EmbeddedChannel channel = new EmbeddedChannel(new UdpChannelInitializer(ServerConfig.defaults(), context, failing));
        try {
            channel.writeInbound(Datagrams.from(40000, 1));

            assertThat(channel.isOpen()).isTrue();
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static List<String> names(EmbeddedChannel channel) {
        return channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList();
    }
}
