package io.netserve.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Small loopback servers that misbehave on purpose, for the load generator's tests. */
final class TestServers implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private TestServers(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** A TCP server on 127.0.0.1, port 0, with a new {@code handler} per connection. */
    static TestServers tcp(Supplier<ChannelHandler> handler) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(handler.get());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return new TestServers(group, ch);
    }

    /** A UDP server on 127.0.0.1, port 0, with {@code handler}. */
    static TestServers udp(ChannelHandler handler) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(handler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return new TestServers(group, ch);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
