package io.netserve.samples.counter;

import io.netserve.core.udp.SessionDatagramHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Answers each datagram with {@code "<n> <text>"}: {@code n} counts the datagrams its sender has
 * sent in its session (1 for the first), {@code text} is the datagram's bytes unchanged. A peer's
 * count starts again at 1 once its session has expired (idle for the timeout, or evicted for a new
 * peer at the cap), so a client can see its session end.
 *
 * <pre>{@code
 * pipeline.addLast("counter", new CounterHandler(Duration.ofSeconds(60), 10_000));   // one per channel
 * }</pre>
 *
 * <p>Consumes every datagram with a sender (released by {@link SessionDatagramHandler}; the text is
 * copied into the reply) and flushes the replies of a read batch together. Not sharable: a session
 * table per channel.
 */
public final class CounterHandler extends SessionDatagramHandler<CounterHandler.Count> {

    private static final Logger log = LoggerFactory.getLogger(CounterHandler.class);

    /** One peer's session: the datagrams it has sent. */
    static final class Count {
        long datagrams;
    }

    /** Sessions end after {@code sessionTimeout} of silence; at most {@code maxSessions} at once. */
    public CounterHandler(Duration sessionTimeout, int maxSessions) {
        super(sessionTimeout, maxSessions);
    }

    @Override
    protected Count newSession(InetSocketAddress peer) {
        return new Count();
    }

    @Override
    protected void datagramReceived(ChannelHandlerContext ctx, Count count, DatagramPacket packet) {
        ByteBuf text = packet.content();
        String prefix = ++count.datagrams + " ";
        ByteBuf reply = ctx.alloc().buffer(prefix.length() + text.readableBytes());
        ByteBufUtil.writeAscii(reply, prefix);
        reply.writeBytes(text, text.readerIndex(), text.readableBytes());
        ctx.write(new DatagramPacket(reply, packet.sender()), ctx.voidPromise());
    }

    @Override
    protected void sessionExpired(ChannelHandlerContext ctx, InetSocketAddress peer, Count count, ExpiryReason reason) {
        log.debug("session of {} ended ({}) after {} datagram(s)", peer, reason, count.datagrams);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
