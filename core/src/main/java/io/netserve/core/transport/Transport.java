package io.netserve.core.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.Locale;
import java.util.Optional;

/**
 * The I/O transports a server can run on. {@link #AUTO} stands for the best one that loads here:
 * epoll, then io_uring, then NIO. Epoll comes first because it is Netty's most mature native
 * transport and the one whose batched datagram I/O ({@code recvmmsg}/{@code sendmmsg}) was
 * measured near a C epoll server on this project's benchmark, where Netty's io_uring datagram
 * path spent about four times the CPU per reply. For TCP, io_uring measured faster (1.38x the C
 * server's pipelined messages against epoll's 1.03x, same run): name it explicitly to use it.
 *
 * <p>Each concrete transport gives the pieces a bootstrap needs: the event-loop I/O handler
 * factory, the server socket channel class and the datagram channel class.
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
        public Class<? extends DatagramChannel> datagramChannelClass() {
            return resolve().datagramChannelClass();
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
        public Class<? extends DatagramChannel> datagramChannelClass() {
            return NioDatagramChannel.class;
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
        public Class<? extends DatagramChannel> datagramChannelClass() {
            return EpollDatagramChannel.class;
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
        public Class<? extends DatagramChannel> datagramChannelClass() {
            return IoUringDatagramChannel.class;
        }
    };

    /** Why this transport cannot be used here (the native loader's cause), or empty if it can. */
    public abstract Optional<Throwable> unavailabilityCause();

    /** The I/O handler factory for a {@code MultiThreadIoEventLoopGroup} on this transport. */
    public abstract IoHandlerFactory ioHandlerFactory();

    /** The server socket channel class of this transport. */
    public abstract Class<? extends ServerChannel> serverChannelClass();

    /** The datagram channel class of this transport. */
    public abstract Class<? extends DatagramChannel> datagramChannelClass();

    /** Whether this transport can be used here. */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Whether this is one of the native transports (epoll, io_uring). */
    public boolean isNative() {
        return this == EPOLL || this == IO_URING;
    }

    /**
     * The concrete transport to run on: this one if it is available, or for {@link #AUTO} the
     * first available of epoll, io_uring and NIO.
     *
     * @throws TransportUnavailableException if this transport was named and cannot load here
     */
    public Transport resolve() {
        if (this == AUTO) {
            for (Transport t : new Transport[] {EPOLL, IO_URING}) {
                if (t.isAvailable()) {
                    return t;
                }
            }
            return NIO;
        }
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new TransportUnavailableException(this, cause.get());
        }
        return this;
    }

    /** The name used on command lines and in logs: {@code auto}, {@code nio}, {@code epoll}, {@code io_uring}. */
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
        throw new IllegalArgumentException("'" + name + "' is not a transport: use auto, nio, epoll or io_uring");
    }

    /** One line per concrete transport: its name and "available" or the reason it is not. */
    public static String availabilityReport() {
        StringBuilder sb = new StringBuilder();
        for (Transport t : new Transport[] {EPOLL, IO_URING, NIO}) {
            sb.append(t.cliName()).append(": ")
                    .append(t.unavailabilityCause().map(c -> "unavailable (" + NativeProbe.describe(c) + ")").orElse("available"))
                    .append(System.lineSeparator());
        }
        return sb.toString();
    }
}
