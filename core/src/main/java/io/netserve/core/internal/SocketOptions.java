package io.netserve.core.internal;

import io.netserve.core.Transport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;

import java.net.StandardSocketOptions;

/** Socket options whose Netty name depends on the transport. */
public final class SocketOptions {

    private SocketOptions() {
    }

    /**
     * {@code SO_REUSEPORT} for sockets of {@code transport}: several sockets, of this process or
     * others of the same user, bound to one address and port, the kernel spreading connections or
     * datagrams among them.
     */
    public static ChannelOption<Boolean> reusePort(Transport transport) {
        return transport == Transport.NIO ? NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT)
                : UnixChannelOption.SO_REUSEPORT;
    }

    /** Sets {@link #reusePort} on {@code bootstrap}'s sockets. */
    public static <B extends AbstractBootstrap<B, ?>> B reusePort(B bootstrap, Transport transport) {
        return bootstrap.option(reusePort(transport), true);
    }
}
