package io.netserve.bench.baseline;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import sun.misc.Signal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-repo baseline: the TCP or UDP echo server a competent user would hand-write on Netty 4.2,
 * to measure netserve against in the same run. Epoll when it loads (else NIO), one event loop per
 * core; TCP writes what it reads and flushes once per read batch, and stops reading while the
 * socket cannot take more; UDP reads several datagrams per system call on epoll and binds one
 * {@code SO_REUSEPORT} socket per loop. No limits, metrics or logging set-up: a yardstick, not a
 * product.
 *
 * <pre>
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.baseline.BareNettyEcho tcp --host 127.0.0.1 --port 7000
 * </pre>
 *
 * Once bound it prints {@code listening on <host>:<port> (transport=<name>)}, like netserve's
 * jars; SIGTERM or SIGINT closes it, with exit status 0.
 */
public final class BareNettyEcho implements AutoCloseable {

    /** Largest UDP payload: every datagram is echoed whole. */
    static final int MAX_DATAGRAM = 65_507;

    /** Datagrams one epoll read buffer holds, read with one {@code recvmmsg}. */
    static final int DATAGRAMS_PER_READ = 16;

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final String transport;

    private BareNettyEcho(EventLoopGroup group, List<Channel> channels, String transport) {
        this.group = group;
        this.channels = channels;
        this.transport = transport;
    }

    /** Runs the command line {@code tcp|udp [--host H] [--port P] [--threads N] [--transport auto|epoll|nio]}. */
    public static void main(String[] args) throws InterruptedException {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        String protocol = null;
        String host = "127.0.0.1";
        int port = 65_432;
        int threads = Runtime.getRuntime().availableProcessors();
        String transport = "auto";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host": host = args[++i]; break;
                    case "--port": port = Integer.parseInt(args[++i]); break;
                    case "--threads": threads = Integer.parseInt(args[++i]); break;
                    case "--transport": transport = args[++i]; break;
                    case "tcp": case "udp": protocol = args[i]; break;
                    default: throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (protocol == null) {
                throw new IllegalArgumentException("tcp or udp is required");
            }
        } catch (RuntimeException e) {
            System.err.println("bare-netty-echo: " + e.getMessage());
            System.err.println("usage: BareNettyEcho tcp|udp [--host H] [--port P] [--threads N] [--transport auto|epoll|nio]");
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        BareNettyEcho server;
        try {
            server = start(protocol, new InetSocketAddress(InetAddress.getByName(host), port), threads, transport);
        } catch (Exception e) {
            System.err.println("bare-netty-echo: cannot start: " + e);
            System.exit(1);
            return;
        }
        System.out.println("listening on " + NetUtil.toSocketAddressString(server.localAddress())
                + " (transport=" + server.transport() + ")");
        System.out.flush();
        stop.await();
        server.close();
        System.exit(0);
    }

    /**
     * Binds an echo server for {@code protocol} ("tcp" or "udp") on {@code address} with
     * {@code threads} event loops, on {@code transport} ("auto", "epoll" or "nio").
     */
    public static BareNettyEcho start(String protocol, InetSocketAddress address, int threads, String transport)
            throws InterruptedException {
        boolean epoll;
        switch (transport) {
            case "auto": epoll = Epoll.isAvailable(); break;
            case "epoll": Epoll.ensureAvailability(); epoll = true; break;
            case "nio": epoll = false; break;
            default: throw new IllegalArgumentException("transport must be auto, epoll or nio, was " + transport);
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        List<Channel> channels = new ArrayList<>();
        try {
            if (protocol.equals("tcp")) {
                ChannelFuture f = new ServerBootstrap()
                        .group(group)
                        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(TcpEcho.INSTANCE)
                        .bind(address).sync();
                channels.add(f.channel());
            } else if (protocol.equals("udp")) {
                Bootstrap b = new Bootstrap()
                        .group(group)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .handler(UdpEcho.INSTANCE);
                if (epoll) {
                    b.option(EpollChannelOption.SO_REUSEPORT, true)
                            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                            .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
                } else {
                    b.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
                }
                Channel first = b.bind(address).sync().channel();
                channels.add(first);
                InetSocketAddress bound = (InetSocketAddress) first.localAddress();
                for (int i = 1; epoll && i < threads; i++) {
                    channels.add(b.bind(bound).sync().channel());
                }
            } else {
                throw new IllegalArgumentException("protocol must be tcp or udp, was " + protocol);
            }
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return new BareNettyEcho(group, channels, epoll ? "epoll" : "nio");
    }

    /** The address the (first) channel is bound to. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /** The transport the server runs on: "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /** Closes the channels and stops the event loops. */
    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Flushes once per read batch, and stops reading while the peer is not taking what was written. */
    abstract static class BatchFlushingEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    /** Writes back what it reads. */
    @Sharable
    static final class TcpEcho extends BatchFlushingEcho {
        static final TcpEcho INSTANCE = new TcpEcho();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Sends each datagram back to its sender. */
    @Sharable
    static final class UdpEcho extends BatchFlushingEcho {
        static final UdpEcho INSTANCE = new UdpEcho();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket stays open: an ICMP error about one peer says nothing about the others.
        }
    }
}
