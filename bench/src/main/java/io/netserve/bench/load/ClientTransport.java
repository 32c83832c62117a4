package io.netserve.bench.load;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/** The client side I/O transport of the load generator: epoll when it loads, else NIO. */
enum ClientTransport {
    /** Epoll when it loads on this machine, else NIO. */
    AUTO,
    /** Linux epoll, through Netty's native library. */
    EPOLL,
    /** Linux io_uring, through Netty's native library. */
    IO_URING,
    /** The JDK's selector; works everywhere. */
    NIO;

    /** The concrete transport this one stands for; fails with the reason when epoll was asked for and does not load. */
    ClientTransport resolve() {
        switch (this) {
            case AUTO:
                return Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("the epoll transport does not load: "
                            + Epoll.unavailabilityCause().getMessage());
                }
                return EPOLL;
            case IO_URING:
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("the io_uring transport does not load: "
                            + IoUring.unavailabilityCause().getMessage());
                }
                return IO_URING;
            default:
                return NIO;
        }
    }

    /** The name on the command line and in the results. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    IoHandlerFactory ioHandlerFactory() {
        switch (this) {
            case EPOLL:
                return EpollIoHandler.newFactory();
            case IO_URING:
                return IoUringIoHandler.newFactory();
            default:
                return NioIoHandler.newFactory();
        }
    }

    /**
     * Makes TCP sockets of the server address's own family: a dual-stack IPv6 socket talking to an
     * IPv4 server through a mapped address costs the kernel more per packet.
     */
    ChannelFactory<SocketChannel> socketChannels(SocketProtocolFamily family) {
        if (this == EPOLL) {
            return () -> new EpollSocketChannel(family);
        }
        if (this == IO_URING) {
            return IoUringSocketChannel::new; // Netty offers no per-family io_uring stream socket
        }
        return () -> new NioSocketChannel(SelectorProvider.provider(), family);
    }

    /** Makes UDP sockets of the server address's own family. */
    ChannelFactory<DatagramChannel> datagramChannels(SocketProtocolFamily family) {
        if (this == EPOLL) {
            return () -> new EpollDatagramChannel(family);
        }
        if (this == IO_URING) {
            return () -> new IoUringDatagramChannel(family);
        }
        return () -> new NioDatagramChannel(family);
    }

    /** The socket family for talking to {@code address}. */
    static SocketProtocolFamily familyOf(InetAddress address) {
        return address instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }
}
