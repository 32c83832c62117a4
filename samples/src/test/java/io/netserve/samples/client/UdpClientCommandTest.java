package io.netserve.samples.client;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.udp.UdpServer;
import io.netserve.echo.udp.EchoHandler;
import io.netserve.samples.Run;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code udp-client} against the real UDP echo handler, and against servers that lose datagrams. */
class UdpClientCommandTest {

    /** One datagram channel, so that {@code handler} need not be sharable. */
    private static UdpServer start(String host, ChannelInboundHandlerAdapter handler) throws Exception {
        return UdpServer.start(ServerConfig.builder().host(host).port(0).ioThreads(1).build(), p -> p.addLast(handler));
    }

    private static String port(UdpServer server) {
        return String.valueOf(server.localAddress().getPort());
    }

    @Test
    void sendsEachMessageAsOneDatagramAndPrintsEachReply() throws Exception {
        try (UdpServer echo = start("127.0.0.1", EchoHandler.INSTANCE)) {
            Run run = Run.of("udp-client", "--port", port(echo), "--message", "hello", "-m", "wörld", "-m", "");
            assertThat(run.err()).isEmpty();
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("hello\nwörld\n\n");
            assertThat(echo.metrics().datagramsIn()).isEqualTo(3);
        }
    }

    @Test
    void sendsEachLineOfStandardInput() throws Exception {
        try (UdpServer echo = start("127.0.0.1", EchoHandler.INSTANCE)) {
            Run run = Run.withInput("one\ntwo\r\nthree", "udp-client", "--port", port(echo), "--timeout", "10s");
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("one\ntwo\nthree\n");
        }
    }

    @Test
    void talksIpv6() throws Exception {
        try (UdpServer echo = start("::1", EchoHandler.INSTANCE)) {
            assertThat(Run.of("udp-client", "--host", "::1", "--port", port(echo), "-m", "six").out()).isEqualTo("six\n");
            assertThat(Run.of("udp-client", "--host", "[::1]", "--port", port(echo), "-m", "b").out()).isEqualTo("b\n");
        }
    }

    @Test
    void sendsAgainWhenAReplyDoesNotCome() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        ChannelInboundHandlerAdapter dropsTheFirst = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (seen.incrementAndGet() == 1) {
                    ReferenceCountUtil.release(msg);
                } else {
                    EchoHandler.INSTANCE.channelRead(ctx, msg);
                    ctx.flush();
                }
            }
        };
        try (UdpServer lossy = start("127.0.0.1", dropsTheFirst)) {
            Run run = Run.of("udp-client", "--port", port(lossy), "--timeout", "300ms", "--retries", "3", "-m", "hi");
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("hi\n");
            assertThat(seen).hasValue(2);
        }
    }

    @Test
    void reportsLostRepliesAfterItsRetriesAndExitsOne() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            silent.setSoTimeout(10_000);
            String port = String.valueOf(silent.getLocalPort());

            Run run = Run.of("udp-client", "--port", port, "--timeout", "200ms", "--retries", "1", "-m", "anyone?");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("samples udp-client: no reply from 127.0.0.1:" + port
                    + " to datagram 1 after 2 tries of 200 ms\nsamples udp-client: lost 1 of 1 replies\n");
            for (int i = 0; i < 2; i++) {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                silent.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength())).isEqualTo("anyone?");
            }
        }
    }

    @Test
    void reportsOnlyTheLostOnesWhenSomeAreAnswered() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        ChannelInboundHandlerAdapter answersTheFirstOnly = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (seen.incrementAndGet() == 1) {
                    EchoHandler.INSTANCE.channelRead(ctx, msg);
                    ctx.flush();
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        };
        try (UdpServer server = start("127.0.0.1", answersTheFirstOnly)) {
            Run run = Run.of("udp-client", "--port", port(server), "--timeout", "200ms", "--retries", "0",
                    "-m", "a", "-m", "b");
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEqualTo("a\n");
            assertThat(run.err()).contains("to datagram 2 after 1 tries").endsWith("lost 1 of 2 replies\n");
        }
    }

    @Test
    void aBadRetryCountIsABadCommandLine() {
        Run run = Run.of("udp-client", "--retries", "-1", "-m", "x");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("samples udp-client: Invalid value for option '--retries': "
                + "must be between 0 and 100, was -1\n");
    }
}
