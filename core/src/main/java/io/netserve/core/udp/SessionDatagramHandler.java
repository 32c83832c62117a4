package io.netserve.core.udp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The base of a UDP protocol that keeps state per peer: a session per remote address, made by
 * {@link #newSession} on its first datagram, handed to {@link #datagramReceived} with each
 * datagram, and ended with {@link #sessionExpired} when the peer has been quiet for the idle
 * timeout ({@link ExpiryReason#IDLE}), when a new peer needs room at the cap
 * ({@link ExpiryReason#EVICTED}: the least recently active session goes), or when the channel
 * closes ({@link ExpiryReason#CLOSED}).
 *
 * <pre>{@code
 * final class Counter extends SessionDatagramHandler<long[]> {
 *     Counter() { super(Duration.ofSeconds(60), 10_000); }
 *     protected long[] newSession(InetSocketAddress peer) { return new long[1]; }
 *     protected void datagramReceived(ChannelHandlerContext ctx, long[] n, DatagramPacket packet) {
 *         ctx.writeAndFlush(new DatagramPacket(Unpooled.copyLong(++n[0]), packet.sender()));
 *     }
 * }
 * UdpServer.start(config, pipeline -> pipeline.addLast("counter", new Counter()));   // one per channel
 * }</pre>
 *
 * <p><b>Bounded.</b> At most {@code maxSessions} sessions exist at once, so a flood of datagrams
 * from spoofed sources cannot exhaust memory: each new source evicts the least recently active
 * session instead. (A flood can still push out real peers' sessions; the server's per-source rate
 * limit, {@code ServerConfig.rateLimitPerSecond}, bounds that.)
 *
 * <p><b>Threads.</b> Not {@code @Sharable}: each datagram channel gets its own instance and its own
 * table, touched only on that channel's event loop, so nothing is locked. That is also correct for
 * a server bound with {@code SO_REUSEPORT} (one channel per I/O thread): the kernel hashes a source
 * address to one socket, so each peer's datagrams always reach the same channel and its session.
 * Time comes from the event loop's ticker, and expiry is one timer per channel, set for the
 * oldest session's deadline, so it is exact and costs nothing while no session is due.
 *
 * <p><b>Buffers.</b> Datagrams with a sender are consumed: this handler releases each one after
 * {@link #datagramReceived} returns (or throws), exactly once, as Netty's
 * {@code SimpleChannelInboundHandler} does. A subclass that keeps or forwards the packet or its
 * content past that call must {@code retain()} it first. Other messages, and datagrams without a
 * sender (a connected channel), pass on untouched.
 *
 * @param <S> the session type, anything the protocol keeps per peer
 */
public abstract class SessionDatagramHandler<S> extends ChannelInboundHandlerAdapter {

    /** Why a session ended, as passed to {@link #sessionExpired}. */
    public enum ExpiryReason {
        /** Its peer sent nothing for the idle timeout. */
        IDLE,
        /** The table was full and a new peer needed room; this was the least recently active session. */
        EVICTED,
        /** The channel closed (or this handler was removed). */
        CLOSED
    }

    private static final class Entry<S> {
        final InetSocketAddress peer;
        final S session;
        long lastSeen;

        Entry(InetSocketAddress peer, S session, long lastSeen) {
            this.peer = peer;
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }

    private final long idleNanos;
    private final int maxSessions;
    // Access order: the head is always the least recently active session, so the next to expire.
    private final LinkedHashMap<InetSocketAddress, Entry<S>> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private Future<?> sweep;

    /**
     * A handler ending sessions after {@code idleTimeout} (positive) without a datagram from their
     * peer, keeping at most {@code maxSessions} (at least 1) at once.
     */
    protected SessionDatagramHandler(Duration idleTimeout, int maxSessions) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
        }
        this.idleNanos = idleTimeout.toNanos();
        this.maxSessions = maxSessions;
    }

    /**
     * Makes the session of {@code peer}, on its first datagram (or its first after its session
     * ended). Runs on the event loop: must not block.
     */
    protected abstract S newSession(InetSocketAddress peer);

    /**
     * Handles one datagram from the peer of {@code session}. The packet is released when this
     * returns: {@code retain()} it (or its content) to keep or forward it, e.g. as a reply.
     */
    protected abstract void datagramReceived(ChannelHandlerContext ctx, S session, DatagramPacket packet)
            throws Exception;

    /**
     * Called once when the session of {@code peer} ends, for {@code reason}; the session is already
     * gone from the table. Does nothing by default; override to release what a session holds or
     * to tell the peer.
     */
    protected void sessionExpired(ChannelHandlerContext ctx, InetSocketAddress peer, S session, ExpiryReason reason) {
    }

    /** The number of sessions of this channel now, at most {@code maxSessions}. Event loop only. */
    public final int sessionCount() {
        return sessions.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof DatagramPacket) || ((DatagramPacket) msg).sender() == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            InetSocketAddress peer = packet.sender();
            long now = ctx.executor().ticker().nanoTime();
            Entry<S> entry = sessions.get(peer);
            if (entry == null) {
                if (sessions.size() >= maxSessions) {
                    evictEldest(ctx);
                }
                entry = new Entry<>(peer, newSession(peer), now);
                sessions.put(peer, entry);
                scheduleSweep(ctx, now);
            } else {
                entry.lastSeen = now;
            }
            datagramReceived(ctx, entry.session, packet);
        } finally {
            packet.release();
        }
    }

    private void evictEldest(ChannelHandlerContext ctx) {
        Iterator<Entry<S>> it = sessions.values().iterator();
        Entry<S> eldest = it.next();
        it.remove();
        sessionExpired(ctx, eldest.peer, eldest.session, ExpiryReason.EVICTED);
    }

    private void scheduleSweep(ChannelHandlerContext ctx, long now) {
        if (sweep != null || sessions.isEmpty()) {
            return;
        }
        long deadline = sessions.values().iterator().next().lastSeen + idleNanos;
        sweep = ctx.executor().schedule(() -> sweep(ctx), Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    }

    private void sweep(ChannelHandlerContext ctx) {
        sweep = null;
        long now = ctx.executor().ticker().nanoTime();
        Iterator<Entry<S>> it = sessions.values().iterator();
        while (it.hasNext()) {
            Entry<S> eldest = it.next();
            if (now - eldest.lastSeen < idleNanos) {
                break;
            }
            it.remove();
            try {
                sessionExpired(ctx, eldest.peer, eldest.session, ExpiryReason.IDLE);
            } catch (Throwable t) {
                ctx.fireExceptionCaught(t);
            }
            // The subclass may have touched the table; start again from its head.
            it = sessions.values().iterator();
        }
        scheduleSweep(ctx, now);
    }

    /** Ends every session with {@link ExpiryReason#CLOSED} and stops the expiry timer. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        while (!sessions.isEmpty()) {
            Iterator<Entry<S>> it = sessions.values().iterator();
            Entry<S> entry = it.next();
            it.remove();
            sessionExpired(ctx, entry.peer, entry.session, ExpiryReason.CLOSED);
        }
    }
}
