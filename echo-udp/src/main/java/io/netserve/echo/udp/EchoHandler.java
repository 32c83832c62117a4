package io.netserve.echo.udp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * Answers each datagram once, to its sender, with the same bytes, without copying: the buffer read
 * becomes the content of the reply, and the transport releases it once sent. Replies of one read
 * batch are flushed together at its end, so the native transports send them with one system call.
 *
 * <pre>{@code
 * pipeline.addLast("echo", EchoHandler.INSTANCE);
 * }</pre>
 *
 * <p>Consumes every {@link DatagramPacket} and {@code channelReadComplete}; passes other messages
 * on. {@link Sharable}: it keeps no state.
 */
@Sharable
public final class EchoHandler extends ChannelInboundHandlerAdapter {

    /** The one instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        // The packet's one reference to its content moves to the reply: no retain, no release here.
        Object reply = packet.sender() != null
                ? new DatagramPacket(packet.content(), packet.sender())
                : packet.content(); // a connected channel: its one peer
        ctx.write(reply, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
