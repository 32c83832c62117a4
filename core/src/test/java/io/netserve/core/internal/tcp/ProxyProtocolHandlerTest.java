package io.netserve.core.internal.tcp;

import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.test.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyProtocolHandlerTest {

    /** The 12-byte signature that opens every PROXY protocol v2 header. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final MockTicker ticker = Ticker.newMockTicker();
    private final Recorder next = new Recorder();
    private final LogCapture logs = LogCapture.of("io.netserve.core.input");
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();

    @AfterEach
    void tearDown() {
        logs.close();
        channel.finishAndReleaseAll();
    }

    @Test
    void aV1HeaderNamesTheClientAndIsNotPassedOn() {
        start();
        channel.writeInbound(ascii("PROXY TCP4 203.0.113.7 127.0.0.1 51000 7000\r\nhello"));

        assertThat(Peers.remote(channel)).isEqualTo(new InetSocketAddress("203.0.113.7", 51000));
        assertThat(next.events).containsExactly("active", "read:hello");
        assertThat(channel.pipeline().get(ProxyProtocolHandler.class)).as("removed once read").isNull();
    }

    @Test
    void aV2HeaderNamesTheClient() {
        start();
        channel.writeInbound(Unpooled.wrappedBuffer(v2Tcp6("2001:db8::5", 443), ascii("hi").array()));

        assertThat(Peers.remote(channel)).isEqualTo(new InetSocketAddress("2001:db8::5", 443));
        assertThat(next.events).containsExactly("active", "read:hi");
    }

    @Test
    void aLocalHeaderKeepsTheProxysAddress() {
        start();
        byte[] local = new byte[16];
        System.arraycopy(V2_SIGNATURE, 0, local, 0, 12);
        local[12] = 0x20; // v2, LOCAL
        channel.writeInbound(Unpooled.wrappedBuffer(local));

        assertThat(Peers.remote(channel)).isEqualTo(channel.remoteAddress());
        assertThat(next.events).containsExactly("active");
    }

    @Test
    void aMissingHeaderClosesTheConnectionWithOneLineAndNothingGetsThrough() {
        start();
        channel.writeInbound(ascii("GET / HTTP/1.1\r\n\r\n"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(next.events).isEmpty();
        assertThat(metrics.malformedInput()).isEqualTo(1);
        assertThat(logs.messages()).singleElement().asString().contains("after malformed input");
    }

    @Test
    void aHeaderThatNeverComesClosesTheConnectionAfterTheTimeout() {
        start();

        ticker.advance(Duration.ofSeconds(1).toNanos() - 1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        ticker.advance(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(next.events).as("never seen active, so never seen inactive").isEmpty();
        assertThat(logs.messages()).singleElement().asString().endsWith("no PROXY protocol header within 1000 ms");
    }

    private void start() {
        ProxyProtocolHandler.addTo(channel.pipeline(), context, Duration.ofSeconds(1));
        channel.pipeline().addLast(next, ExceptionTailHandler.forConnections(context));
        channel.pipeline().fireChannelActive();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY header for TCP over IPv6 from {@code source}:{@code port} to [::1]:7000. */
    static byte[] v2Tcp6(String source, int port) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(V2_SIGNATURE).writeByte(0x21).writeByte(0x21).writeShort(36);
        b.writeBytes(io.netty.util.NetUtil.createByteArrayFromIpAddressString(source));
        b.writeBytes(io.netty.util.NetUtil.createByteArrayFromIpAddressString("::1"));
        b.writeShort(port).writeShort(7000);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes).release();
        return bytes;
    }

    /** Records what gets past the PROXY handlers. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.add("active");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            events.add("read:" + buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
    }
}
