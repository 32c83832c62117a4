package io.netserve.echo.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of TCP clients on one Netty event loop (not a thread each), for overload tests of a
 * server process: connected all at once, they can stay idle, or each write {@code bytesEach}
 * bytes of its own pattern as fast as its channel lets it while reading nothing; later they read,
 * and each checks that it got back exactly what it sent. Small socket buffers and water marks on
 * the client side, so that this process holds little and the server is the one that must buffer.
 */
final class ManyClients implements AutoCloseable {

    private static final int CHUNK = 4096;
    /** Each client's stream is this pattern from its own offset on, over and over: cheap to send and check. */
    private static final int PERIOD = 251;
    private static final byte[] PATTERN = new byte[CHUNK + PERIOD];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % PERIOD * 131);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Client> clients = new ArrayList<>();
    private final ResourceLeakDetector.Level leakDetection = ResourceLeakDetector.getLevel();

    private ManyClients() {
        // The clients are the test's tool, not what it tests (the server process is): the tests'
        // paranoid leak detector, recording each access to each of their buffers, would make them
        // the bottleneck. Back as it was on close.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    /** Connects {@code count} clients to {@code server}, each to send {@code bytesEach} bytes once told. */
    static ManyClients connect(InetSocketAddress server, int count, int bytesEach) throws InterruptedException {
        ManyClients many = new ManyClients();
        Bootstrap b = new Bootstrap().group(many.group).channel(NioSocketChannel.class)
                // Writers read nothing until told; idle clients read, to see the server close them.
                .option(ChannelOption.AUTO_READ, bytesEach == 0)
                .option(ChannelOption.SO_RCVBUF, 8 * 1024)
                .option(ChannelOption.SO_SNDBUF, 8 * 1024)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 * 1024, 8 * 1024))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        List<ChannelFuture> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Client c = new Client(i, bytesEach);
            many.clients.add(c);
            pending.add(b.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(c);
                }
            }).connect(server));
            if (pending.size() == 200) {   // no more connects in flight than the server's backlog takes
                awaitAll(pending);
            }
        }
        awaitAll(pending);
        return many;
    }

    private static void awaitAll(List<ChannelFuture> pending) throws InterruptedException {
        for (ChannelFuture f : pending) {
            if (!f.await(30, TimeUnit.SECONDS) || !f.isSuccess()) {
                throw new AssertionError("a client could not connect: " + f.cause(), f.cause());
            }
        }
        pending.clear();
    }

    /** Every client starts writing its bytes, reading nothing. */
    void startWriting() {
        clients.forEach(c -> c.channel.eventLoop().execute(c::writeWhileWritable));
    }

    /** Every client starts reading, and checks what comes back. */
    void startReading() {
        clients.forEach(c -> c.channel.config().setAutoRead(true));
    }

    /** Bytes the clients have handed to their sockets (or their outbound buffers) so far. */
    long written() {
        return clients.stream().mapToLong(c -> c.written).sum();
    }

    /** Clients whose connection the server closed. */
    long closed() {
        return clients.stream().filter(c -> !c.channel.isActive()).count();
    }

    /** Whether every client got back exactly what it sent; fails at the first one that got anything else. */
    boolean allEchoed() {
        for (Client c : clients) {
            if (c.mismatch != null) {
                throw new AssertionError(c.mismatch);
            }
        }
        return clients.stream().allMatch(c -> c.received == c.bytesEach);
    }

    /** Clients that have not got all their bytes back yet. */
    long waiting() {
        return clients.stream().filter(c -> c.received != c.bytesEach).count();
    }

    @Override
    public void close() {
        clients.forEach(c -> c.channel.close());
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
        ResourceLeakDetector.setLevel(leakDetection);
    }

    /** Where in {@link #PATTERN} the byte at {@code position} of client {@code id}'s stream is. */
    private static int offset(int id, long position) {
        return (int) ((position + id * 7L) % PERIOD);
    }

    /** One client; all of its state is used on the one event loop (the counts are read by the test too). */
    private static final class Client extends ChannelInboundHandlerAdapter {
        final int id;
        final int bytesEach;
        Channel channel;
        volatile long written;
        volatile long received;
        volatile String mismatch;

        Client(int id, int bytesEach) {
            this.id = id;
            this.bytesEach = bytesEach;
        }

        @Override
        public boolean isSharable() {
            return false;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void writeWhileWritable() {
            boolean wrote = false;
            while (channel.isWritable() && written < bytesEach) {
                int n = (int) Math.min(CHUNK, bytesEach - written);
                ByteBuf chunk = channel.alloc().buffer(n).writeBytes(PATTERN, offset(id, written), n);
                channel.write(chunk, channel.voidPromise());
                written += n;
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                writeWhileWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                // A chunk at a time: the tests' leak detector records every access to a buffer.
                long at = received;
                byte[] got = new byte[CHUNK];
                while (buf.isReadable()) {
                    int n = Math.min(buf.readableBytes(), CHUNK);
                    int from = offset(id, at);
                    buf.readBytes(got, 0, n);
                    if (!Arrays.equals(got, 0, n, PATTERN, from, from + n) && mismatch == null) {
                        mismatch = "client " + id + " got a wrong byte between " + at + " and " + (at + n);
                    }
                    at += n;
                }
                received = at;
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
