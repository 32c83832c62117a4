package io.netserve.core;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueDatagramChannel;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;
import java.util.Optional;

/**
 * The I/O transports a server or client can run on, and the one place that knows each one's
 * channel classes. {@link #AUTO} stands for the best one that loads here: epoll, then io_uring
 * (Linux), then kqueue (macOS), then NIO (everywhere, Windows included). The README's performance
 * section says why epoll comes before io_uring.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().transport(Transport.IO_URING).build();
 * System.out.print(Transport.availabilityReport());   // why AUTO chooses what it chooses
 * }</pre>
 *
 * <p>Each concrete transport gives what a Netty bootstrap needs: the event-loop I/O handler
 * factory and the server socket, socket and datagram channel classes.
 */
public enum Transport {
    /** The best transport available here; see {@link #resolve()}. */
    AUTO {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return Optional.empty();
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return resolve().ioHandlerFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return resolve().serverChannelClass();
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return resolve().socketChannelClass();
        }

        @Override
        public ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family) {
            return resolve().datagramChannelFactory(family);
        }
    },
    /** Java NIO: available on every platform. */
    NIO {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return Optional.empty();
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return NioSocketChannel.class;
        }

        @Override
        public ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family) {
            return () -> new NioDatagramChannel(family);
        }
    },
    /** Linux epoll through Netty's native library. */
    EPOLL {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return NativeProbe.cause(() -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return EpollSocketChannel.class;
        }

        @Override
        public ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family) {
            return () -> new EpollDatagramChannel(family);
        }
    },
    /** Linux io_uring through Netty's native library. */
    IO_URING {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return NativeProbe.cause(() -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause());
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return IoUringSocketChannel.class;
        }

        @Override
        public ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family) {
            return () -> new IoUringDatagramChannel(family);
        }
    },
    /** BSD and macOS kqueue through Netty's native library. */
    KQUEUE {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return NativeProbe.cause(() -> KQueue.isAvailable() ? null : KQueue.unavailabilityCause());
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return KQueueIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelClass() {
            return KQueueServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            return KQueueSocketChannel.class;
        }

        @Override
        public ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family) {
            return () -> new KQueueDatagramChannel(family);
        }
    };

    /** The concrete transports in the order {@link #AUTO} tries them; NIO, always available, last. */
    private static final Transport[] PREFERENCE = {EPOLL, IO_URING, KQUEUE, NIO};

    /** Why this transport cannot be used here (the native loader's cause), or empty if it can. */
    public abstract Optional<Throwable> unavailabilityCause();

    /** The I/O handler factory for a {@code MultiThreadIoEventLoopGroup} on this transport. */
    public abstract IoHandlerFactory ioHandlerFactory();

    /** The server socket channel class of this transport. */
    public abstract Class<? extends ServerChannel> serverChannelClass();

    /** The (client) socket channel class of this transport. */
    public abstract Class<? extends SocketChannel> socketChannelClass();

    /**
     * A factory of datagram channels of {@code family}: an IPv4 socket for IPv4, rather than the
     * dual-stack IPv6 socket the transports open by default.
     */
    public abstract ChannelFactory<DatagramChannel> datagramChannelFactory(SocketProtocolFamily family);

    /** Whether this transport can be used here. */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Whether this is one of the native transports (epoll, io_uring, kqueue). */
    public boolean isNative() {
        return this == EPOLL || this == IO_URING || this == KQUEUE;
    }

    /**
     * The concrete transport to run on: this one, or for {@link #AUTO} the first available of
     * epoll, io_uring, kqueue and NIO.
     *
     * @throws IllegalStateException naming the transport and the native loader's reason, if this
     *     transport was named and cannot load here
     */
    public Transport resolve() {
        if (this == AUTO) {
            for (Transport t : PREFERENCE) {
                if (t.isAvailable()) {
                    return t;
                }
            }
        }
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IllegalStateException("transport " + cliName() + " is not available on this system: "
                    + NativeProbe.describe(cause.get()), cause.get());
        }
        return this;
    }

    /** The name used on command lines and in logs: {@code auto}, {@code nio}, {@code epoll}, {@code io_uring}, {@code kqueue}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The transport with the given command-line name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Transport fromCliName(String name) {
        for (Transport t : values()) {
            if (t.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a transport: use auto, nio, epoll, io_uring or kqueue");
    }

    /** One line per concrete transport, in {@link #AUTO}'s order: its name and "available" or the reason it is not. */
    public static String availabilityReport() {
        StringBuilder sb = new StringBuilder();
        for (Transport t : PREFERENCE) {
            sb.append(t.cliName()).append(": ")
                    .append(t.unavailabilityCause().map(c -> "unavailable (" + NativeProbe.describe(c) + ")").orElse("available"))
                    .append(System.lineSeparator());
        }
        return sb.toString();
    }
}
