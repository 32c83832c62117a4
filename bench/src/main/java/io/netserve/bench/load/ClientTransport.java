package io.netserve.bench.load;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Locale;

/** The client side I/O transport of the load generator: epoll when it loads, else NIO. */
enum ClientTransport {
    /** Epoll when it loads on this machine, else NIO. */
    AUTO,
    /** Linux epoll, through Netty's native library. */
    EPOLL,
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
            default:
                return NIO;
        }
    }

    /** The name on the command line and in the results. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
