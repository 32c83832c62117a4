package io.netserve.core.internal.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends zero-length datagrams. Netty's NIO and epoll datagram channels take an empty buffer as
 * already written and send nothing, so a protocol answering an empty datagram (an echo) would
 * silently not answer; io_uring sends them itself. This handler sends an empty
 * {@link DatagramPacket} straight through the channel's socket when it is written, which may put
 * it ahead of replies written earlier and not yet flushed (UDP promises no order anyway). On a
 * connected NIO channel the JDK sends nothing for no bytes whatever it is asked: such a write
 * fails with an {@link IOException} saying so.
 *
 * <pre>{@code
 * if (EmptyDatagramWriter.isNeededFor(channel)) {
 *     pipeline.addFirst("emptyDatagrams", EmptyDatagramWriter.INSTANCE);   // next to the transport
 * }
 * }</pre>
 *
 * <p>Consumes and releases empty addressed {@link DatagramPacket}s, completing their promise;
 * passes every other write on. {@link Sharable}: it keeps no state.
 */
@Sharable
public final class EmptyDatagramWriter extends ChannelOutboundHandlerAdapter {

    /** The one instance. */
    public static final EmptyDatagramWriter INSTANCE = new EmptyDatagramWriter();

    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private EmptyDatagramWriter() {
    }

    /** Whether {@code channel}'s transport drops empty datagrams: NIO and epoll datagram channels. */
    public static boolean isNeededFor(Channel channel) {
        return channel instanceof NioDatagramChannel
                || channel instanceof EpollDatagramChannel && ((EpollDatagramChannel) channel).fd() instanceof Socket;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            InetSocketAddress recipient = packet.recipient();
            if (!packet.content().isReadable() && recipient != null && isNeededFor(ctx.channel())) {
                IOException failure = null;
                try {
                    send(ctx.channel(), recipient);
                } catch (IOException e) {
                    failure = e;
                }
                packet.release(); // before the promise completes: its listeners may look
                if (failure == null) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(failure);
                }
                return;
            }
        }
        ctx.write(msg, promise);
    }

    private static void send(Channel channel, InetSocketAddress recipient) throws IOException {
        if (channel instanceof EpollDatagramChannel) {
            FileDescriptor fd = ((EpollDatagramChannel) channel).fd();
            ((Socket) fd).sendTo(EMPTY.duplicate(), 0, 0, recipient.getAddress(), recipient.getPort());
        } else {
            DatagramChannel jdk = (DatagramChannel) ((AbstractNioChannel.NioUnsafe) channel.unsafe()).ch();
            if (jdk.isConnected()) {
                // The JDK turns a send on a connected channel into a write, which sends nothing for no bytes.
                throw new IOException("NIO cannot send an empty datagram on a connected socket");
            }
            jdk.send(EMPTY.duplicate(), recipient);
        }
    }
}
