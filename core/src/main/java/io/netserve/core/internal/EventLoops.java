package io.netserve.core.internal;

import io.netserve.core.Transport;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Transport resolution and event-loop groups, for servers and clients alike. */
public final class EventLoops {

    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private EventLoops() {
    }

    /** The concrete transport for {@code config}, logging what {@code auto} chose and why. */
    public static Transport resolve(ServerConfig config) throws ServerStartException {
        return resolve(config.transport());
    }

    /** The concrete transport for {@code requested}, logging what {@code auto} chose and why. */
    public static Transport resolve(Transport requested) throws ServerStartException {
        Transport chosen;
        try {
            chosen = requested.resolve();
        } catch (IllegalStateException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        if (requested == Transport.AUTO) {
            if (chosen == Transport.NIO) {
                log.info("transport auto: using nio, no native transport loads here:{}{}",
                        System.lineSeparator(), Transport.availabilityReport().stripTrailing());
            } else {
                log.debug("transport auto: using {}, the first available of epoll, io_uring, kqueue, nio",
                        chosen.cliName());
            }
        }
        return chosen;
    }

    /**
     * The concrete transport for a client asking for {@code requested}: as {@link #resolve(Transport)},
     * but logging the choice of {@code auto} at DEBUG only (a client's output is its own), and
     * failing with the transport's own {@link IllegalStateException}.
     */
    public static Transport resolveForClient(Transport requested) {
        Transport chosen = requested.resolve();
        if (requested == Transport.AUTO) {
            log.debug("transport auto: using {} for a client", chosen.cliName());
        }
        return chosen;
    }

    /**
     * The transport whose I/O handlers run {@code group}, a group of Netty 4.2's
     * {@code MultiThreadIoEventLoopGroup} kind (as every netserve server's is).
     *
     * @throws IllegalArgumentException if {@code group} runs none of the transports netserve knows
     */
    public static Transport transportOf(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup) {
            for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE, Transport.NIO}) {
                if (((IoEventLoopGroup) group).isIoType(ioHandlerClass(t))) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("eventLoopGroup " + group.getClass().getName()
                + " runs none of the transports epoll, io_uring, kqueue, nio");
    }

    private static Class<? extends IoHandler> ioHandlerClass(Transport transport) {
        switch (transport) {
            case EPOLL:
                return EpollIoHandler.class;
            case IO_URING:
                return IoUringIoHandler.class;
            case KQUEUE:
                return KQueueIoHandler.class;
            default:
                return NioIoHandler.class;
        }
    }

    /** A group of {@code threads} event loops on {@code transport}, its threads named {@code name-N-M}. */
    public static EventLoopGroup newGroup(Transport transport, int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false),
                transport.ioHandlerFactory());
    }

    /** Shuts {@code group} down and waits for it, at most {@code timeoutNanos} beyond the quiet period. */
    public static void shutdown(EventLoopGroup group, long quietNanos, long timeoutNanos) {
        long timeout = Math.max(timeoutNanos, quietNanos);
        group.shutdownGracefully(quietNanos, timeout, TimeUnit.NANOSECONDS);
        try {
            // Tasks already queued get a moment beyond the timeout to finish before we give up waiting.
            group.awaitTermination(timeout + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
