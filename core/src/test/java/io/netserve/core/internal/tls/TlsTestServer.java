package io.netserve.core.internal.tls;

import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.GlobalEventExecutor;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * An echo server on loopback behind {@link ServerTls} and {@link TlsHandshakeHandler}, as the
 * standard pipeline will have them (with core's {@link ExceptionTailHandler} last), with a plain
 * Netty bootstrap. It keeps the session of every
 * successful handshake, so a test can see what the client presented.
 */
final class TlsTestServer implements AutoCloseable {

    final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    final BlockingQueue<SSLSession> sessions = new LinkedBlockingQueue<>();
    /** The SNI name of each ClientHello, or "" for none. */
    final BlockingQueue<String> sniNames = new LinkedBlockingQueue<>();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;

    private TlsTestServer(EventLoopGroup group, Transport transport, Function<Channel, ChannelHandler> tls) {
        SessionRecorder recorder = new SessionRecorder();
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("tls", tls.apply(ch))
                                .addLast("tls-handshake", new TlsHandshakeHandler(context))
                                .addLast("sessions", recorder)
                                .addLast("echo", Echo.INSTANCE)
                                .addLast("tail", ExceptionTailHandler.forConnections(context));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        channels.add(serverChannel);
    }

    /** A server behind {@code tls}. */
    static TlsTestServer start(EventLoopGroup group, Transport transport, ServerTls tls) {
        return new TlsTestServer(group, transport, ch -> tls.newHandler());
    }

    /** A server behind a plain {@link SslHandler} of {@code context}, for certificates {@link ServerTls} refuses to load. */
    static TlsTestServer start(EventLoopGroup group, SslContext context) {
        return new TlsTestServer(group, Transport.NIO, ch -> context.newHandler(ch.alloc()));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        channels.close().syncUninterruptibly();
    }

    @Sharable
    private final class SessionRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent sni) {
                sniNames.add(sni.hostname() == null ? "" : sni.hostname());
            }
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                sessions.add(ctx.pipeline().get(SslHandler.class).engine().getSession());
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Writes every buffer back, flushing once per read batch. */
    @Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
