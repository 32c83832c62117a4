package io.netserve.core.internal.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A Netty TLS client on loopback for the tests: the {@link SslHandler} comes from the test (a
 * {@link ClientTls}, or a hand-made context to play a bad client), received bytes are collected
 * as text.
 */
public final class TlsTestClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Channel channel;
    private final SslHandler sslHandler;
    private final StringBuffer received = new StringBuffer();

    private TlsTestClient(EventLoopGroup group, InetSocketAddress address, Function<Channel, SslHandler> tls) {
        SslHandler[] handler = new SslHandler[1];
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        handler[0] = tls.apply(ch);
                        ch.pipeline().addLast(handler[0]).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                try {
                                    received.append(buf.toString(StandardCharsets.UTF_8));
                                } finally {
                                    buf.release();
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(address).syncUninterruptibly().channel();
        sslHandler = handler[0];
    }

    /** Connects with a {@link ClientTls} handler for {@code host}. */
    public static TlsTestClient connect(EventLoopGroup group, InetSocketAddress address, ClientTls tls, String host) {
        return new TlsTestClient(group, address, ch -> tls.newHandler(ch.alloc(), host, address.getPort()));
    }

    /** Connects with the handler {@code tls} makes. */
    public static TlsTestClient connect(EventLoopGroup group, InetSocketAddress address, Function<Channel, SslHandler> tls) {
        return new TlsTestClient(group, address, tls);
    }

    /** Waits for the handshake; {@code null} if it succeeded, else why it failed. */
    public Throwable awaitHandshake() {
        Future<Channel> handshake = sslHandler.handshakeFuture();
        if (!handshake.awaitUninterruptibly(TIMEOUT.toMillis())) {
            throw new AssertionError("handshake neither completed nor failed within " + TIMEOUT);
        }
        return handshake.cause();
    }

    /** Sends {@code text} and waits until it has come back; returns everything received so far. */
    public String echo(String text) {
        int before = received.length();
        channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        await().atMost(TIMEOUT).until(() -> received.length() >= before + text.length());
        return received.substring(before);
    }

    /** The certificate the server presented. */
    public X509Certificate serverCertificate() throws SSLPeerUnverifiedException {
        return (X509Certificate) sslHandler.engine().getSession().getPeerCertificates()[0];
    }

    /** The TLS version negotiated. */
    public String protocol() {
        return sslHandler.engine().getSession().getProtocol();
    }

    /** Waits until the connection is closed (by either side). */
    public void awaitClosed() {
        if (!channel.closeFuture().awaitUninterruptibly(TIMEOUT.toMillis())) {
            throw new AssertionError("connection still open after " + TIMEOUT);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
