package io.netserve.samples.client;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.tcp.TcpServer;
import io.netserve.test.ServerExtension;
import io.netserve.echo.tcp.EchoHandler;
import io.netserve.samples.Run;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code tcp-client} against the real TCP echo handler, and against servers that misbehave. */
class TcpClientCommandTest {

    @RegisterExtension
    static final ServerExtension echo = ServerExtension.of(p -> p.addLast(EchoHandler.INSTANCE));

    @RegisterExtension
    static final ServerExtension silent = ServerExtension.of(p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }));

    @RegisterExtension
    static final ServerExtension hangsUp = ServerExtension.of(p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }));

    @RegisterExtension
    static final ServerExtension halfLine = ServerExtension.of(p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(ctx.alloc().buffer().writeByte('x')).addListener(ChannelFutureListener.CLOSE);
        }
    }));

    @RegisterExtension
    static final ServerExtension greets = ServerExtension.of(p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("* welcome\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ctx.fireChannelActive();
        }
    }, EchoHandler.INSTANCE));

    private static String port(ServerExtension server) {
        return String.valueOf(server.port());
    }

    @Test
    void sendsEachMessageAndPrintsEachReply() {
        Run run = Run.of("tcp-client", "--port", port(echo), "--message", "hello", "-m", "wörld");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("hello\nwörld\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void sendsEachLineOfStandardInput() {
        Run run = Run.withInput("one\ntwo\r\nthree", "tcp-client", "--port", port(echo), "--timeout", "10s");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void connectsOverIpv6() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback here");
        try (TcpServer v6 = TcpServer.start(ServerConfig.builder().host("::1").build(), p -> p.addLast(EchoHandler.INSTANCE))) {
            String p = String.valueOf(v6.localAddress().getPort());
            assertThat(Run.of("tcp-client", "--host", "::1", "--port", p, "-m", "six").out()).isEqualTo("six\n");
            assertThat(Run.of("tcp-client", "--host", "[::1]", "--port", p, "-m", "brackets").out()).isEqualTo("brackets\n");
        }
    }

    @Test
    void aRefusedConnectionIsOneLineAndStatusOne() throws IOException {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        Run run = Run.of("tcp-client", "--port", String.valueOf(unused), "-m", "hi");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("samples tcp-client: cannot connect to 127.0.0.1:" + unused
                + ": Connection refused\n");
    }

    @Test
    void aReplyThatDoesNotComeInTimeIsStatusOne() {
        Run run = Run.of("tcp-client", "--port", port(silent), "--timeout", "300ms", "-m", "anyone?");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samples tcp-client: no reply from 127.0.0.1:" + silent.port()
                + " within 300 ms\n");
    }

    @Test
    void aServerThatClosesBeforeReplyingIsStatusOne() {
        Run run = Run.of("tcp-client", "--port", port(hangsUp), "-m", "hello?");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samples tcp-client: connection closed by 127.0.0.1:" + hangsUp.port()
                + " before its reply\n");

        Run partial = Run.of("tcp-client", "--port", port(halfLine), "-m", "hello?");
        assertThat(partial.status()).isEqualTo(1);
        assertThat(partial.err()).endsWith(" in the middle of its reply\n");
    }

    @Test
    void aLineTheServerSendsUnaskedIsTheReplyToTheNextLine() {
        Run run = Run.of("tcp-client", "--port", port(greets), "-m", "first", "-m", "second");
        assertThat(run).isEqualTo(new Run(0, "* welcome\nfirst\n", ""));
    }

    @Test
    void anUnknownHostIsStatusOne() {
        Run run = Run.of("tcp-client", "--host", "no-such-host.invalid", "-m", "x");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samples tcp-client: cannot resolve host 'no-such-host.invalid': unknown host\n");
    }

    @Test
    void aBadCommandLineIsStatusTwoWithAHint() {
        Run port = Run.of("tcp-client", "--port", "0");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.err()).isEqualTo("samples tcp-client: Invalid value for option '--port': "
                + "port must be between 1 and 65535, was 0\nTry 'samples tcp-client --help' for more information.\n");

        Run timeout = Run.of("tcp-client", "--timeout", "soon");
        assertThat(timeout.status()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout").contains("Try 'samples tcp-client --help'");
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
